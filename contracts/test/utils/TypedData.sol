// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PayoutVault} from "../../src/PayoutVault.sol";

/// EIP-712 hashing written out from the type strings, independently of the vault's own
/// code, the way the TypeScript side computes it. Tests sign these digests, so a vault that
/// hashed differently from the documented types would fail them.
library TypedData {
    string internal constant NAME = "Idlehive PayoutVault";
    string internal constant VERSION = "1";

    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant VOUCHER_TYPEHASH = keccak256("Voucher(address account,uint256 cumulativeAmount)");
    bytes32 internal constant WITHDRAWAL_TYPEHASH = keccak256(
        "Withdrawal(address account,address recipient,uint256 cumulativeAmount,uint256 maxFee,uint256 deadline,uint256 nonce)"
    );

    /// secp256k1's group order: a signature (r, s) has the twin (r, N - s).
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    function domainSeparator(uint256 chainId, address vault) internal pure returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(NAME)), keccak256(bytes(VERSION)), chainId, vault));
    }

    function voucherDigest(uint256 chainId, address vault, address account, uint256 cumulativeAmount)
        internal
        pure
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(VOUCHER_TYPEHASH, account, cumulativeAmount));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(chainId, vault), structHash));
    }

    function withdrawalDigest(uint256 chainId, address vault, PayoutVault.Withdrawal memory w)
        internal
        pure
        returns (bytes32)
    {
        bytes32 structHash = keccak256(
            abi.encode(WITHDRAWAL_TYPEHASH, w.account, w.recipient, w.cumulativeAmount, w.maxFee, w.deadline, w.nonce)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator(chainId, vault), structHash));
    }

    /// The same signature with s replaced by N - s and v flipped: ecrecover accepts it and
    /// returns the same address, which is why the vault must reject high-s forms.
    function malleate(bytes memory signature) internal pure returns (bytes memory) {
        require(signature.length == 65, "TypedData: not a 65-byte signature");
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flippedV = v == 27 ? 28 : 27;
        return abi.encodePacked(r, highS, flippedV);
    }
}
