/**
 * The whole network on loopback, what `npm start` runs by default: anvil
 * (state kept in `dataDir`), tHIVE and a funded PayoutVault whose voucher
 * signer is the coordinator's key, the coordinator (relaying claims for
 * providers without gas from a funded account), a demo requester that
 * keeps real jobs coming, and an honest peer provider (see peer-provider.ts
 * for why one is needed). The agent is not part of it: it connects to
 * `coordinatorUrl` and `chain.rpcUrl` like to any real deployment.
 *
 * The coordinator's credits and the vault's `claimed` must describe the same
 * money. If the chain no longer holds what the coordinator's data was paying
 * from (the state file is gone or behind), the old network is moved aside and
 * a fresh one starts, said in one line: carrying on would pay twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JsonRpcProvider } from 'ethers';
import { anvilProvider } from '../chain/anvil.ts';
import type { CoordinatorSettingsInput } from '../coordinator/coordinator-config.ts';
import { spawnCoordinator } from '../coordinator/spawn-coordinator.ts';
import { DEFAULT_REPLICATION_POLICY } from '../verification/adaptive-replication.ts';
import { guardChild } from './child-guard.ts';
import { type DemoRequester, startDemoRequester } from './demo-requester.ts';
import { loadOrCreateKey } from './key-file.ts';
import {
  type LocalNetworkDescriptor,
  readLocalNetworkDescriptor,
  writeLocalNetworkDescriptor,
} from './local-network-descriptor.ts';
import type { LocalNetworkLog } from './local-network-log.ts';
import { deployFreshPayout, payoutMismatch } from './local-payout.ts';
import { fundedLocalRelayer } from './local-relayer.ts';
import { startOwnedAnvil } from './owned-anvil.ts';
import { type PeerProvider, startPeerProvider } from './peer-provider.ts';

export interface LocalNetworkOptions {
  dataDir: string;
  log: LocalNetworkLog;
  /** Keep real jobs coming (default true). */
  demoRequester?: boolean;
  /** Run the honest peer that computes the second copy of each job (default true). */
  peerProvider?: boolean;
}

export interface LocalNetwork {
  coordinatorUrl: string;
  /** The coordinator's address: it signs the vouchers the vault pays. */
  coordinatorAddress: string;
  /** The coordinator's relaying account (gas-funded): providers without gas withdraw through it. */
  relayerAddress: string;
  chain: { rpcUrl: string; chainId: number; vault: string; token: string };
  /** The demo requester's account. */
  requesterAddress: string;
  peerAddress: string;
  stop(): Promise<void>;
}

const STATE_FILE = 'anvil-state.json';
const COORDINATOR_DIR = 'coordinator';

/**
 * Two providers on one machine: no result is ever accepted alone (the peer
 * is always the second opinion), and no calibration jobs exist to hand out.
 */
export const LOCAL_COORDINATOR_SETTINGS: CoordinatorSettingsInput = {
  replication: { ...DEFAULT_REPLICATION_POLICY, trustThreshold: 1_000_000, calibrationRate: 0 },
};

/** Moves the old network aside (nothing is deleted) so a fresh one starts in `dataDir`. */
function setAside(dataDir: string): string {
  const aside = `${dataDir}.stale-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(dataDir, aside);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return aside;
}

function readDescriptorOrNull(dataDir: string, log: LocalNetworkLog): LocalNetworkDescriptor | null {
  try {
    return readLocalNetworkDescriptor(dataDir);
  } catch (error) {
    log.warn(error instanceof Error ? error.message : String(error));
    return null;
  }
}

export async function startLocalNetwork(options: LocalNetworkOptions): Promise<LocalNetwork> {
  const { dataDir, log } = options;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stateFile = path.join(dataDir, STATE_FILE);
  let known = readDescriptorOrNull(dataDir, log);
  if (known === null && fs.existsSync(path.join(dataDir, COORDINATOR_DIR))) {
    const aside = setAside(dataDir);
    log.notice(`The local network's records were incomplete; starting it fresh (the old one is in ${aside}).`);
  }

  let chain = await startOwnedAnvil(stateFile);
  let provider: JsonRpcProvider = anvilProvider(chain);
  const stops: Array<() => Promise<void>> = [
    async () => {
      provider.destroy();
      await chain.stop();
    },
  ];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    if (known !== null) {
      const mismatch = await payoutMismatch(provider, known);
      if (mismatch !== null) {
        await stopAll();
        const aside = setAside(dataDir);
        log.notice(
          `The local chain does not match the local coordinator's records (${mismatch}); starting the local network fresh so nothing is paid twice (the old one is in ${aside}).`,
        );
        known = null;
        chain = await startOwnedAnvil(stateFile);
        provider = anvilProvider(chain);
        stops.push(async () => {
          provider.destroy();
          await chain.stop();
        });
      }
    }

    const coordinatorKey = loadOrCreateKey(dataDir, 'coordinator-key');
    if (known === null) {
      const payout = await deployFreshPayout(provider, coordinatorKey.address);
      known = {
        version: 1,
        chainId: chain.chainId,
        vault: payout.vault,
        token: payout.token,
        coordinatorAddress: coordinatorKey.address,
        deployedAt: Date.now(),
        lastBlock: await provider.getBlockNumber(),
        running: null,
      };
      writeLocalNetworkDescriptor(dataDir, known);
      log.info(`local network: deployed tHIVE ${payout.token} and the vault ${payout.vault} on chain ${chain.chainId}`);
    }
    const descriptor: LocalNetworkDescriptor = known;
    const relay = await fundedLocalRelayer(provider, dataDir, chain.rpcUrl);

    // Its own process: the agent shares this one, and its event loop should not wait on the coordinator's work.
    const coordinator = await spawnCoordinator({
      dataDir: path.join(dataDir, COORDINATOR_DIR),
      port: 0,
      chain: {
        chainId: descriptor.chainId,
        vault: descriptor.vault,
        signerPrivateKey: coordinatorKey.privateKey,
        relay: relay.settings,
      },
      settings: LOCAL_COORDINATOR_SETTINGS,
    });
    const releaseCoordinator = guardChild(coordinator.child.pid as number);
    stops.push(async () => {
      // The height reached, so a later start can tell a chain that lost blocks.
      const lastBlock = await provider.getBlockNumber().catch(() => descriptor.lastBlock);
      await coordinator.stop();
      releaseCoordinator();
      writeLocalNetworkDescriptor(dataDir, { ...descriptor, lastBlock, running: null });
    });
    writeLocalNetworkDescriptor(dataDir, {
      ...descriptor,
      running: { pid: process.pid, coordinatorUrl: coordinator.url, rpcUrl: chain.rpcUrl },
    });

    const requesterWallet = loadOrCreateKey(dataDir, 'requester-key');
    const peerWallet = loadOrCreateKey(dataDir, 'peer-provider-key');
    let requester: DemoRequester | null = null;
    let peer: PeerProvider | null = null;
    if (options.peerProvider ?? true) {
      peer = startPeerProvider({
        coordinatorUrl: coordinator.url,
        wallet: peerWallet,
        workDir: path.join(dataDir, 'peer-work'),
        log,
      });
      const running = peer;
      stops.push(() => running.stop());
    }
    if (options.demoRequester ?? true) {
      requester = startDemoRequester({
        coordinatorUrl: coordinator.url,
        stateFile: path.join(dataDir, 'demo-requester.json'),
        wallet: requesterWallet,
        log,
      });
      const running = requester;
      stops.push(() => running.stop());
    }

    let stopping: Promise<void> | null = null;
    return {
      coordinatorUrl: coordinator.url,
      coordinatorAddress: coordinator.address,
      relayerAddress: relay.relayer.address,
      chain: { rpcUrl: chain.rpcUrl, chainId: descriptor.chainId, vault: descriptor.vault, token: descriptor.token },
      requesterAddress: requesterWallet.address,
      peerAddress: peerWallet.address,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
