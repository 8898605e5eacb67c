/**
 * A real Secret Service for tests on Linux: a private D-Bus session bus
 * (`dbus-daemon --session`) and `gnome-keyring-daemon` serving the secrets
 * component on it, with a login keyring unlocked by a password fed on stdin
 * and kept in a temporary folder. Point a process at it with
 * DBUS_SESSION_BUS_ADDRESS. Nothing here touches the machine's own keyring or bus.
 *
 * Debian packages: dbus-daemon and gnome-keyring (.ci/run installs them).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SecretService {
  /** The private bus: the value for DBUS_SESSION_BUS_ADDRESS. */
  busAddress: string;
  stop(): Promise<void>;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why a real Secret Service cannot be started here, or null when it can. */
export function secretServiceMissing(): string | null {
  if (process.platform !== 'linux') return 'the Secret Service is the Linux keychain; this is not Linux';
  const missing = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'].filter((command) => !onPath(command));
  return missing.length === 0
    ? null
    : `${missing.join(' and ')} not installed (Debian: apt-get install dbus-daemon dbus-bin gnome-keyring)`;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

function ownsSecretsName(busAddress: string): boolean {
  const answer = spawnSync(
    'dbus-send',
    [
      '--session',
      '--dest=org.freedesktop.DBus',
      '--print-reply',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    ],
    { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: busAddress }, encoding: 'utf8' },
  );
  return /boolean true/.test(answer.stdout ?? '');
}

export async function startSecretService(): Promise<SecretService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-secret-service-'));
  const runtimeDir = path.join(dir, 'run');
  fs.mkdirSync(runtimeDir, { mode: 0o700 });
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const busAddress = await new Promise<string>((resolve, reject) => {
    let text = '';
    bus.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const line = text.split('\n')[0];
      if (text.includes('\n') && line) resolve(line.trim());
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code}) before printing its address`)));
  });
  // The keyring's files live in the temporary folder (XDG_DATA_HOME); the password unlocks (creates) its login keyring.
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: busAddress,
      XDG_DATA_HOME: path.join(dir, 'data'),
      XDG_RUNTIME_DIR: runtimeDir,
      HOME: dir,
    },
  });
  keyring.stdin?.end('a keyring password for tests');
  // Ready once it owns the Secret Service's name on the bus (it prints nothing in the foreground).
  const deadline = Date.now() + 15_000;
  while (!ownsSecretsName(busAddress)) {
    if (keyring.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (${keyring.exitCode})`);
    if (Date.now() > deadline)
      throw new Error('gnome-keyring-daemon did not serve org.freedesktop.secrets within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    busAddress,
    async stop() {
      await stopChild(keyring);
      await stopChild(bus);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
