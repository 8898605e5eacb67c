// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IdlehiveTestToken} from "../../src/IdlehiveTestToken.sol";
import {PayoutVault} from "../../src/PayoutVault.sol";
import {TypedData} from "../utils/TypedData.sol";

/// Drives the vault the way the network does, in random order: the coordinator issues ever
/// larger vouchers and sometimes rotates its key, providers claim (directly, forwarded, or
/// relayed with a fee) with new and stale vouchers, relayers replay, the owner pauses and
/// funders top up. Every call either succeeds or reverts with the exact error the handler
/// predicted, and the ghost variables record what was signed, funded and actually moved.
contract PayoutVaultHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant ACTORS = 4;
    uint256 internal constant MAX_INCREMENT = 1_000 ether;

    PayoutVault public immutable vault;
    IdlehiveTestToken public immutable token;
    address public immutable owner;

    address[] public actors;
    uint256[] internal actorKeys;
    address[] public recipients;
    uint256 public signerKey;
    uint256[] internal retiredSignerKeys;
    uint256 internal signerGeneration;

    /// Every cumulative amount the coordinator signed for an account, in the order signed.
    mapping(address account => uint256[] amounts) internal issued;

    // ------------------------------------------------------------------ ghost variables
    mapping(address account => uint256 amount) public ghostLargestSigned;
    mapping(address account => uint256 amount) public ghostPaidFor;
    mapping(address account => uint256 amount) public ghostClaimedFloor;
    uint256 public ghostTotalFunded;
    uint256 public ghostTotalPaid;
    uint256 public ghostClaimedDecreases;
    /// Calls that paid out and calls that reverted as predicted, to show a run exercised both.
    uint256 public ghostPayouts;
    uint256 public ghostExpectedReverts;

    struct Relayed {
        PayoutVault.Withdrawal withdrawal;
        bytes voucherSignature;
        bytes withdrawalSignature;
    }

    Relayed internal lastRelayed;
    bool internal hasRelayed;

    constructor(PayoutVault vault_, IdlehiveTestToken token_, address owner_, uint256 signerKey_) {
        vault = vault_;
        token = token_;
        owner = owner_;
        signerKey = signerKey_;
        for (uint256 i = 0; i < ACTORS; i++) {
            (address actor, uint256 key) = makeAddrAndKey(string.concat("provider-", vm.toString(i)));
            actors.push(actor);
            actorKeys.push(key);
            recipients.push(actor);
        }
        recipients.push(makeAddr("exchange"));
        recipients.push(makeAddr("cold-wallet"));
    }

    modifier observed() {
        _;
        _checkClaimedNeverDecreased();
    }

    // ------------------------------------------------------------------ coordinator and owner

    /// The coordinator credits verified work: a new, larger cumulative voucher.
    function issueVoucher(uint256 actorSeed, uint256 increment) external observed {
        _issue(_actor(actorSeed), increment);
    }

    function fund(uint256 amount) external observed {
        amount = _bound(amount, 1, 20 * MAX_INCREMENT);
        address funder = makeAddr("funder");
        vm.prank(owner);
        token.mint(funder, amount);
        vm.startPrank(funder);
        token.approve(address(vault), amount);
        vault.fund(amount);
        vm.stopPrank();
        ghostTotalFunded += amount;
    }

    function rotateSigner() external observed {
        retiredSignerKeys.push(signerKey);
        signerGeneration++;
        (address next, uint256 key) = makeAddrAndKey(string.concat("coordinator-", vm.toString(signerGeneration)));
        vm.prank(owner);
        vault.setSigner(next);
        signerKey = key;
    }

    /// Unpauses a paused vault; pauses a running one a quarter of the time, so that claims
    /// mostly meet a running vault but every path also meets a paused one.
    function togglePause(uint256 seed) external observed {
        bool isPaused = vault.paused();
        if (!isPaused && seed % 4 != 0) return;
        vm.prank(owner);
        if (isPaused) vault.unpause();
        else vault.pause();
    }

    function warp(uint256 seconds_) external observed {
        vm.warp(block.timestamp + _bound(seconds_, 0, 2 hours));
    }

    // ------------------------------------------------------------------ providers

    function claim(uint256 actorSeed, uint256 voucherSeed, uint256 callerSeed) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        bytes memory signature = _voucher(signerKey, account, cumulative);

        _measured(
            _actor(callerSeed),
            account,
            abi.encodeCall(PayoutVault.claim, (account, cumulative, signature)),
            _claimError(account, cumulative, 0)
        );
    }

    function claimTo(uint256 actorSeed, uint256 voucherSeed, uint256 recipientSeed) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        address recipient = recipients[recipientSeed % recipients.length];
        bytes memory signature = _voucher(signerKey, account, cumulative);

        _measured(
            account,
            account,
            abi.encodeCall(PayoutVault.claimTo, (recipient, cumulative, signature)),
            _claimError(account, cumulative, 0)
        );
    }

    function relayedClaim(
        uint256 actorSeed,
        uint256 voucherSeed,
        uint256 recipientSeed,
        uint256 maxFee,
        uint256 fee,
        uint256 relayerSeed
    ) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        uint256 claimAmount = cumulative - _min(cumulative, vault.claimed(account));
        maxFee = _bound(maxFee, 0, MAX_INCREMENT);
        // Mostly honest relayers, sometimes one asking a wei more than allowed.
        fee = fee % 8 == 0 ? maxFee + 1 : _bound(fee, 0, _min(maxFee, claimAmount));

        PayoutVault.Withdrawal memory w = PayoutVault.Withdrawal({
            account: account,
            recipient: recipients[recipientSeed % recipients.length],
            cumulativeAmount: cumulative,
            maxFee: maxFee,
            deadline: block.timestamp + 1 hours,
            nonce: vault.nonces(account)
        });
        bytes memory voucherSignature = _voucher(signerKey, account, cumulative);
        bytes memory withdrawalSignature =
            _sign(_keyOf(account), TypedData.withdrawalDigest(block.chainid, address(vault), w));

        bytes memory expectedError = vault.paused()
            ? abi.encodeWithSelector(Pausable.EnforcedPause.selector)
            : fee > maxFee
                ? abi.encodeWithSelector(PayoutVault.FeeAboveMax.selector, fee, maxFee)
                : _claimError(account, cumulative, fee);
        _measured(
            _recipientOrRelayer(relayerSeed),
            account,
            abi.encodeCall(PayoutVault.relayedClaim, (w, fee, voucherSignature, withdrawalSignature)),
            expectedError
        );
        if (expectedError.length == 0) {
            lastRelayed = Relayed(w, voucherSignature, withdrawalSignature);
            hasRelayed = true;
        }
    }

    /// A relayer (or anyone watching the mempool) resubmits a withdrawal that already went through.
    function replayRelayed(uint256 relayerSeed) external observed {
        if (!hasRelayed) return;
        Relayed memory r = lastRelayed;
        // forge-lint: disable-next-item(block-timestamp)
        bytes memory expectedError = vault.paused()
            ? abi.encodeWithSelector(Pausable.EnforcedPause.selector)
            : block.timestamp > r.withdrawal.deadline
                ? abi.encodeWithSelector(PayoutVault.WithdrawalExpired.selector, r.withdrawal.deadline)
                : abi.encodeWithSelector(
                    Nonces.InvalidAccountNonce.selector, r.withdrawal.account, vault.nonces(r.withdrawal.account)
                );
        _measured(
            _recipientOrRelayer(relayerSeed),
            r.withdrawal.account,
            abi.encodeCall(PayoutVault.relayedClaim, (r.withdrawal, 0, r.voucherSignature, r.withdrawalSignature)),
            expectedError
        );
    }

    /// A voucher signed by a key the owner rotated out never pays.
    function claimWithRetiredSigner(uint256 actorSeed, uint256 voucherSeed, uint256 retiredSeed) external observed {
        if (retiredSignerKeys.length == 0) return;
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        uint256 retiredKey = retiredSignerKeys[retiredSeed % retiredSignerKeys.length];
        bytes memory signature = _voucher(retiredKey, account, cumulative);

        _measured(
            account,
            account,
            abi.encodeCall(PayoutVault.claim, (account, cumulative, signature)),
            _invalidVoucherError()
        );
    }

    /// A withdrawal submitted after its deadline: a relayer that held on to it too long, or
    /// a stale one resurfacing. It must pay nothing, whatever the fee.
    function relayedClaimAfterDeadline(uint256 actorSeed, uint256 voucherSeed, uint256 lateBy, uint256 fee)
        external
        observed
    {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        uint256 deadline = block.timestamp - _bound(lateBy, 1, 1 days);
        PayoutVault.Withdrawal memory w = PayoutVault.Withdrawal({
            account: account,
            recipient: account,
            cumulativeAmount: cumulative,
            maxFee: MAX_INCREMENT,
            deadline: deadline,
            nonce: vault.nonces(account)
        });
        bytes memory voucherSignature = _voucher(signerKey, account, cumulative);
        bytes memory withdrawalSignature =
            _sign(_keyOf(account), TypedData.withdrawalDigest(block.chainid, address(vault), w));

        bytes memory expectedError = vault.paused()
            ? abi.encodeWithSelector(Pausable.EnforcedPause.selector)
            : abi.encodeWithSelector(PayoutVault.WithdrawalExpired.selector, deadline);
        _measured(
            makeAddr("relayer"),
            account,
            abi.encodeCall(
                PayoutVault.relayedClaim, (w, _bound(fee, 0, MAX_INCREMENT), voucherSignature, withdrawalSignature)
            ),
            expectedError
        );
    }

    /// The current signer's voucher, but for another chain id or another vault: a voucher from
    /// a testnet deployment, or for a second vault the same coordinator runs.
    function claimForeignDomain(uint256 actorSeed, uint256 voucherSeed, uint256 domainSeed) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        bool otherChain = domainSeed % 2 == 0;
        uint256 chainId = otherChain ? block.chainid + 1 + _bound(domainSeed, 0, 1e6) : block.chainid;
        address forVault = otherChain ? address(vault) : makeAddr(string.concat("vault-", vm.toString(domainSeed % 3)));
        bytes memory signature = _sign(signerKey, TypedData.voucherDigest(chainId, forVault, account, cumulative));

        _measured(
            account,
            account,
            abi.encodeCall(PayoutVault.claim, (account, cumulative, signature)),
            _invalidVoucherError()
        );
    }

    /// The high-s twin of a valid voucher: ecrecover accepts it, the vault must not.
    function claimWithHighS(uint256 actorSeed, uint256 voucherSeed) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = _pickIssued(account, voucherSeed);
        bytes memory twin = TypedData.malleate(_voucher(signerKey, account, cumulative));

        _measured(
            account, account, abi.encodeCall(PayoutVault.claim, (account, cumulative, twin)), _invalidVoucherError()
        );
    }

    /// A voucher the coordinator never signed: more than the account ever earned.
    function claimMoreThanSigned(uint256 actorSeed, uint256 extra) external observed {
        address account = _actor(actorSeed);
        uint256 cumulative = ghostLargestSigned[account] + _bound(extra, 1, MAX_INCREMENT);
        bytes memory forged = _voucher(_keyOf(account), account, cumulative);

        _measured(
            account, account, abi.encodeCall(PayoutVault.claim, (account, cumulative, forged)), _invalidVoucherError()
        );
    }

    function invalidateNonce(uint256 actorSeed) external observed {
        address account = _actor(actorSeed);
        uint256 before = vault.nonces(account);
        vm.prank(account);
        vault.invalidateNonce();
        require(vault.nonces(account) == before + 1, "nonce did not advance");
    }

    // ------------------------------------------------------------------ views for the invariants

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function recipientCount() external view returns (uint256) {
        return recipients.length;
    }

    // ------------------------------------------------------------------ internals

    /// Calls the vault as `caller` and books what actually left it (by balance, not by return
    /// value) as paid for `account`. `expectedError` is the exact revert data the call must
    /// fail with, or empty when it must succeed; anything else fails the run.
    function _measured(address caller, address account, bytes memory call, bytes memory expectedError) internal {
        uint256 before = token.balanceOf(address(vault));
        if (expectedError.length > 0) vm.expectRevert(expectedError);
        vm.prank(caller);
        (bool ok, bytes memory returned) = address(vault).call(call);
        if (!ok && expectedError.length == 0) {
            assembly ("memory-safe") {
                revert(add(returned, 0x20), mload(returned))
            }
        }
        uint256 afterwards = token.balanceOf(address(vault));
        require(afterwards <= before, "vault balance grew during a claim");
        if (expectedError.length > 0) require(afterwards == before, "a reverted claim moved tokens");
        ghostPaidFor[account] += before - afterwards;
        ghostTotalPaid += before - afterwards;
        if (expectedError.length > 0) ghostExpectedReverts++;
        else ghostPayouts++;
    }

    /// The one error a claim of `cumulative` with `fee` must fail with, or empty when it must pay.
    function _claimError(address account, uint256 cumulative, uint256 fee) internal view returns (bytes memory) {
        uint256 alreadyClaimed = vault.claimed(account);
        uint256 balance = token.balanceOf(address(vault));
        if (vault.paused()) return abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        if (cumulative < alreadyClaimed) {
            return
                abi.encodeWithSelector(PayoutVault.CumulativeBelowClaimed.selector, account, cumulative, alreadyClaimed);
        }
        if (cumulative == alreadyClaimed) {
            return abi.encodeWithSelector(PayoutVault.NothingToClaim.selector, account, cumulative);
        }
        uint256 claimAmount = cumulative - alreadyClaimed;
        if (fee > claimAmount) return abi.encodeWithSelector(PayoutVault.FeeAboveClaimable.selector, fee, claimAmount);
        if (balance < claimAmount) {
            return abi.encodeWithSelector(PayoutVault.VaultUnderfunded.selector, balance, claimAmount);
        }
        return "";
    }

    function _invalidVoucherError() internal view returns (bytes memory) {
        return vault.paused()
            ? abi.encodeWithSelector(Pausable.EnforcedPause.selector)
            : abi.encodeWithSelector(PayoutVault.InvalidVoucherSignature.selector);
    }

    function _checkClaimedNeverDecreased() internal {
        for (uint256 i = 0; i < actors.length; i++) {
            address account = actors[i];
            uint256 current = vault.claimed(account);
            if (current < ghostClaimedFloor[account]) ghostClaimedDecreases++;
            ghostClaimedFloor[account] = current;
        }
    }

    function _issue(address account, uint256 increment) internal returns (uint256 next) {
        next = ghostLargestSigned[account] + _bound(increment, 1, MAX_INCREMENT);
        ghostLargestSigned[account] = next;
        issued[account].push(next);
    }

    /// One of the vouchers issued for `account` (issuing its first if there is none yet):
    /// mostly the newest, as the app submits, but stale ones too.
    function _pickIssued(address account, uint256 seed) internal returns (uint256) {
        uint256[] storage amounts = issued[account];
        if (amounts.length == 0) return _issue(account, seed);
        uint256 index = seed % 3 == 0 ? seed % amounts.length : amounts.length - 1;
        return amounts[index];
    }

    function _voucher(uint256 key, address account, uint256 cumulative) internal view returns (bytes memory) {
        return _sign(key, TypedData.voucherDigest(block.chainid, address(vault), account, cumulative));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _keyOf(address account) internal view returns (uint256) {
        for (uint256 i = 0; i < actors.length; i++) {
            if (actors[i] == account) return actorKeys[i];
        }
        revert("not an actor");
    }

    function _recipientOrRelayer(uint256 seed) internal returns (address) {
        return seed % 2 == 0 ? recipients[seed % recipients.length] : makeAddr("relayer");
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
