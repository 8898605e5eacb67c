/**
 * The keychain test (test/integration/wallet-keychain.test.ts) runs a real
 * Secret Service: a private D-Bus session bus and gnome-keyring. When they are
 * missing: install Debian's packages if we are root with apt, otherwise say
 * so and go on (that one test skips itself, naming what is missing).
 */
import { execFileSync, spawnSync } from 'node:child_process';

const COMMANDS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];
const PACKAGES = ['dbus-daemon', 'dbus-bin', 'gnome-keyring'];

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

export function ensureSecretService(): void {
  if (process.platform !== 'linux' || COMMANDS.every(onPath)) return;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !onPath('apt-get')) {
    process.stderr.write(
      `The keychain test needs ${COMMANDS.join(', ')} (Debian: \`sudo apt-get install ${PACKAGES.join(' ')}\`); it is skipped without them.\n`,
    );
    return;
  }
  process.stderr.write(`Installing Debian packages ${PACKAGES.join(', ')} for the keychain test...\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...PACKAGES], { stdio: 'inherit', env });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSecretService();
