/**
 * Browser tests drive Debian's Chromium (never a downloaded browser). When it
 * is missing: install it if we are root with apt, otherwise say what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const CHROMIUM_PATH = process.env.IDLEHIVE_CHROMIUM ?? '/usr/bin/chromium';

export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM_PATH)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    process.stderr.write(
      `Browser tests need Chromium at ${CHROMIUM_PATH}: install it with \`sudo apt-get install chromium\` (or set IDLEHIVE_CHROMIUM to a Chromium binary).\n`,
    );
    process.exit(1);
  }
  process.stderr.write('Installing Debian package chromium for the browser tests...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], {
    stdio: 'inherit',
    env,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium();
