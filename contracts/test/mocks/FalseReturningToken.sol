// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// A token whose transfers can be switched to report failure by returning false instead of
/// reverting, as some deployed tokens do. SafeERC20 must turn that into a revert.
contract FalseReturningToken is ERC20 {
    bool public isFailing;

    constructor() ERC20("False", "FALSE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFailing(bool failing) external {
        isFailing = failing;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (isFailing) return false;
        return super.transfer(to, value);
    }
}
