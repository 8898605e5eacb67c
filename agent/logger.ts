/**
 * Structured JSON logs (pino) to a file in the agent's home. Secrets are
 * redacted by key name as a second line of defence; the first is never passing
 * them to the logger.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';

export const REDACTED_KEYS = ['token', 'password', 'mnemonic', 'privateKey', 'secret', 'authorization'];

export function createFileLogger(logFile: string, level = process.env.IDLEHIVE_LOG_LEVEL ?? 'info'): Logger {
  fs.mkdirSync(path.dirname(logFile), { recursive: true, mode: 0o700 });
  const destination = pino.destination({ dest: logFile, sync: true, mkdir: true });
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_KEYS.flatMap((key) => [key, `*.${key}`]), censor: '[redacted]' },
    },
    destination,
  );
}
