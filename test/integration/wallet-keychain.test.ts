/**
 * The real Linux keychain: a private D-Bus session bus with gnome-keyring's
 * Secret Service on it (test/support/secret-service.ts). A wallet imported
 * with the bus present has its key in the Secret Service (read back here
 * through the same binding), so the agent can sign without the password, and
 * still can after a restart; the same machine without a bus falls back to the
 * password-encrypted keystore alone. Skipped, with the reason, where
 * dbus-daemon or gnome-keyring-daemon is not installed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeLayout } from '../../agent/home.ts';
import { connectLocalApi } from '../../agent/local-api/client.ts';
import { osKeychain } from '../../agent/wallet/keychain.ts';
import { type AgentProcess, CLI, makeTempHome, REPO_ROOT, startAgentProcess } from '../support/agent-process.ts';
import { type SecretService, secretServiceMissing, startSecretService } from '../support/secret-service.ts';

const missing = secretServiceMissing();
const PASSWORD = 'keychain test password';
const saved = { bus: process.env.DBUS_SESSION_BUS_ADDRESS, keychain: process.env.IDLEHIVE_KEYCHAIN };
let service: SecretService | undefined;

/** The real CLI with this process's environment (the bus, or none), keychain on. */
function cli(
  home: string,
  args: string[],
  stdinText: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, IDLEHIVE_HOME: undefined },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(stdinText);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

async function readiness(agent: AgentProcess): Promise<unknown> {
  const api = await connectLocalApi({ url: agent.endpoint.apiUrl, token: agent.endpoint.token });
  try {
    return (await api.call('wallet.status', {})).readiness;
  } finally {
    api.close();
  }
}

if (missing !== null) {
  describe.skip(`the Secret Service keychain (skipped: ${missing})`, () => {
    it('stores the key in the keychain', () => {});
  });
} else {
  describe('the Secret Service keychain (a private bus with gnome-keyring)', { timeout: 120_000 }, () => {
    beforeAll(async () => {
      delete process.env.IDLEHIVE_KEYCHAIN;
      service = await startSecretService();
    });

    afterAll(async () => {
      await service?.stop();
      process.env.DBUS_SESSION_BUS_ADDRESS = saved.bus;
      if (saved.bus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      if (saved.keychain !== undefined) process.env.IDLEHIVE_KEYCHAIN = saved.keychain;
    });

    it('keeps the key in the keychain, so the agent signs without a password, before and after a restart', async () => {
      if (!service) throw new Error('no Secret Service');
      process.env.DBUS_SESSION_BUS_ADDRESS = service.busAddress;
      const home = makeTempHome('idlehive-keychain-');
      const key = new Wallet(Wallet.createRandom().privateKey);
      const imported = await cli(home, ['wallet', 'import', '--json'], `${key.privateKey}\n${PASSWORD}\n`);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ address: key.address, keychain: true });
      // The Secret Service holds the key itself (read through the same binding, over the private bus).
      expect(osKeychain.read(key.address)).toBe(key.privateKey);

      let agent = await startAgentProcess(home);
      try {
        expect(await readiness(agent)).toBe('ready');
        await agent.stop();
        agent = await startAgentProcess(home);
        expect(await readiness(agent)).toBe('ready');
      } finally {
        await agent.stop();
      }
      expect(fs.readFileSync(homeLayout(home).logFile, 'utf8')).not.toContain(key.privateKey.slice(2));
      osKeychain.remove(key.address);
    });

    it('falls back to the password-encrypted keystore on a machine without a secret store (no bus)', async () => {
      process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/idlehive-no-bus';
      const home = makeTempHome('idlehive-no-keychain-');
      const key = new Wallet(Wallet.createRandom().privateKey);
      const imported = await cli(home, ['wallet', 'import', '--json'], `${key.privateKey}\n${PASSWORD}\n`);
      expect(imported.code, imported.stderr).toBe(0);
      expect(JSON.parse(imported.stdout)).toMatchObject({ address: key.address, keychain: false });
      expect(fs.existsSync(`${home}/wallet/keystore.json`)).toBe(true);

      const agent = await startAgentProcess(home);
      try {
        expect(await readiness(agent)).toBe('locked');
      } finally {
        await agent.stop();
      }
      // And the key did not go to the real Secret Service meanwhile.
      if (!service) throw new Error('no Secret Service');
      process.env.DBUS_SESSION_BUS_ADDRESS = service.busAddress;
      expect(osKeychain.read(key.address)).toBeNull();
    });
  });
}
