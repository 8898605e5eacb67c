import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalRepository } from '../../agent/ledger/journal-repository.ts';
import { openLedger } from '../../agent/ledger/open-ledger.ts';
import { makeTempHome, REPO_ROOT } from '../support/agent-process.ts';

const WRITER = path.join(REPO_ROOT, 'test/fixtures/ledger-writer.ts');
const ROUNDS = 40;

/** Runs the writer until `killAfterMs`, SIGKILLs it, and returns the highest acknowledged seq. */
function writeUntilKilled(file: string, start: number, killAfterMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let highest = start - 1;
    let pendingLine = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pendingLine + chunk.toString()).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match) highest = Math.max(highest, Number(match[1]));
      }
      if (highest >= start && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    let timer: NodeJS.Timeout | undefined;
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${errors}`));
      else resolve(highest);
    });
  });
}

describe('ledger durability under SIGKILL', () => {
  it(`keeps every acknowledged write and passes integrity_check after ${ROUNDS} kills`, async () => {
    const file = path.join(makeTempHome('idlehive-crash-'), 'ledger.sqlite');
    let next = 1;
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Kill anywhere from mid-startup to deep into a write burst.
      const highest = await writeUntilKilled(file, next, Math.floor(Math.random() * 120));
      const db = openLedger(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const seqs = new JournalRepository(db)
        .list({ kind: 'crash-test', limit: 10_000_000 })
        .map((entry) => (entry.payload as { seq: number }).seq);
      const present = new Set(seqs);
      for (let seq = 1; seq <= highest; seq++) {
        if (!present.has(seq)) throw new Error(`round ${round}: acknowledged write ${seq} is missing`);
      }
      // Unacknowledged writes may or may not have landed; the next writer continues after all of them.
      next = seqs.reduce((max, seq) => Math.max(max, seq), highest) + 1;
      acknowledged = highest;
      db.close();
    }
    expect(acknowledged).toBeGreaterThan(ROUNDS);
  });
});
