// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// A minimal ERC-1271 smart-contract wallet: it approves digests signed by its owner's key,
/// unless the owner has switched approvals off.
contract ContractWallet is IERC1271 {
    address public immutable walletOwner;
    bool public isApproving = true;

    constructor(address walletOwner_) {
        walletOwner = walletOwner_;
    }

    function setApproving(bool approving) external {
        require(msg.sender == walletOwner, "ContractWallet: not the owner");
        isApproving = approving;
    }

    function isValidSignature(bytes32 digest, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        bool isValid = isApproving && err == ECDSA.RecoverError.NoError && recovered == walletOwner;
        return isValid ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
