/**
 * The local coordinator's relaying account: its own key (`relayer-key`, 0600,
 * apart from the voucher signer, as a real operator would keep them), given
 * native gas by one of anvil's accounts whenever it runs low, so providers
 * without gas can withdraw through the coordinator on the local network too.
 */
import { type JsonRpcProvider, parseEther, parseUnits, type Wallet } from 'ethers';
import { anvilAccount } from '../chain/anvil.ts';
import type { RelaySettings } from '../coordinator/start-coordinator.ts';
import { loadOrCreateKey } from './key-file.ts';

/**
 * The local network's fixed exchange rate for relay fees: 1000 tHIVE per ETH.
 * At anvil's gas prices (about 2 gwei) a relayed claim's 200k gas then costs
 * about 0.4 tHIVE, well under what one demo job pays.
 */
export const LOCAL_RELAY_TOKEN_UNITS_PER_ETH = parseUnits('1000', 18);
const RELAYER_LOW_WATER = parseEther('1');
const RELAYER_TOP_UP = parseEther('10');

export async function fundedLocalRelayer(
  provider: JsonRpcProvider,
  dataDir: string,
  rpcUrl: string,
): Promise<{ relayer: Wallet; settings: RelaySettings }> {
  const relayer = loadOrCreateKey(dataDir, 'relayer-key');
  if ((await provider.getBalance(relayer.address)) < RELAYER_LOW_WATER) {
    await (await anvilAccount(0, provider).sendTransaction({ to: relayer.address, value: RELAYER_TOP_UP })).wait();
  }
  return {
    relayer,
    settings: { rpcUrl, privateKey: relayer.privateKey, tokenUnitsPerNativeCoin: LOCAL_RELAY_TOKEN_UNITS_PER_ETH },
  };
}
