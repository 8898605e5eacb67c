// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {IdlehiveTestToken} from "../../src/IdlehiveTestToken.sol";
import {PayoutVault} from "../../src/PayoutVault.sol";
import {TypedData} from "./TypedData.sol";

/// Shared fixture: a funded vault, the coordinator's signing key, providers and a relayer,
/// and helpers that sign vouchers and withdrawals with real keys.
abstract contract VaultTest is Test {
    uint256 internal constant FUNDED = 1_000_000 ether;
    uint256 internal constant DEADLINE_IN = 1 hours;

    IdlehiveTestToken internal token;
    PayoutVault internal vault;

    address internal owner = makeAddr("owner");
    address internal funder = makeAddr("funder");
    address internal relayer = makeAddr("relayer");
    address internal exchange = makeAddr("exchange");
    address internal signer;
    uint256 internal signerKey;
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;

    function setUp() public virtual {
        (signer, signerKey) = makeAddrAndKey("coordinator");
        (alice, aliceKey) = makeAddrAndKey("alice");
        (bob, bobKey) = makeAddrAndKey("bob");
        vm.warp(1_750_000_000);

        token = new IdlehiveTestToken(owner);
        vault = new PayoutVault(token, owner, signer);
        fundVault(FUNDED);
    }

    function fundVault(uint256 amount) internal {
        vm.prank(owner);
        token.mint(funder, amount);
        vm.startPrank(funder);
        token.approve(address(vault), amount);
        vault.fund(amount);
        vm.stopPrank();
    }

    function signDigest(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// The coordinator's voucher for this chain and the fixture's vault.
    function voucher(address account, uint256 cumulativeAmount) internal view returns (bytes memory) {
        return voucherBy(signerKey, address(vault), account, cumulativeAmount);
    }

    function voucherBy(uint256 key, address forVault, address account, uint256 cumulativeAmount)
        internal
        view
        returns (bytes memory)
    {
        return signDigest(key, TypedData.voucherDigest(block.chainid, forVault, account, cumulativeAmount));
    }

    /// A withdrawal of `cumulativeAmount` to `recipient` with the account's current nonce.
    function withdrawal(address account, address recipient, uint256 cumulativeAmount, uint256 maxFee)
        internal
        view
        returns (PayoutVault.Withdrawal memory)
    {
        return PayoutVault.Withdrawal({
            account: account,
            recipient: recipient,
            cumulativeAmount: cumulativeAmount,
            maxFee: maxFee,
            deadline: block.timestamp + DEADLINE_IN,
            nonce: vault.nonces(account)
        });
    }

    function signWithdrawal(uint256 key, PayoutVault.Withdrawal memory w) internal view returns (bytes memory) {
        return signDigest(key, TypedData.withdrawalDigest(block.chainid, address(vault), w));
    }
}
