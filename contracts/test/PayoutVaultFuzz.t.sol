// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PayoutVault} from "../src/PayoutVault.sol";
import {TypedData} from "./utils/TypedData.sol";
import {VaultTest} from "./utils/VaultTest.sol";

/// Properties over random amounts, keys, fees, times and chains.
contract PayoutVaultFuzzTest is VaultTest {
    uint256 internal constant MAX_AMOUNT = FUNDED;

    /// Submitting any vouchers in any order pays exactly the largest one, never more.
    function testFuzz_claimsInAnyOrderPayTheLargestVoucher(uint256[6] memory amounts) public {
        uint256 largest;
        for (uint256 i = 0; i < amounts.length; i++) {
            uint256 cumulative = bound(amounts[i], 0, MAX_AMOUNT);
            uint256 before = vault.claimed(alice);
            bytes memory signature = voucher(alice, cumulative);
            if (cumulative < before) {
                vm.expectRevert(
                    abi.encodeWithSelector(PayoutVault.CumulativeBelowClaimed.selector, alice, cumulative, before)
                );
            } else if (cumulative == before) {
                vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, cumulative));
            }
            vault.claim(alice, cumulative, signature);
            if (cumulative > largest) largest = cumulative;

            assertEq(vault.claimed(alice), largest);
            assertEq(token.balanceOf(alice), largest);
            assertGe(vault.claimed(alice), before);
        }
        assertEq(token.balanceOf(address(vault)), FUNDED - largest);
    }

    function testFuzz_claimableIsTheVoucherAboveWhatWasClaimed(uint256 claimedFirst, uint256 asked) public {
        claimedFirst = bound(claimedFirst, 1, MAX_AMOUNT);
        vault.claim(alice, claimedFirst, voucher(alice, claimedFirst));
        uint256 expected = asked > claimedFirst ? asked - claimedFirst : 0;
        assertEq(vault.claimable(alice, asked), expected);
    }

    /// The recipient and the relayer together get exactly the claim, the relayer exactly its fee.
    function testFuzz_relayedClaimSplitsExactly(uint256 earlier, uint256 cumulative, uint256 maxFee, uint256 fee)
        public
    {
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        earlier = bound(earlier, 0, cumulative - 1);
        if (earlier > 0) vault.claim(alice, earlier, voucher(alice, earlier));
        uint256 claimAmount = cumulative - earlier;
        maxFee = bound(maxFee, 0, type(uint256).max);
        fee = bound(fee, 0, maxFee < claimAmount ? maxFee : claimAmount);

        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, cumulative, maxFee);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, cumulative);
        vm.prank(relayer);
        uint256 paid = vault.relayedClaim(w, fee, voucherSignature, withdrawalSignature);

        assertEq(paid, claimAmount - fee);
        assertEq(token.balanceOf(exchange), claimAmount - fee);
        assertEq(token.balanceOf(relayer), fee);
        assertEq(vault.claimed(alice), cumulative);
        assertEq(token.balanceOf(address(vault)), FUNDED - cumulative);
    }

    function testFuzz_relayedClaimRevertsForAnyFeeAboveTheMaximum(uint256 maxFee, uint256 fee) public {
        maxFee = bound(maxFee, 0, type(uint256).max - 1);
        fee = bound(fee, maxFee + 1, type(uint256).max);
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, maxFee);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.FeeAboveMax.selector, fee, maxFee));
        vault.relayedClaim(w, fee, voucherSignature, withdrawalSignature);
    }

    function testFuzz_relayedClaimRevertsForAnyFeeAboveTheClaim(uint256 cumulative, uint256 fee) public {
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        fee = bound(fee, cumulative + 1, type(uint256).max);
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, cumulative, type(uint256).max);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, cumulative);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.FeeAboveClaimable.selector, fee, cumulative));
        vault.relayedClaim(w, fee, voucherSignature, withdrawalSignature);
    }

    function testFuzz_relayedClaimRevertsAnyTimeAfterTheDeadline(uint256 lateBy) public {
        lateBy = bound(lateBy, 1, 100 * 365 days);
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);
        vm.warp(w.deadline + lateBy);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.WithdrawalExpired.selector, w.deadline));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function testFuzz_relayedClaimRevertsForAnyOtherSigner(uint256 otherKey) public {
        otherKey = boundPrivateKey(otherKey);
        vm.assume(otherKey != aliceKey);
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory forged = signWithdrawal(otherKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, forged);
    }

    function testFuzz_vouchersFromAnyOtherKeyAreRefused(uint256 otherKey, uint256 cumulative) public {
        otherKey = boundPrivateKey(otherKey);
        vm.assume(otherKey != signerKey);
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        bytes memory forged = voucherBy(otherKey, address(vault), alice, cumulative);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, cumulative, forged);
    }

    function testFuzz_vouchersForAnyOtherChainAreRefused(uint64 otherChain, uint256 cumulative) public {
        vm.assume(otherChain != block.chainid);
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        bytes memory forOtherChain =
            signDigest(signerKey, TypedData.voucherDigest(otherChain, address(vault), alice, cumulative));

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, cumulative, forOtherChain);
    }

    function testFuzz_vouchersForAnyOtherVaultAreRefused(address otherVault, uint256 cumulative) public {
        vm.assume(otherVault != address(vault));
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        bytes memory forOtherVault = voucherBy(signerKey, otherVault, alice, cumulative);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, cumulative, forOtherVault);
    }

    /// Every valid signature has a high-s twin that ecrecover accepts; the vault refuses all of them.
    function testFuzz_highSTwinsAreRefused(uint256 key, uint256 cumulative) public {
        key = boundPrivateKey(key);
        cumulative = bound(cumulative, 1, MAX_AMOUNT);
        vm.prank(owner);
        vault.setSigner(vm.addr(key));
        bytes memory signature = voucherBy(key, address(vault), alice, cumulative);

        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, cumulative, TypedData.malleate(signature));

        vault.claim(alice, cumulative, signature);
        assertEq(token.balanceOf(alice), cumulative);
    }

    function testFuzz_digestsMatchTheTypedDataWrittenOut(
        address account,
        address recipient,
        uint256 cumulative,
        uint256 maxFee,
        uint256 deadline,
        uint256 nonce,
        uint64 chainId
    ) public {
        vm.chainId(chainId);
        assertEq(
            vault.voucherDigest(account, cumulative),
            TypedData.voucherDigest(chainId, address(vault), account, cumulative)
        );
        PayoutVault.Withdrawal memory w =
            PayoutVault.Withdrawal(account, recipient, cumulative, maxFee, deadline, nonce);
        assertEq(vault.withdrawalDigest(w), TypedData.withdrawalDigest(chainId, address(vault), w));
    }
}
