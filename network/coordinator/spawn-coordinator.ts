/**
 * The coordinator as a child process (network/coordinator/main.ts), for
 * whoever runs it beside other processes: `npm start`, the process tests,
 * the crash test and the throughput bench. Resolves once the child printed
 * its listening line; the signer and relayer keys travel in the child's environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { IdlehiveError } from '../../agent/errors.ts';
import type { CoordinatorSettingsInput } from './coordinator-config.ts';
import type { ChainSettings } from './start-coordinator.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface SpawnCoordinatorOptions {
  dataDir: string;
  /** 0 picks a free port; pass the previous port to restart where clients expect it. */
  port?: number;
  chain?: ChainSettings;
  settings?: CoordinatorSettingsInput;
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

export interface CoordinatorProcess {
  url: string;
  port: number;
  /** The coordinator's address (its key). */
  address: string;
  child: ChildProcess;
  /** Sends the signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnCoordinator(options: SpawnCoordinatorOptions): Promise<CoordinatorProcess> {
  const args = [...(options.nodeArgs ?? []), 'network/coordinator/main.ts', '--data-dir', options.dataDir];
  args.push('--port', String(options.port ?? 0));
  if (options.settings) args.push('--settings', JSON.stringify(options.settings));
  const env = { ...process.env };
  if (options.chain) {
    args.push('--chain-id', String(options.chain.chainId), '--vault', options.chain.vault);
    env.IDLEHIVE_COORDINATOR_KEY = options.chain.signerPrivateKey;
    const relay = options.chain.relay;
    if (relay) {
      args.push('--chain-rpc', relay.rpcUrl, '--relay-rate', relay.tokenUnitsPerNativeCoin.toString());
      env.IDLEHIVE_RELAYER_KEY = relay.privateKey;
    }
  }
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const text of readline.createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    const event = JSON.parse(text) as { url: string; address: string };
    const port = Number(new URL(event.url).port);
    return {
      url: event.url,
      port,
      address: event.address,
      child,
      stop: async (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
  }
  throw new IdlehiveError(
    'coordinator_exited',
    'The coordinator process exited before it listened; its error is above.',
  );
}
