/**
 * A local EVM chain: anvil (from npm `@foundry-rs/anvil`) as a child process
 * on loopback. The local network and the chain tests start one; production
 * points at an RPC URL instead and never touches this file.
 *
 * Port 0 lets anvil pick a free port itself (no race with other processes);
 * its "Listening on HOST:PORT" line says which. Its accounts come from the
 * well-known test mnemonic, so they are funded and publicly known: never use
 * them outside a local chain.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { HDNodeWallet, JsonRpcProvider, type Provider } from 'ethers';
import { IdlehiveError } from '../../agent/errors.ts';
import { requireFoundryBinary } from './foundry-binary.ts';

/** Foundry's default mnemonic: every anvil instance funds the same accounts from it. */
export const ANVIL_MNEMONIC = 'test test test test test test test test test test test junk';
/** Anvil's default chain id (also Hardhat's), so wallets recognise it as a local chain. */
export const ANVIL_CHAIN_ID = 31337;

export interface AnvilOptions {
  /** 0 (the default) lets anvil choose a free port. */
  port?: number;
  chainId?: number;
  /** How long anvil may take to start listening. */
  startTimeoutMs?: number;
  /**
   * Keep the chain across runs: anvil loads this file if it exists, dumps to
   * it on a clean exit (SIGINT/SIGTERM) and every `dumpEverySeconds` while it
   * runs, so even a killed anvil loses at most that much.
   */
  state?: { file: string; dumpEverySeconds: number };
}

export interface AnvilChain {
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly pid: number;
  /** Ends anvil (SIGTERM, then SIGKILL after a grace period); resolves once it has exited. */
  stop(): Promise<void>;
}

const LISTENING = /Listening on ([\d.]+):(\d+)/;
/** The last lines anvil printed, kept to explain a failed start. */
const KEPT_OUTPUT_CHARS = 16_000;

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilChain> {
  const chainId = options.chainId ?? ANVIL_CHAIN_ID;
  const stateArgs = options.state
    ? ['--state', options.state.file, '--state-interval', String(options.state.dumpEverySeconds)]
    : [];
  const child = spawn(
    requireFoundryBinary('anvil'),
    ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--chain-id', String(chainId), ...stateArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  // Both pipes are read for anvil's whole life: a full pipe would block it.
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  const port = await new Promise<number>((resolve, reject) => {
    const fail = (reason: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new IdlehiveError('anvil_start_failed', `The local chain (anvil) did not start: ${reason}.\n${output}`));
    };
    const onData = (): void => {
      const match = LISTENING.exec(output);
      if (match) {
        cleanup();
        resolve(Number(match[2]));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`it exited (${signal ?? `code ${code}`})`);
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => fail('it did not listen in time'), options.startTimeoutMs ?? 30_000);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });

  return {
    rpcUrl: `http://127.0.0.1:${port}`,
    chainId,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Anvil's funded account `index` (0-9 by default), connected to `provider`. */
export function anvilAccount(index: number, provider: Provider): HDNodeWallet {
  return HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}

/**
 * An ethers provider for `chain`. Anvil mines each transaction at once, so a
 * signer's next transaction often follows within ethers' 250 ms result cache,
 * which would hand it the previous nonce ("nonce too low"): the cache is off.
 */
export function anvilProvider(chain: Pick<AnvilChain, 'rpcUrl' | 'chainId'>): JsonRpcProvider {
  return new JsonRpcProvider(chain.rpcUrl, chain.chainId, {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}
