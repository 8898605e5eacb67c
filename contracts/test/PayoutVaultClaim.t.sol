// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PayoutVault} from "../src/PayoutVault.sol";
import {VaultTest} from "./utils/VaultTest.sol";

/// `claim` (anyone submits, tokens go to the account) and `claimTo` (the account forwards).
contract PayoutVaultClaimTest is VaultTest {
    function test_claim_paysTheCumulativeAmountToTheAccount() public {
        uint256 paid = vault.claim(alice, 100 ether, voucher(alice, 100 ether));

        assertEq(paid, 100 ether);
        assertEq(token.balanceOf(alice), 100 ether);
        assertEq(token.balanceOf(address(vault)), FUNDED - 100 ether);
        assertEq(vault.claimed(alice), 100 ether);
    }

    function test_claim_newerVoucherPaysOnlyTheDifference() public {
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));
        uint256 paid = vault.claim(alice, 250 ether, voucher(alice, 250 ether));

        assertEq(paid, 150 ether);
        assertEq(token.balanceOf(alice), 250 ether);
        assertEq(vault.claimed(alice), 250 ether);
    }

    function test_claim_skippingVouchersPaysTheSameTotal() public {
        // The coordinator signed 10, 20 and 30; the provider only ever submits the newest.
        vault.claim(alice, 30 ether, voucher(alice, 30 ether));
        assertEq(token.balanceOf(alice), 30 ether);
    }

    function test_claim_anyoneMaySubmitButTheTokensGoToTheAccount() public {
        vm.prank(bob);
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));

        assertEq(token.balanceOf(alice), 100 ether);
        assertEq(token.balanceOf(bob), 0);
    }

    function test_claim_emitsClaimed() public {
        vm.expectEmit(address(vault));
        emit PayoutVault.Claimed(alice, alice, 100 ether, 100 ether, 0, address(0));
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));
    }

    function test_claim_accountsAreIndependent() public {
        vault.claim(alice, 100 ether, voucher(alice, 100 ether));
        vault.claim(bob, 40 ether, voucher(bob, 40 ether));

        assertEq(vault.claimed(alice), 100 ether);
        assertEq(vault.claimed(bob), 40 ether);
        assertEq(token.balanceOf(bob), 40 ether);
    }

    function test_claim_revertsWhenTheSameVoucherIsReplayed() public {
        bytes memory signature = voucher(alice, 100 ether);
        vault.claim(alice, 100 ether, signature);

        vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, 100 ether));
        vault.claim(alice, 100 ether, signature);
        assertEq(token.balanceOf(alice), 100 ether);
    }

    function test_claim_revertsForAVoucherBelowWhatWasClaimed() public {
        bytes memory older = voucher(alice, 100 ether);
        vault.claim(alice, 250 ether, voucher(alice, 250 ether));

        vm.expectRevert(
            abi.encodeWithSelector(PayoutVault.CumulativeBelowClaimed.selector, alice, 100 ether, 250 ether)
        );
        vault.claim(alice, 100 ether, older);
    }

    function test_claim_revertsForAZeroVoucher() public {
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, 0));
        vault.claim(alice, 0, voucher(alice, 0));
    }

    function test_claim_revertsForAnotherAccountsVoucher() public {
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(bob, 100 ether, voucher(alice, 100 ether));
    }

    function test_claim_revertsWhenTheAmountIsRaised() public {
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claim(alice, 101 ether, voucher(alice, 100 ether));
    }

    function test_claim_revertsForTheZeroAccount() public {
        vm.expectRevert(PayoutVault.ZeroAddress.selector);
        vault.claim(address(0), 1 ether, voucher(address(0), 1 ether));
    }

    function test_claim_revertsWhenTheVaultIsUnderfunded() public {
        uint256 tooMuch = FUNDED + 1;
        bytes memory signature = voucher(alice, tooMuch);

        vm.expectRevert(abi.encodeWithSelector(PayoutVault.VaultUnderfunded.selector, FUNDED, tooMuch));
        vault.claim(alice, tooMuch, signature);
        assertEq(vault.claimed(alice), 0);

        fundVault(1);
        vault.claim(alice, tooMuch, signature);
        assertEq(token.balanceOf(alice), tooMuch);
        assertEq(token.balanceOf(address(vault)), 0);
    }

    function test_claimable_isTheVoucherMinusWhatWasClaimed() public {
        assertEq(vault.claimable(alice, 100 ether), 100 ether);
        vault.claim(alice, 60 ether, voucher(alice, 60 ether));

        assertEq(vault.claimable(alice, 100 ether), 40 ether);
        assertEq(vault.claimable(alice, 60 ether), 0);
        assertEq(vault.claimable(alice, 10 ether), 0);
        assertEq(vault.claimable(bob, 100 ether), 100 ether);
    }

    function test_isValidVoucher_checksSignerAccountAndAmount() public view {
        bytes memory signature = voucher(alice, 100 ether);
        assertTrue(vault.isValidVoucher(alice, 100 ether, signature));
        assertFalse(vault.isValidVoucher(alice, 99 ether, signature));
        assertFalse(vault.isValidVoucher(bob, 100 ether, signature));
        assertFalse(vault.isValidVoucher(alice, 100 ether, signDigest(aliceKey, keccak256("x"))));
    }

    // ------------------------------------------------------------------ claimTo

    function test_claimTo_forwardsTheCallersClaimToTheRecipient() public {
        vm.prank(alice);
        uint256 paid = vault.claimTo(exchange, 100 ether, voucher(alice, 100 ether));

        assertEq(paid, 100 ether);
        assertEq(token.balanceOf(exchange), 100 ether);
        assertEq(token.balanceOf(alice), 0);
        assertEq(vault.claimed(alice), 100 ether);
    }

    function test_claimTo_emitsClaimedWithTheRecipient() public {
        vm.expectEmit(address(vault));
        emit PayoutVault.Claimed(alice, exchange, 100 ether, 100 ether, 0, address(0));
        vm.prank(alice);
        vault.claimTo(exchange, 100 ether, voucher(alice, 100 ether));
    }

    function test_claimTo_revertsWhenTheCallerIsNotTheVouchersAccount() public {
        bytes memory alicesVoucher = voucher(alice, 100 ether);
        vm.prank(bob);
        vm.expectRevert(PayoutVault.InvalidVoucherSignature.selector);
        vault.claimTo(bob, 100 ether, alicesVoucher);
    }

    function test_claimTo_sharesWhatWasClaimedWithClaim() public {
        bytes memory signature = voucher(alice, 100 ether);
        vault.claim(alice, 100 ether, signature);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, alice, 100 ether));
        vault.claimTo(exchange, 100 ether, signature);
    }

    function test_claimTo_revertsForTheZeroRecipient() public {
        bytes memory signature = voucher(alice, 100 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.InvalidRecipient.selector, address(0)));
        vault.claimTo(address(0), 100 ether, signature);
    }

    function test_claimTo_revertsForTheVaultAsRecipient() public {
        bytes memory signature = voucher(alice, 100 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PayoutVault.InvalidRecipient.selector, address(vault)));
        vault.claimTo(address(vault), 100 ether, signature);
    }

    function test_claimTo_toItselfEqualsClaim() public {
        vm.prank(alice);
        vault.claimTo(alice, 100 ether, voucher(alice, 100 ether));
        assertEq(token.balanceOf(alice), 100 ether);
    }
}
