// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// An ERC-20 with a transfer hook, like ERC-777 tokens have: when tokens leave `hookedSender`,
/// it calls `hookTarget` with `hookData` and bubbles up any revert. Used to try re-entering the
/// vault in the middle of a payout.
contract ReentrantToken is ERC20 {
    address public hookedSender;
    address public hookTarget;
    bytes public hookData;
    bool private _isInHook;

    constructor() ERC20("Reentrant", "RE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setHook(address sender, address target, bytes calldata data) external {
        hookedSender = sender;
        hookTarget = target;
        hookData = data;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != hookedSender || hookTarget == address(0) || _isInHook) return;
        _isInHook = true;
        (bool ok, bytes memory returned) = hookTarget.call(hookData);
        _isInHook = false;
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
    }
}
