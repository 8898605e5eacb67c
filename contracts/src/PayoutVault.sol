// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

/// @title Idlehive payout vault
/// @notice Holds one ERC-20 token and pays compute providers from vouchers signed by the
/// coordinator. A voucher states an account's cumulative earnings; the vault pays the
/// difference between that and what the account has already been paid, so a newer voucher
/// supersedes every older one and no voucher can be paid twice.
///
/// Three ways to claim:
/// - `claim`: anyone submits an account's voucher; the tokens go to the account.
/// - `claimTo`: the account itself submits and names where the tokens go.
/// - `relayedClaim`: the account signs a `Withdrawal` (recipient, max fee, deadline, nonce)
///   off chain; anyone submits it with the voucher and takes a fee in tokens of at most the
///   signed maximum, so an account without native gas can still withdraw.
///
/// Signatures are EIP-712 over the domain {name: "Idlehive PayoutVault", version: "1",
/// chainId, verifyingContract: this vault}, so a voucher is valid on one chain for one vault.
/// ECDSA signatures must have a low `s` (OpenZeppelin's ECDSA), so a malleated signature is
/// rejected rather than accepted as a second valid form.
///
/// The payout token leaves the vault only through claims: the owner can rotate the voucher
/// signer, pause claims and recover other tokens sent here by mistake, but cannot withdraw the
/// payout token. Tokens that charge a fee on transfer or rebase are not supported.
contract PayoutVault is Ownable2Step, Pausable, ReentrancyGuard, EIP712, Nonces {
    using SafeERC20 for IERC20;

    /// @notice A withdrawal the account signs so that someone else may submit its claim.
    /// @param account whose earnings are claimed (the signer of the withdrawal)
    /// @param recipient where the tokens go, less the relayer's fee
    /// @param cumulativeAmount the cumulative amount of the coordinator's voucher being claimed
    /// @param maxFee the most the relayer may take, in token units
    /// @param deadline the last block timestamp at which the withdrawal may be submitted
    /// @param nonce the account's current withdrawal nonce (`nonces(account)`)
    struct Withdrawal {
        address account;
        address recipient;
        uint256 cumulativeAmount;
        uint256 maxFee;
        uint256 deadline;
        uint256 nonce;
    }

    /// @notice EIP-712 name of the signing domain.
    string public constant DOMAIN_NAME = "Idlehive PayoutVault";
    /// @notice EIP-712 version of the signing domain.
    string public constant DOMAIN_VERSION = "1";

    /// @notice keccak256("Voucher(address account,uint256 cumulativeAmount)")
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(address account,uint256 cumulativeAmount)");

    /// @notice keccak256 of the Withdrawal type string, see {Withdrawal}.
    bytes32 public constant WITHDRAWAL_TYPEHASH = keccak256(
        "Withdrawal(address account,address recipient,uint256 cumulativeAmount,uint256 maxFee,uint256 deadline,uint256 nonce)"
    );

    /// @notice The token this vault pays out.
    IERC20 public immutable token;

    /// @notice The coordinator key whose vouchers this vault honours. Only the current signer's
    /// vouchers are valid: after a rotation the coordinator must re-sign with the new key.
    address public signer;

    mapping(address account => uint256 amount) private _claimed;

    /// @notice Tokens left the vault for `account`'s earnings: `amount` to `recipient` and `fee`
    /// to `relayer` (zero address and zero fee for a direct claim). `cumulativeAmount` is the
    /// voucher paid, and equals `claimed(account)` afterwards.
    event Claimed(
        address indexed account,
        address indexed recipient,
        uint256 cumulativeAmount,
        uint256 amount,
        uint256 fee,
        address relayer
    );

    /// @notice The voucher signer changed.
    event SignerChanged(address indexed previousSigner, address indexed newSigner);

    /// @notice `from` added `amount` payout tokens through {fund}.
    event Funded(address indexed from, uint256 amount);

    /// @notice `account`'s withdrawal nonce `nonce` was consumed, by a relayed claim or by
    /// {invalidateNonce}; a Withdrawal signed with it can no longer be submitted.
    event NonceUsed(address indexed account, uint256 nonce);

    /// @notice The owner recovered `amount` of a token other than the payout token.
    event TokenRecovered(address indexed token, address indexed to, uint256 amount);

    /// @notice A required address (token, owner, signer, account) was the zero address.
    error ZeroAddress();
    /// @notice An amount that must be positive was zero.
    error ZeroAmount();
    /// @notice Tokens cannot be sent to the zero address or to the vault itself.
    error InvalidRecipient(address recipient);
    /// @notice The voucher was not signed by the current signer for this account and amount on
    /// this chain and vault (or the signature is malformed or has a high `s`).
    error InvalidVoucherSignature();
    /// @notice The withdrawal was not signed by its account (or the signature is malformed or
    /// has a high `s`).
    error InvalidWithdrawalSignature();
    /// @notice The voucher's cumulative amount has already been paid in full.
    error NothingToClaim(address account, uint256 cumulativeAmount);
    /// @notice The voucher is older than what the account has already been paid.
    error CumulativeBelowClaimed(address account, uint256 cumulativeAmount, uint256 claimed);
    /// @notice The withdrawal's deadline has passed.
    error WithdrawalExpired(uint256 deadline);
    /// @notice The relayer asked for more than the withdrawal's signed maximum fee.
    error FeeAboveMax(uint256 fee, uint256 maxFee);
    /// @notice The relayer asked for more than the amount being claimed.
    error FeeAboveClaimable(uint256 fee, uint256 claimable);
    /// @notice The vault holds fewer tokens than this claim pays; it must be funded first.
    error VaultUnderfunded(uint256 balance, uint256 needed);
    /// @notice {recoverToken} cannot move the payout token.
    error CannotRecoverPayoutToken();
    /// @notice Renouncing ownership would freeze signer rotation and unpausing.
    error RenounceOwnershipDisabled();

    /// @param token_ the ERC-20 paid out
    /// @param initialOwner may rotate the signer, pause, and recover stray tokens
    /// @param initialSigner the coordinator key that signs vouchers
    constructor(IERC20 token_, address initialOwner, address initialSigner)
        Ownable(initialOwner)
        EIP712(DOMAIN_NAME, DOMAIN_VERSION)
    {
        if (address(token_) == address(0) || initialSigner == address(0)) revert ZeroAddress();
        token = token_;
        signer = initialSigner;
        emit SignerChanged(address(0), initialSigner);
    }

    // ------------------------------------------------------------------ claims

    /// @notice Pays `account` what the voucher adds to what it was already paid.
    /// Anyone may submit it: the tokens can only go to `account`.
    /// @return amount the tokens paid
    function claim(address account, uint256 cumulativeAmount, bytes calldata voucherSignature)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 amount)
    {
        amount = _settleVoucher(account, cumulativeAmount, voucherSignature);
        _payOut(account, amount);
        emit Claimed(account, account, cumulativeAmount, amount, 0, address(0));
    }

    /// @notice The caller claims its own voucher and has the tokens sent to `recipient`.
    /// @return amount the tokens paid
    function claimTo(address recipient, uint256 cumulativeAmount, bytes calldata voucherSignature)
        external
        whenNotPaused
        nonReentrant
        returns (uint256 amount)
    {
        _requireValidRecipient(recipient);
        amount = _settleVoucher(msg.sender, cumulativeAmount, voucherSignature);
        _payOut(recipient, amount);
        emit Claimed(msg.sender, recipient, cumulativeAmount, amount, 0, address(0));
    }

    /// @notice Submits a withdrawal signed by its account, paying `recipient` the claim less
    /// `fee`, and the caller `fee`. The caller names its fee: at most the signed `maxFee` and at
    /// most the amount claimed. Valid up to and including `deadline`, once (nonce).
    /// @return amount the tokens paid to the recipient
    function relayedClaim(
        Withdrawal calldata withdrawal,
        uint256 fee,
        bytes calldata voucherSignature,
        bytes calldata withdrawalSignature
    ) external whenNotPaused nonReentrant returns (uint256 amount) {
        // A deadline is what block.timestamp is for; seconds of validator drift do not matter here.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp > withdrawal.deadline) revert WithdrawalExpired(withdrawal.deadline);
        if (fee > withdrawal.maxFee) revert FeeAboveMax(fee, withdrawal.maxFee);
        _requireValidRecipient(withdrawal.recipient);
        if (!_isSignedByAccount(withdrawal.account, withdrawalDigest(withdrawal), withdrawalSignature)) {
            revert InvalidWithdrawalSignature();
        }
        _useCheckedNonce(withdrawal.account, withdrawal.nonce);
        emit NonceUsed(withdrawal.account, withdrawal.nonce);

        uint256 total = _settleVoucher(withdrawal.account, withdrawal.cumulativeAmount, voucherSignature);
        if (fee > total) revert FeeAboveClaimable(fee, total);
        amount = total - fee;

        _requireFunded(total);
        if (amount > 0) token.safeTransfer(withdrawal.recipient, amount);
        if (fee > 0) token.safeTransfer(msg.sender, fee);
        emit Claimed(withdrawal.account, withdrawal.recipient, withdrawal.cumulativeAmount, amount, fee, msg.sender);
    }

    /// @notice Consumes the caller's current withdrawal nonce, so a Withdrawal signed with it
    /// and not yet submitted can never be.
    function invalidateNonce() external {
        uint256 nonce = _useNonce(msg.sender);
        emit NonceUsed(msg.sender, nonce);
    }

    // ------------------------------------------------------------------ funding

    /// @notice Moves `amount` payout tokens from the caller into the vault (needs an allowance).
    function fund(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        token.safeTransferFrom(msg.sender, address(this), amount);
        emit Funded(msg.sender, amount);
    }

    // ------------------------------------------------------------------ owner

    /// @notice Makes `newSigner` the only key whose vouchers are valid.
    function setSigner(address newSigner) external onlyOwner {
        if (newSigner == address(0)) revert ZeroAddress();
        emit SignerChanged(signer, newSigner);
        signer = newSigner;
    }

    /// @notice Stops every claim until {unpause}. Funding and nonce invalidation still work.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Lets claims through again.
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Sends tokens other than the payout token, sent here by mistake, to `to`.
    function recoverToken(IERC20 otherToken, address to, uint256 amount) external onlyOwner {
        if (address(otherToken) == address(token)) revert CannotRecoverPayoutToken();
        if (to == address(0)) revert ZeroAddress();
        otherToken.safeTransfer(to, amount);
        emit TokenRecovered(address(otherToken), to, amount);
    }

    /// @notice Disabled: a vault without an owner could never rotate its signer or unpause.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceOwnershipDisabled();
    }

    // ------------------------------------------------------------------ views

    /// @notice What a voucher for `cumulativeAmount` would pay `account` now (0 if nothing).
    function claimable(address account, uint256 cumulativeAmount) external view returns (uint256) {
        uint256 alreadyClaimed = _claimed[account];
        return cumulativeAmount > alreadyClaimed ? cumulativeAmount - alreadyClaimed : 0;
    }

    /// @notice The cumulative amount already paid for `account` (fees included).
    function claimed(address account) external view returns (uint256) {
        return _claimed[account];
    }

    /// @notice Whether `voucherSignature` is the current signer's voucher for this account and
    /// amount (whatever has been claimed already).
    function isValidVoucher(address account, uint256 cumulativeAmount, bytes calldata voucherSignature)
        external
        view
        returns (bool)
    {
        return _isSignedBySigner(voucherDigest(account, cumulativeAmount), voucherSignature);
    }

    /// @notice The EIP-712 domain separator for this chain and vault.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The EIP-712 digest the signer signs for a voucher.
    function voucherDigest(address account, uint256 cumulativeAmount) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, account, cumulativeAmount)));
    }

    /// @notice The EIP-712 digest an account signs for a withdrawal.
    function withdrawalDigest(Withdrawal calldata withdrawal) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    WITHDRAWAL_TYPEHASH,
                    withdrawal.account,
                    withdrawal.recipient,
                    withdrawal.cumulativeAmount,
                    withdrawal.maxFee,
                    withdrawal.deadline,
                    withdrawal.nonce
                )
            )
        );
    }

    // ------------------------------------------------------------------ internals

    /// Checks the voucher and records it as paid; returns the amount it adds. Effects only:
    /// the caller transfers afterwards (checks-effects-interactions).
    function _settleVoucher(address account, uint256 cumulativeAmount, bytes calldata voucherSignature)
        private
        returns (uint256 amount)
    {
        if (account == address(0)) revert ZeroAddress();
        if (!_isSignedBySigner(voucherDigest(account, cumulativeAmount), voucherSignature)) {
            revert InvalidVoucherSignature();
        }
        uint256 alreadyClaimed = _claimed[account];
        if (cumulativeAmount < alreadyClaimed) {
            revert CumulativeBelowClaimed(account, cumulativeAmount, alreadyClaimed);
        }
        if (cumulativeAmount == alreadyClaimed) revert NothingToClaim(account, cumulativeAmount);
        _claimed[account] = cumulativeAmount;
        return cumulativeAmount - alreadyClaimed;
    }

    function _payOut(address recipient, uint256 amount) private {
        _requireFunded(amount);
        token.safeTransfer(recipient, amount);
    }

    function _requireFunded(uint256 amount) private view {
        uint256 balance = token.balanceOf(address(this));
        if (balance < amount) revert VaultUnderfunded(balance, amount);
    }

    function _requireValidRecipient(address recipient) private view {
        if (recipient == address(0) || recipient == address(this)) revert InvalidRecipient(recipient);
    }

    function _isSignedBySigner(bytes32 digest, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }

    /// An ECDSA signature by the account's key, or, for an account with code (a contract
    /// wallet, or an EIP-7702 delegated key), an ERC-1271 approval.
    function _isSignedByAccount(address account, bytes32 digest, bytes calldata signature) private view returns (bool) {
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == account) return true;
        return
            account.code.length > 0 && SignatureChecker.isValidERC1271SignatureNowCalldata(account, digest, signature);
    }
}
