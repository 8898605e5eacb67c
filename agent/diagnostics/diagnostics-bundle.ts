/**
 * The diagnostics bundle the owner exports from Settings to show someone why
 * Idlehive misbehaves: versions, platform, the device report, the policy and
 * settings, the recent status timeline and the end of the agent's log, with
 * every secret removed (redact-secrets.ts) before it leaves the agent.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { DiagnosticsBundle } from './diagnostics-schema.ts';
import { redactLogLine, redactSecrets } from './redact-secrets.ts';

/** How many of the log's last lines the bundle carries. */
export const DIAGNOSTIC_LOG_LINES = 300;
/** The timeline covers this much of the recent past. */
export const DIAGNOSTIC_TIMELINE_MS = 7 * 24 * 60 * 60 * 1000;
/** The log's tail is read from at most this many bytes at the end of the file. */
const LOG_TAIL_BYTES = 512 * 1024;

export { type DiagnosticsBundle, DiagnosticsBundleSchema } from './diagnostics-schema.ts';

/** The last `count` non-empty lines of a text (the first may be cut, so it is dropped when the text was cut). */
export function lastLines(text: string, count: number, wasCut: boolean): string[] {
  const lines = text.split('\n');
  if (wasCut) lines.shift();
  return lines.filter((line) => line.trim() !== '').slice(-count);
}

/** The end of the agent's log; an absent log is an empty one. */
export function readLogTail(logFile: string, count: number = DIAGNOSTIC_LOG_LINES): string[] {
  let handle: number;
  try {
    handle = fs.openSync(logFile, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(handle).size;
    const length = Math.min(size, LOG_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(handle, buffer, 0, length, size - length);
    return lastLines(buffer.toString('utf8'), count, length < size);
  } finally {
    fs.closeSync(handle);
  }
}

export interface DiagnosticsInput {
  createdAt: number;
  versions: DiagnosticsBundle['versions'];
  devices: DiagnosticsBundle['devices'];
  devicesProblem: string | null;
  status: unknown;
  policy: unknown;
  settings: unknown;
  timeline: DiagnosticsBundle['timeline'];
  logLines: string[];
}

/** Assembles the bundle; everything that could hold a secret passes through the redaction. */
export function buildDiagnosticsBundle(input: DiagnosticsInput): DiagnosticsBundle {
  return {
    kind: 'idlehive-diagnostics',
    version: 1,
    createdAt: input.createdAt,
    versions: input.versions,
    platform: {
      os: os.platform(),
      release: os.release(),
      arch: os.arch(),
      cpus: os.availableParallelism(),
      memoryBytes: os.totalmem(),
    },
    devices: input.devices === null ? null : (redactSecrets(input.devices) as DiagnosticsBundle['devices']),
    devicesProblem: input.devicesProblem,
    status: redactSecrets(input.status),
    policy: redactSecrets(input.policy),
    settings: redactSecrets(input.settings),
    timeline: input.timeline.map((entry) => ({ ...entry, reason: redactSecrets(entry.reason) as string })),
    log: input.logLines.map(redactLogLine),
  };
}
