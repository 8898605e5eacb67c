// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {StdInvariant} from "forge-std/StdInvariant.sol";
import {Test} from "forge-std/Test.sol";
import {IdlehiveTestToken} from "../src/IdlehiveTestToken.sol";
import {PayoutVault} from "../src/PayoutVault.sol";
import {PayoutVaultHandler} from "./handlers/PayoutVaultHandler.sol";

/// Money invariants that hold after any sequence of the handler's actions
/// (see [invariant] in foundry.toml for runs and depth; every handler call must end as
/// predicted, so fail_on_revert is on).
contract PayoutVaultInvariantTest is StdInvariant, Test {
    PayoutVaultHandler internal handler;
    PayoutVault internal vault;
    IdlehiveTestToken internal token;

    function setUp() public {
        address owner = makeAddr("owner");
        (address signer, uint256 signerKey) = makeAddrAndKey("coordinator-0");
        vm.warp(1_750_000_000);
        token = new IdlehiveTestToken(owner);
        vault = new PayoutVault(token, owner, signer);
        handler = new PayoutVaultHandler(vault, token, owner, signerKey);
        handler.fund(type(uint256).max); // start funded; the handler tops up (and runs dry) from there

        // Repeats weight the mix: earning and claiming are the common case.
        bytes4[] memory selectors = new bytes4[](18);
        selectors[0] = PayoutVaultHandler.issueVoucher.selector;
        selectors[1] = PayoutVaultHandler.issueVoucher.selector;
        selectors[2] = PayoutVaultHandler.issueVoucher.selector;
        selectors[3] = PayoutVaultHandler.fund.selector;
        selectors[4] = PayoutVaultHandler.claim.selector;
        selectors[5] = PayoutVaultHandler.claimTo.selector;
        selectors[6] = PayoutVaultHandler.relayedClaim.selector;
        selectors[7] = PayoutVaultHandler.relayedClaim.selector;
        selectors[8] = PayoutVaultHandler.replayRelayed.selector;
        selectors[9] = PayoutVaultHandler.claimWithRetiredSigner.selector;
        selectors[10] = PayoutVaultHandler.claimMoreThanSigned.selector;
        selectors[11] = PayoutVaultHandler.rotateSigner.selector;
        selectors[12] = PayoutVaultHandler.togglePause.selector;
        selectors[13] = PayoutVaultHandler.warp.selector;
        selectors[14] = PayoutVaultHandler.invalidateNonce.selector;
        selectors[15] = PayoutVaultHandler.relayedClaimAfterDeadline.selector;
        selectors[16] = PayoutVaultHandler.claimForeignDomain.selector;
        selectors[17] = PayoutVaultHandler.claimWithHighS.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// What the vault paid for an account (to it, its recipients and its relayers together)
    /// never exceeds the largest cumulative amount the coordinator signed for it, and is
    /// exactly what the vault records as claimed.
    function invariant_paidToAnAccountNeverExceedsTheLargestSignedVoucher() public view {
        for (uint256 i = 0; i < handler.actorCount(); i++) {
            address account = handler.actors(i);
            assertLe(handler.ghostPaidFor(account), handler.ghostLargestSigned(account), "paid above signed");
            assertEq(handler.ghostPaidFor(account), vault.claimed(account), "paid differs from claimed");
        }
    }

    /// Tokens are conserved: what is in the vault plus what left it is what was put in.
    function invariant_vaultBalancePlusPaidEqualsFunded() public view {
        assertEq(token.balanceOf(address(vault)) + handler.ghostTotalPaid(), handler.ghostTotalFunded());
    }

    /// And what left the vault sits with the providers, their recipients and relayers.
    function invariant_paidTokensArriveAtRecipientsAndRelayers() public {
        uint256 held = token.balanceOf(makeAddr("relayer"));
        for (uint256 i = 0; i < handler.recipientCount(); i++) {
            held += token.balanceOf(handler.recipients(i));
        }
        assertEq(held, handler.ghostTotalPaid());
        assertEq(token.totalSupply(), handler.ghostTotalFunded());
    }

    /// A run in which nothing was paid, or nothing was refused, would make every invariant
    /// above hold trivially: each run must have done both.
    function afterInvariant() external view {
        assertGt(handler.ghostPayouts(), 0, "no claim paid out in this run");
        assertGt(handler.ghostExpectedReverts(), 0, "no claim was refused in this run");
    }

    /// An account's claimed amount only ever grows, whatever was submitted in between.
    function invariant_claimedNeverDecreases() public {
        emit log_named_uint("payouts", handler.ghostPayouts());
        emit log_named_uint("expected reverts", handler.ghostExpectedReverts());
        assertEq(handler.ghostClaimedDecreases(), 0);
        for (uint256 i = 0; i < handler.actorCount(); i++) {
            address account = handler.actors(i);
            assertGe(vault.claimed(account), handler.ghostClaimedFloor(account));
        }
    }
}
