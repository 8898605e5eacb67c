/**
 * `idlehive start` (what `npm start` runs) as a person runs it: it brings up
 * the local network and the agent, prints its one line, and one SIGINT stops
 * the whole process tree, anvil included. A restart keeps the chain (the same
 * vault, the coordinator's credits still backed); a start whose chain state
 * is gone starts the network fresh and says so in one line; and when the
 * start process is killed outright, anvil does not outlive it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { connectLocalApi } from '../../agent/local-api/client.ts';
import type { Status } from '../../agent/local-api/contract.ts';
import { readEndpointFile } from '../../agent/local-api/endpoint-file.ts';
import { createWallet } from '../../agent/wallet/wallet-keys.ts';
import { CoordinatorClaimRelay } from '../../network/client/coordinator-claim-relay.ts';
import { readLocalNetworkDescriptor } from '../../network/local-network/local-network-descriptor.ts';
import { CLI, makeTempHome, REPO_ROOT, waitFor } from '../support/agent-process.ts';
import { descendantPids, isAlive } from '../support/process-tree.ts';

const home = makeTempHome('idlehive-start-');
const dataDir = path.join(home, 'local-network');
const started: ChildProcess[] = [];
const PASSWORD = 'correct horse battery staple';

afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

interface StartedIdlehive {
  child: ChildProcess;
  /** The lines it printed once the dashboard line appeared. */
  lines: string[];
  output(): string;
  /** How it ended: its exit code, or the signal that ended it (with its output, so a failure says why). */
  exited: Promise<string>;
}

async function startIdlehive(): Promise<StartedIdlehive> {
  const child = spawn(process.execPath, [CLI, '--home', home, 'start', '--port', '0', '--no-open'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a command in a terminal, so a Ctrl-C can be sent to all of it.
    detached: true,
    env: { ...process.env, IDLEHIVE_HOME: undefined, IDLEHIVE_KEYCHAIN: 'off', DISPLAY: '', WAYLAND_DISPLAY: '' },
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) =>
      resolve(code === 0 ? 'exit 0' : `${code === null ? `signal ${signal}` : `exit ${code}`}:\n${stdout}\n${stderr}`),
    ),
  );
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`idlehive start exited early:\n${stdout}\n${stderr}`);
      return stdout.includes('Ctrl-C stops Idlehive)\n') ? true : null;
    },
    60_000,
    'the start line',
  );
  return { child, lines: stdout.trimEnd().split('\n'), output: () => `${stdout}\n${stderr}`, exited };
}

/** The descendants whose command line names `what`. */
function pidsRunning(rootPid: number, what: string): number[] {
  return descendantPids(rootPid).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(what);
    } catch {
      return false;
    }
  });
}
const anvilPids = (rootPid: number) => pidsRunning(rootPid, 'anvil-linux');

describe('idlehive start', () => {
  let firstVault = '';

  it('brings up the local network and the agent, prints one line, and one Ctrl-C stops everything', async () => {
    await createWallet(home, PASSWORD, { store: () => false, read: () => null, remove: () => {} });
    const idlehive = await startIdlehive();
    expect(idlehive.lines).toHaveLength(1);
    expect(idlehive.lines[0]).toMatch(
      /^Idlehive dashboard: http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]+ \(opened in the browser because .+; local network: coordinator http:\/\/127\.0\.0\.1:\d+, chain http:\/\/127\.0\.0\.1:\d+; Ctrl-C stops Idlehive\)$/,
    );
    const pid = idlehive.child.pid as number;
    expect(anvilPids(pid)).toHaveLength(1);
    const descriptor = readLocalNetworkDescriptor(dataDir);
    expect(descriptor?.running).toMatchObject({ pid });
    firstVault = descriptor?.vault ?? '';
    // The coordinator named in the line answers.
    const coordinatorUrl = /coordinator (http:\/\/[^,]+),/.exec(idlehive.lines[0] ?? '')?.[1];
    const info = await (await fetch(`${coordinatorUrl}/v1/info`)).json();
    expect(info).toMatchObject({ chainId: 31337 });
    // It relays claims for wallets without gas, from an account the local network gave gas.
    const quote = await new CoordinatorClaimRelay(coordinatorUrl as string).quote({
      chainId: 31337,
      vault: firstVault,
      account: descriptor?.coordinatorAddress ?? '',
      cumulativeAmount: 1n,
    });
    expect(quote.fee).toBeGreaterThan(0n);
    const balance = await fetch(descriptor?.running?.rpcUrl ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBalance', params: [quote.relayer, 'latest'] }),
    });
    expect(BigInt(((await balance.json()) as { result: string }).result)).toBeGreaterThan(0n);
    // The agent works for that network with no setting saved: unlocked and idle, it leases a demo job.
    const endpoint = readEndpointFile(homeLayout(home).endpointFile);
    if (endpoint === null) throw new Error('the agent published no endpoint');
    const api = await connectLocalApi({ url: endpoint.apiUrl, token: endpoint.token });
    try {
      expect(await api.call('settings.get', {})).toMatchObject({ coordinatorUrl: null, chainRpcUrl: null });
      await api.call('wallet.unlock', { password: PASSWORD });
      await api.call('scheduler.policy.set', { patch: { cpuBusyPercent: null } });
      let latest: Status = await api.call('status.get', {});
      api.on('status', (status) => {
        latest = status;
      });
      const away = setInterval(() => {
        void api
          .call('signals.shell.report', { signals: { hasInputSource: true, idleSeconds: 600, isOnBattery: false } })
          .catch(() => {});
      }, 250);
      try {
        await waitFor(() => (latest.job !== null ? true : null), 60_000, 'the agent to run a demo job');
      } finally {
        clearInterval(away);
      }
    } finally {
      api.close();
    }

    const tree = descendantPids(pid);
    // Ctrl-C: the terminal sends SIGINT to the whole foreground process group at once.
    process.kill(-pid, 'SIGINT');
    expect(await idlehive.exited).toBe('exit 0');
    await waitFor(() => (tree.every((child) => !isAlive(child)) ? true : null), 10_000, 'every child to be gone');
    expect(readLocalNetworkDescriptor(dataDir)?.running).toBeNull();
  }, 120_000);

  it('keeps the chain across a restart, and anvil and the coordinator die with a killed start process', async () => {
    const idlehive = await startIdlehive();
    expect(idlehive.lines).toHaveLength(1);
    expect(readLocalNetworkDescriptor(dataDir)?.vault).toBe(firstVault);
    const pid = idlehive.child.pid as number;
    const owned = [...anvilPids(pid), ...pidsRunning(pid, 'coordinator/main.ts')];
    expect(owned).toHaveLength(2);
    idlehive.child.kill('SIGKILL');
    await idlehive.exited;
    await waitFor(
      () => (owned.every((child) => !isAlive(child)) ? true : null),
      10_000,
      'anvil and the coordinator to end with their parent',
    );
  }, 120_000);

  it('starts fresh, saying so in one line, when the chain no longer holds the vault', async () => {
    fs.rmSync(path.join(dataDir, 'anvil-state.json'));
    const idlehive = await startIdlehive();
    expect(idlehive.lines).toHaveLength(2);
    expect(idlehive.lines[0]).toMatch(
      /^The local chain does not match the local coordinator's records \(no contract at the vault address 0x[0-9a-fA-F]{40}\); starting the local network fresh so nothing is paid twice \(the old one is in .+\)\.$/,
    );
    expect(readLocalNetworkDescriptor(dataDir)?.vault).not.toBe(firstVault);
    idlehive.child.kill('SIGINT');
    expect(await idlehive.exited).toBe('exit 0');
  }, 120_000);
});
