/**
 * Where `idlehive withdraw` and `idlehive wallet balance` reach the network:
 * a flag, else the owner's setting, else the local network `idlehive start`
 * runs now (its descriptor in `<home>/local-network/`), the same order the
 * agent uses with its embedded network. The coordinator is what relays a
 * claim for a wallet without gas.
 */
import path from 'node:path';
import { readLocalNetworkDescriptor } from '../../network/local-network/local-network-descriptor.ts';
import { homeLayout } from '../home.ts';
import { openLedger } from '../ledger/open-ledger.ts';
import { SettingsRepository } from '../ledger/settings-repository.ts';
import type { Settings } from '../local-api/contract.ts';
import { LOCAL_NETWORK_FOLDER } from './network-for-start.ts';

function settings(home: string): Settings {
  const db = openLedger(homeLayout(home).ledgerFile);
  try {
    return new SettingsRepository(db, Date.now).read();
  } finally {
    db.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The local network's endpoints while its process runs; null when none runs. */
function runningLocalNetwork(home: string): { coordinatorUrl: string; rpcUrl: string } | null {
  const running = readLocalNetworkDescriptor(path.join(home, LOCAL_NETWORK_FOLDER))?.running ?? null;
  return running && alive(running.pid) ? running : null;
}

export function chainRpcUrlFor(home: string, flag: string | undefined): string | null {
  return flag ?? settings(home).chainRpcUrl ?? runningLocalNetwork(home)?.rpcUrl ?? null;
}

export function coordinatorUrlFor(home: string, flag: string | undefined): string | null {
  return flag ?? settings(home).coordinatorUrl ?? runningLocalNetwork(home)?.coordinatorUrl ?? null;
}

/** The owner's cap on a withdrawal's fee bumps (gwei per gas), or null for the default (4 times the fee shown). */
export function withdrawalFeeCapFor(home: string): number | null {
  return settings(home).withdrawalMaxGasPriceGwei;
}
