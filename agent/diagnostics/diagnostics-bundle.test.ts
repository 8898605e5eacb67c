import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDiagnosticsBundle, DiagnosticsBundleSchema, lastLines, readLogTail } from './diagnostics-bundle.ts';
import { REDACTED } from './redact-secrets.ts';

const KEY = 'cd'.repeat(32);

describe('lastLines', () => {
  it('keeps the last lines, drops empty ones, and drops a first line the read cut in half', () => {
    expect(lastLines('a\nb\n\nc\n', 2, false)).toEqual(['b', 'c']);
    expect(lastLines('half\nwhole\n', 5, true)).toEqual(['whole']);
  });
});

describe('readLogTail', () => {
  it('reads the end of a real log file, and an absent log as empty', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-diag-'));
    const file = path.join(dir, 'agent.log');
    expect(readLogTail(file)).toEqual([]);
    fs.writeFileSync(file, `${Array.from({ length: 500 }, (_, i) => JSON.stringify({ i })).join('\n')}\n`);
    const tail = readLogTail(file, 3);
    expect(tail).toEqual(['{"i":497}', '{"i":498}', '{"i":499}']);
  });
});

describe('buildDiagnosticsBundle', () => {
  it('passes the schema and carries no secret from the log, the settings or the status', () => {
    const bundle = buildDiagnosticsBundle({
      createdAt: 1,
      versions: { app: '0.1.0', onnxruntime: '1.22.0', node: '24.0.0' },
      devices: null,
      devicesProblem: 'probe failed',
      status: { state: 'paused', note: `key ${KEY}` },
      policy: { idleMinutes: 5 },
      settings: { theme: 'dark', token: 'abc' },
      timeline: [{ at: 1, state: 'paused', cause: 'owner-paused', reason: 'Paused' }],
      logLines: [JSON.stringify({ msg: 'unlock', password: 'hunter22' }), `plain ${KEY}`],
    });
    expect(DiagnosticsBundleSchema.parse(bundle)).toEqual(bundle);
    const text = JSON.stringify(bundle);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('hunter22');
    expect(text).not.toContain('"abc"');
    expect(bundle.log).toEqual([{ msg: 'unlock', password: REDACTED }, `plain ${REDACTED}`]);
  });
});
