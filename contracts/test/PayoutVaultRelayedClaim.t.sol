// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {PayoutVault} from "../src/PayoutVault.sol";
import {ContractWallet} from "./mocks/ContractWallet.sol";
import {TypedData} from "./utils/TypedData.sol";
import {VaultTest} from "./utils/VaultTest.sol";

/// `relayedClaim`: an account with no native gas signs a Withdrawal; a relayer submits it and
/// takes a fee in tokens of at most the signed maximum.
contract PayoutVaultRelayedClaimTest is VaultTest {
    function relay(PayoutVault.Withdrawal memory w, uint256 fee, bytes memory withdrawalSignature)
        internal
        returns (uint256)
    {
        bytes memory voucherSignature = voucher(w.account, w.cumulativeAmount);
        vm.prank(relayer);
        return vault.relayedClaim(w, fee, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_paysTheRecipientAndTheRelayersFee() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        uint256 paid = relay(w, 1 ether, signWithdrawal(aliceKey, w));

        assertEq(paid, 99 ether);
        assertEq(token.balanceOf(exchange), 99 ether);
        assertEq(token.balanceOf(relayer), 1 ether);
        assertEq(token.balanceOf(alice), 0);
        assertEq(vault.claimed(alice), 100 ether);
        assertEq(vault.nonces(alice), 1);
        assertEq(token.balanceOf(address(vault)), FUNDED - 100 ether);
    }

    function test_relayedClaim_emitsNonceUsedAndClaimed() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.expectEmit(address(vault));
        emit PayoutVault.NonceUsed(alice, 0);
        vm.expectEmit(address(vault));
        emit PayoutVault.Claimed(alice, alice, 100 ether, 99.5 ether, 0.5 ether, relayer);
        vm.prank(relayer);
        vault.relayedClaim(w, 0.5 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_relayerMayTakeLessThanTheMaximumOrNothing() public {
        PayoutVault.Withdrawal memory first = withdrawal(alice, alice, 100 ether, 5 ether);
        relay(first, 2 ether, signWithdrawal(aliceKey, first));
        assertEq(token.balanceOf(relayer), 2 ether);
        assertEq(token.balanceOf(alice), 98 ether);

        PayoutVault.Withdrawal memory second = withdrawal(alice, alice, 150 ether, 5 ether);
        relay(second, 0, signWithdrawal(aliceKey, second));
        assertEq(token.balanceOf(relayer), 2 ether);
        assertEq(token.balanceOf(alice), 148 ether);
        assertEq(vault.nonces(alice), 2);
    }

    function test_relayedClaim_feeMayTakeTheWholeClaimWhenSignedFor() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 1 ether, 1 ether);
        uint256 paid = relay(w, 1 ether, signWithdrawal(aliceKey, w));

        assertEq(paid, 0);
        assertEq(token.balanceOf(exchange), 0);
        assertEq(token.balanceOf(relayer), 1 ether);
        assertEq(vault.claimed(alice), 1 ether);
    }

    function test_relayedClaim_paysOnlyWhatTheVoucherAddsAfterEarlierClaims() public {
        vault.claim(alice, 40 ether, voucher(alice, 40 ether));
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        uint256 paid = relay(w, 1 ether, signWithdrawal(aliceKey, w));

        assertEq(paid, 59 ether);
        assertEq(token.balanceOf(exchange), 59 ether);
        assertEq(token.balanceOf(alice), 40 ether);
    }

    function test_relayedClaim_worksAtTheDeadline() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory signature = signWithdrawal(aliceKey, w);
        vm.warp(w.deadline);
        relay(w, 1 ether, signature);
        assertEq(token.balanceOf(alice), 99 ether);
    }

    // ------------------------------------------------------------------ fee bounds

    function test_relayedClaim_revertsForAFeeAboveTheSignedMaximum() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.FeeAboveMax.selector, 1 ether + 1, 1 ether));
        vault.relayedClaim(w, 1 ether + 1, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsWhenTheRelayerRaisesTheSignedMaximum() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);
        w.maxFee = 50 ether;

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 50 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsForAFeeAboveTheClaimableAmount() public {
        vault.claim(alice, 90 ether, voucher(alice, 90 ether));
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 50 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.FeeAboveClaimable.selector, 11 ether, 10 ether));
        vault.relayedClaim(w, 11 ether, voucherSignature, withdrawalSignature);
    }

    // ------------------------------------------------------------------ deadline and nonce

    function test_relayedClaim_revertsAfterTheDeadline() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);
        vm.warp(w.deadline + 1);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.WithdrawalExpired.selector, w.deadline));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsWhenReplayed() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        relay(w, 1 ether, withdrawalSignature);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, alice, 1));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsForAReusedNonceEvenWithANewerVoucher() public {
        PayoutVault.Withdrawal memory first = withdrawal(alice, alice, 100 ether, 1 ether);
        relay(first, 1 ether, signWithdrawal(aliceKey, first));

        // A fresh, validly signed withdrawal for more, but with the spent nonce 0.
        PayoutVault.Withdrawal memory reused = withdrawal(alice, alice, 200 ether, 1 ether);
        reused.nonce = 0;
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, reused);
        bytes memory voucherSignature = voucher(alice, 200 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, alice, 1));
        vault.relayedClaim(reused, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsForAFutureNonce() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, alice, 100 ether, 1 ether);
        w.nonce = 1;
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, alice, 0));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_invalidateNonce_cancelsASignedWithdrawal() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.expectEmit(address(vault));
        emit PayoutVault.NonceUsed(alice, 0);
        vm.prank(alice);
        vault.invalidateNonce();
        assertEq(vault.nonces(alice), 1);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, alice, 1));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_failedClaimDoesNotSpendTheNonce() public {
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, 100 ether));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
        assertEq(vault.nonces(alice), 0);
    }

    // ------------------------------------------------------------------ who signed what

    function test_relayedClaim_revertsForAWithdrawalSignedBySomeoneElse() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, bob, 100 ether, 1 ether);
        bytes memory byBob = signWithdrawal(bobKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, byBob);
    }

    function test_relayedClaim_revertsWhenTheRecipientIsChanged() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);
        w.recipient = relayer;

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsWhenTheCumulativeOrDeadlineIsChanged() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 120 ether);

        w.cumulativeAmount = 120 ether;
        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);

        w.cumulativeAmount = 100 ether;
        w.deadline += 1 days;
        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsForAHighSWithdrawalSignature() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory malleated = TypedData.malleate(signWithdrawal(aliceKey, w));
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, malleated);
    }

    function test_relayedClaim_revertsForAWithdrawalSignedForAnotherChain() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory otherChain = signDigest(aliceKey, TypedData.withdrawalDigest(block.chainid + 1, address(vault), w));
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, otherChain);
    }

    function test_relayedClaim_revertsForAVoucherNotFromTheSigner() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory selfSignedVoucher = voucherBy(aliceKey, address(vault), alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.relayedClaim(w, 1 ether, selfSignedVoucher, withdrawalSignature);
    }

    function test_relayedClaim_revertsForTheZeroRecipient() public {
        PayoutVault.Withdrawal memory w = withdrawal(alice, address(0), 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(alice, 100 ether);

        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.InvalidRecipient.selector, address(0)));
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_revertsForTheZeroAccount() public {
        PayoutVault.Withdrawal memory w = withdrawal(address(0), exchange, 100 ether, 1 ether);
        bytes memory anySignature = signWithdrawal(aliceKey, w);
        bytes memory voucherSignature = voucher(address(0), 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, anySignature);
    }

    // ------------------------------------------------------------------ contract wallets

    function test_relayedClaim_acceptsAnERC1271WalletsApproval() public {
        ContractWallet wallet = new ContractWallet(bob);
        PayoutVault.Withdrawal memory w = withdrawal(address(wallet), exchange, 100 ether, 1 ether);
        uint256 paid = relay(w, 1 ether, signWithdrawal(bobKey, w));

        assertEq(paid, 99 ether);
        assertEq(token.balanceOf(exchange), 99 ether);
        assertEq(vault.claimed(address(wallet)), 100 ether);
    }

    function test_relayedClaim_revertsWhenTheERC1271WalletRefuses() public {
        ContractWallet wallet = new ContractWallet(bob);
        vm.prank(bob);
        wallet.setApproving(false);
        PayoutVault.Withdrawal memory w = withdrawal(address(wallet), exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(bobKey, w);
        bytes memory voucherSignature = voucher(address(wallet), 100 ether);

        vm.prank(relayer);
        vm.expectRevert(PayoutVault.InvalidWithdrawalSignature.selector);
        vault.relayedClaim(w, 1 ether, voucherSignature, withdrawalSignature);
    }

    function test_relayedClaim_acceptsTheKeyOfAnAccountWithDelegatedCode() public {
        // An EIP-7702 account has code but still signs with its own key.
        vm.etch(alice, address(new ContractWallet(bob)).code);
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        relay(w, 1 ether, signWithdrawal(aliceKey, w));
        assertEq(token.balanceOf(exchange), 99 ether);
    }
}
