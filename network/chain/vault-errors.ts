/**
 * Names the PayoutVault's custom error in a failed call. ethers decodes revert
 * data only for calls made through a contract's own static/estimate methods; a
 * transaction sent through a signer fails while estimating gas with the raw
 * data alone. The agent and coordinator need the name ("NothingToClaim",
 * "WithdrawalExpired") to tell a person what happened.
 */
import { type ErrorDescription, Interface, isCallException } from 'ethers';
import { payoutVaultArtifact } from './contract-artifacts.ts';

const vaultInterface = new Interface(payoutVaultArtifact.abi as never);

/** The vault error (name and arguments) behind `error`, or null when it is not a vault revert. */
export function decodeVaultError(error: unknown): ErrorDescription | null {
  if (!isCallException(error) || !error.data) return null;
  return vaultInterface.parseError(error.data);
}
