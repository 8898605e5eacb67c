// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Idlehive test token (tHIVE)
/// @notice A plain 18-decimal ERC-20 for the local network only: the owner mints what the
/// local coordinator needs to fund the payout vault. Production points the vault at an
/// existing token instead; nothing here is meant to hold value.
contract IdlehiveTestToken is ERC20, Ownable {
    /// @param initialOwner the only account allowed to mint
    constructor(address initialOwner) ERC20("Idlehive Test Token", "tHIVE") Ownable(initialOwner) {}

    /// @notice Creates `amount` tokens (in 10^-18 units) for `to`.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
