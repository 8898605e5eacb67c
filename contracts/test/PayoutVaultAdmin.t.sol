// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IdlehiveTestToken} from "../src/IdlehiveTestToken.sol";
import {PayoutVault} from "../src/PayoutVault.sol";
import {FalseReturningToken} from "./mocks/FalseReturningToken.sol";
import {ReentrantToken} from "./mocks/ReentrantToken.sol";
import {VaultTest} from "./utils/VaultTest.sol";

/// Deployment, two-step ownership, signer rotation, pausing, funding, token recovery, and
/// the vault's behaviour with hostile tokens.
contract PayoutVaultAdminTest is VaultTest {
    // ------------------------------------------------------------------ deployment

    function test_constructor_setsTokenOwnerAndSigner() public {
        vm.expectEmit();
        emit PayoutVault.SignerChanged(address(0), signer);
        PayoutVault fresh = new PayoutVault(token, owner, signer);

        assertEq(address(fresh.token()), address(token));
        assertEq(fresh.owner(), owner);
        assertEq(fresh.pendingOwner(), address(0));
        assertEq(fresh.signer(), signer);
        assertFalse(fresh.paused());
    }

    function test_constructor_revertsForZeroAddresses() public {
        vm.expectRevert(PayoutVault.ZeroAddress.selector);
        new PayoutVault(IERC20(address(0)), owner, signer);
        vm.expectRevert(PayoutVault.ZeroAddress.selector);
        new PayoutVault(token, owner, address(0));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new PayoutVault(token, address(0), signer);
    }

    // ------------------------------------------------------------------ signer

    function test_setSigner_rotatesAndEmits() public {
        address next = makeAddr("coordinator-2");
        vm.expectEmit(address(vault));
        emit PayoutVault.SignerChanged(signer, next);
        vm.prank(owner);
        vault.setSigner(next);
        assertEq(vault.signer(), next);
    }

    function test_setSigner_onlyTheOwner() public {
        vm.prank(signer);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, signer));
        vault.setSigner(alice);
    }

    function test_setSigner_revertsForTheZeroAddress() public {
        vm.prank(owner);
        vm.expectRevert(PayoutVault.ZeroAddress.selector);
        vault.setSigner(address(0));
    }

    // ------------------------------------------------------------------ two-step ownership

    function test_ownership_movesOnlyWhenThePendingOwnerAccepts() public {
        address nextOwner = makeAddr("next-owner");
        vm.prank(owner);
        vault.transferOwnership(nextOwner);

        assertEq(vault.owner(), owner);
        assertEq(vault.pendingOwner(), nextOwner);

        // Until accepted, the old owner still rules and the pending one cannot.
        vm.prank(nextOwner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, nextOwner));
        vault.setSigner(alice);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.acceptOwnership();

        vm.expectEmit(address(vault));
        emit Ownable.OwnershipTransferred(owner, nextOwner);
        vm.prank(nextOwner);
        vault.acceptOwnership();
        assertEq(vault.owner(), nextOwner);
        assertEq(vault.pendingOwner(), address(0));

        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, owner));
        vault.setSigner(alice);

        address next = makeAddr("coordinator-2");
        vm.prank(nextOwner);
        vault.setSigner(next);
        assertEq(vault.signer(), next);
    }

    function test_ownership_aMistypedTransferCanBeReplaced() public {
        vm.startPrank(owner);
        vault.transferOwnership(makeAddr("typo"));
        vault.transferOwnership(bob);
        vm.stopPrank();

        vm.prank(makeAddr("typo"));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, makeAddr("typo")));
        vault.acceptOwnership();

        vm.prank(bob);
        vault.acceptOwnership();
        assertEq(vault.owner(), bob);
    }

    function test_transferOwnership_onlyTheOwner() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.transferOwnership(alice);
    }

    function test_renounceOwnership_isDisabled() public {
        vm.prank(owner);
        vm.expectRevert(PayoutVault.RenounceOwnershipDisabled.selector);
        vault.renounceOwnership();
        assertEq(vault.owner(), owner);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.renounceOwnership();
    }

    // ------------------------------------------------------------------ pause

    function test_pause_stopsEveryClaimUntilUnpaused() public {
        bytes memory signature = voucher(alice, 100 ether);
        PayoutVault.Withdrawal memory w = withdrawal(alice, exchange, 100 ether, 1 ether);
        bytes memory withdrawalSignature = signWithdrawal(aliceKey, w);

        vm.expectEmit(address(vault));
        emit Pausable.Paused(owner);
        vm.prank(owner);
        vault.pause();
        assertTrue(vault.paused());

        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.claim(alice, 100 ether, signature);
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.claimTo(exchange, 100 ether, signature);
        vm.prank(relayer);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.relayedClaim(w, 1 ether, signature, withdrawalSignature);

        vm.expectEmit(address(vault));
        emit Pausable.Unpaused(owner);
        vm.prank(owner);
        vault.unpause();

        vault.claim(alice, 100 ether, signature);
        assertEq(token.balanceOf(alice), 100 ether);
    }

    function test_pause_stillAllowsFundingAndNonceInvalidation() public {
        vm.prank(owner);
        vault.pause();

        fundVault(5 ether);
        assertEq(token.balanceOf(address(vault)), FUNDED + 5 ether);
        vm.prank(alice);
        vault.invalidateNonce();
        assertEq(vault.nonces(alice), 1);
    }

    function test_pauseAndUnpause_onlyTheOwner() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.pause();

        vm.prank(owner);
        vault.pause();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.unpause();
    }

    function test_pause_revertsWhenAlreadyPausedAndUnpauseWhenNot() public {
        vm.startPrank(owner);
        vm.expectRevert(Pausable.ExpectedPause.selector);
        vault.unpause();
        vault.pause();
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vault.pause();
        vm.stopPrank();
    }

    // ------------------------------------------------------------------ funding

    function test_fund_pullsTokensAndEmits() public {
        vm.prank(owner);
        token.mint(bob, 10 ether);
        vm.startPrank(bob);
        token.approve(address(vault), 10 ether);
        vm.expectEmit(address(vault));
        emit PayoutVault.Funded(bob, 10 ether);
        vault.fund(10 ether);
        vm.stopPrank();

        assertEq(token.balanceOf(address(vault)), FUNDED + 10 ether);
        assertEq(token.balanceOf(bob), 0);
    }

    function test_fund_revertsForZero() public {
        vm.expectRevert(PayoutVault.ZeroAmount.selector);
        vault.fund(0);
    }

    function test_fund_revertsWithoutAllowance() public {
        vm.prank(owner);
        token.mint(bob, 10 ether);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(vault), 0, 10 ether)
        );
        vault.fund(10 ether);
        assertEq(token.balanceOf(bob), 10 ether);
    }

    // ------------------------------------------------------------------ recovery

    function test_recoverToken_returnsAnotherTokenSentByMistake() public {
        IdlehiveTestToken stray = new IdlehiveTestToken(address(this));
        stray.mint(address(vault), 7 ether);

        vm.expectEmit(address(vault));
        emit PayoutVault.TokenRecovered(address(stray), bob, 7 ether);
        vm.prank(owner);
        vault.recoverToken(stray, bob, 7 ether);
        assertEq(stray.balanceOf(bob), 7 ether);
    }

    function test_recoverToken_neverMovesThePayoutToken() public {
        vm.prank(owner);
        vm.expectRevert(PayoutVault.CannotRecoverPayoutToken.selector);
        vault.recoverToken(token, owner, 1 ether);
        assertEq(token.balanceOf(address(vault)), FUNDED);
    }

    function test_recoverToken_onlyTheOwnerAndNeverToZero() public {
        IdlehiveTestToken stray = new IdlehiveTestToken(address(this));
        stray.mint(address(vault), 7 ether);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        vault.recoverToken(stray, alice, 7 ether);

        vm.prank(owner);
        vm.expectRevert(PayoutVault.ZeroAddress.selector);
        vault.recoverToken(stray, address(0), 7 ether);
    }

    // ------------------------------------------------------------------ hostile tokens

    function test_claim_cannotBeReenteredThroughTheTokensTransferHook() public {
        ReentrantToken hooked = new ReentrantToken();
        PayoutVault hookedVault = new PayoutVault(IERC20(address(hooked)), owner, signer);
        hooked.mint(address(hookedVault), 1_000 ether);
        bytes memory first = voucherBy(signerKey, address(hookedVault), alice, 100 ether);
        bytes memory second = voucherBy(signerKey, address(hookedVault), alice, 200 ether);
        hooked.setHook(
            address(hookedVault), address(hookedVault), abi.encodeCall(PayoutVault.claim, (alice, 200 ether, second))
        );

        vm.expectRevert(ReentrancyGuard.ReentrancyGuardReentrantCall.selector);
        hookedVault.claim(alice, 100 ether, first);
        assertEq(hookedVault.claimed(alice), 0);
        assertEq(hooked.balanceOf(alice), 0);
    }

    function test_claim_revertsWhenTheTokenReportsAFailedTransfer() public {
        FalseReturningToken liar = new FalseReturningToken();
        PayoutVault liarVault = new PayoutVault(IERC20(address(liar)), owner, signer);
        liar.mint(address(liarVault), 1_000 ether);
        liar.setFailing(true);
        bytes memory signature = voucherBy(signerKey, address(liarVault), alice, 100 ether);

        vm.expectRevert(abi.encodeWithSelector(SafeERC20.SafeERC20FailedOperation.selector, address(liar)));
        liarVault.claim(alice, 100 ether, signature);
        assertEq(liarVault.claimed(alice), 0);
    }
}
