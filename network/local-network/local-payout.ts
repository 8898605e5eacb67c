/**
 * The local network's money: tHIVE and a PayoutVault on the local anvil,
 * with the coordinator's key as the only voucher signer, funded once.
 *
 * Each fresh network deploys from a new random deployer (given gas by one of
 * anvil's accounts), so its contracts get addresses no earlier local network
 * used: a ledger that remembers withdrawals from an old vault can never
 * mistake the new one for it.
 */
import { Contract, getAddress, type JsonRpcProvider, parseEther, parseUnits, Wallet } from 'ethers';
import { anvilAccount } from '../chain/anvil.ts';
import { payoutVaultArtifact } from '../chain/contract-artifacts.ts';
import { deployLocalPayout } from '../chain/deploy.ts';
import type { LocalNetworkDescriptor } from './local-network-descriptor.ts';

/** What the vault holds for the whole life of a local network: far more than a demo can earn. */
export const LOCAL_VAULT_FUNDING = parseUnits('10000000', 18);
const DEPLOYER_GAS = parseEther('10');

export interface LocalPayout {
  vault: string;
  token: string;
}

export async function deployFreshPayout(provider: JsonRpcProvider, coordinatorAddress: string): Promise<LocalPayout> {
  const deployer = Wallet.createRandom().connect(provider);
  await (await anvilAccount(0, provider).sendTransaction({ to: deployer.address, value: DEPLOYER_GAS })).wait();
  const deployment = await deployLocalPayout(deployer, {
    voucherSigner: coordinatorAddress,
    initialFunding: LOCAL_VAULT_FUNDING,
  });
  return { vault: getAddress(deployment.vaultAddress), token: getAddress(deployment.tokenAddress) };
}

/**
 * Why the chain cannot carry on what the coordinator's data expects, or null
 * when it can: the vault is there, pays the same token, trusts the same
 * signer, and no block the network saw before its last clean stop is gone.
 */
export async function payoutMismatch(
  provider: JsonRpcProvider,
  expected: Pick<LocalNetworkDescriptor, 'vault' | 'token' | 'coordinatorAddress' | 'lastBlock'>,
): Promise<string | null> {
  if ((await provider.getCode(expected.vault)) === '0x') return `no contract at the vault address ${expected.vault}`;
  const vault = new Contract(expected.vault, payoutVaultArtifact.abi, provider);
  const token = getAddress(String(await vault.getFunction('token')()));
  if (token !== getAddress(expected.token)) return `the vault pays ${token}, not ${expected.token}`;
  const signer = getAddress(String(await vault.getFunction('signer')()));
  if (signer !== getAddress(expected.coordinatorAddress)) {
    return `the vault trusts ${signer}, not the coordinator ${expected.coordinatorAddress}`;
  }
  const height = await provider.getBlockNumber();
  if (height < expected.lastBlock)
    return `the chain is at block ${height}, below block ${expected.lastBlock} it reached before`;
  return null;
}
