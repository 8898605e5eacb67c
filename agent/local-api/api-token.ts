/**
 * The local API token: random, one per install, kept in the home with owner-only
 * permissions. It survives restarts so an open dashboard reconnects by itself;
 * deleting the file while the agent is stopped makes a new one at its next start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export function loadOrCreateApiToken(file: string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (TOKEN_PATTERN.test(existing) && (fs.statSync(file).mode & 0o077) === 0) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A missing, malformed or group/world-readable token is replaced, never reused.
  return rotateApiToken(file);
}

export function rotateApiToken(file: string): string {
  const token = randomBytes(32).toString('hex');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
  return token;
}
