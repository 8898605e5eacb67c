/**
 * Starts a coordinator in this process: opens (or creates) its database in
 * `dataDir`, loads its key, and serves the protocol on loopback. This is what
 * `npm start` embeds and what network/coordinator/main.ts runs as its own
 * process.
 *
 * Without `chain`, the coordinator keeps a key of its own in
 * `dataDir/coordinator-key` (0600) and signs no vouchers; with it, the key is
 * the vault's voucher signer and vouchers are signed for that vault. With
 * `chain.relay` as well (a chain endpoint and a gas-funded relayer key) it
 * also submits relayed claims for providers without gas; without it the relay
 * routes answer that this coordinator does not relay.
 */
import fs from 'node:fs';
import path from 'node:path';
import { getAddress, Wallet } from 'ethers';
import pino from 'pino';
import { IdlehiveError } from '../../agent/errors.ts';
import { APP_VERSION } from '../../agent/version.ts';
import { jsonRpc } from '../../agent/wallet/json-rpc.ts';
import { type CoordinatorSettingsInput, coordinatorSettings } from './coordinator-config.ts';
import { type CoordinatorContext, randomId } from './coordinator-context.ts';
import { buildCoordinatorServer } from './http/coordinator-server.ts';
import { ClaimRelayer } from './relay/claim-relayer.ts';
import { expireLeases } from './services/leasing.ts';
import { COORDINATOR_DATABASE_FILE, openCoordinatorDatabase } from './store/open-coordinator-database.ts';
import { SqliteCoordinatorStore } from './store/sqlite-store.ts';

export const LOCAL_CHAIN_ID = 31337;
const KEY_FILE = 'coordinator-key';
const SWEEP_INTERVAL_MS = 1000;

export interface ChainSettings {
  chainId: number;
  /** The deployed PayoutVault. */
  vault: string;
  /** The vault's voucher signer key (0x + 64 hex). */
  signerPrivateKey: string;
  relay?: RelaySettings;
}

export interface RelaySettings {
  /** The chain's JSON-RPC endpoint. */
  rpcUrl: string;
  /** The relaying account's key (0x + 64 hex); the account must hold native gas. */
  privateKey: string;
  /** Token base units per whole native coin: what a unit of gas costs in tokens. */
  tokenUnitsPerNativeCoin: bigint;
}

export interface StartCoordinatorOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  chain?: ChainSettings;
  settings?: CoordinatorSettingsInput;
  appVersion?: string;
}

export interface RunningCoordinator {
  url: string;
  /** The coordinator's address: delegations name it and vouchers are signed by it. */
  address: string;
  chainId: number;
  vault: string | null;
  /** The account that submits relayed claims; null when this coordinator does not relay. */
  relayer: string | null;
  stop(): Promise<void>;
}

function localKey(dataDir: string): Wallet {
  const file = path.join(dataDir, KEY_FILE);
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, 'utf8').trim();
    try {
      return new Wallet(text);
    } catch (cause) {
      throw new IdlehiveError(
        'coordinator_key_invalid',
        `${file} does not hold a private key; restore it or remove it to start with a new identity.`,
        {
          cause,
        },
      );
    }
  }
  const wallet = Wallet.createRandom();
  fs.writeFileSync(file, `${wallet.privateKey}\n`, { mode: 0o600, flag: 'wx' });
  return new Wallet(wallet.privateKey);
}

export async function startCoordinator(options: StartCoordinatorOptions): Promise<RunningCoordinator> {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const signer = options.chain ? new Wallet(options.chain.signerPrivateKey) : localKey(options.dataDir);
  const store = new SqliteCoordinatorStore(
    openCoordinatorDatabase(path.join(options.dataDir, COORDINATOR_DATABASE_FILE)),
    { groupCommit: true },
  );
  const ctx: CoordinatorContext = {
    store,
    settings: coordinatorSettings(options.settings),
    chain: options.chain
      ? { chainId: options.chain.chainId, vault: getAddress(options.chain.vault) }
      : { chainId: LOCAL_CHAIN_ID, vault: null },
    signer,
    relayer: null,
    appVersion: options.appVersion ?? APP_VERSION,
    now: Date.now,
    random: Math.random,
    newId: randomId,
  };
  const relay = options.chain?.relay;
  if (options.chain && relay) {
    ctx.relayer = new ClaimRelayer({
      rpc: jsonRpc(relay.rpcUrl),
      chainId: options.chain.chainId,
      vault: options.chain.vault,
      signer: new Wallet(relay.privateKey),
      tokenUnitsPerNativeCoin: relay.tokenUnitsPerNativeCoin,
      store,
      now: ctx.now,
    });
  }
  const log = pino({ name: 'coordinator', level: 'warn' }, pino.destination(2));
  const app = buildCoordinatorServer(ctx, log);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port, host });
  } catch (cause) {
    store.close();
    throw new IdlehiveError(
      'coordinator_listen_failed',
      `The coordinator could not listen on ${host}:${options.port} (${String(cause)}); choose another port.`,
      { cause },
    );
  }
  const sweeper = setInterval(() => {
    const failed = (error: unknown) => log.error({ err: error }, 'expiring leases failed');
    try {
      store.transaction(() => expireLeases(ctx));
      store.committed().catch(failed);
    } catch (error) {
      failed(error);
    }
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  let stopped: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    address: signer.address,
    chainId: ctx.chain.chainId,
    vault: ctx.chain.vault,
    relayer: ctx.relayer?.address ?? null,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(sweeper);
        await app.close();
        store.close();
      })();
      return stopped;
    },
  };
}
