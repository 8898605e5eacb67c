/**
 * Gathers a diagnostics bundle from the agent's services when the owner asks
 * for one (`diagnostics.export`). The device report is the cached one; a probe
 * that failed is named in the bundle rather than failing the export.
 */
import { describeError } from '../errors.ts';
import { APP_VERSION, ONNXRUNTIME_VERSION } from '../version.ts';
import {
  buildDiagnosticsBundle,
  DIAGNOSTIC_TIMELINE_MS,
  type DiagnosticsBundle,
  type DiagnosticsInput,
  readLogTail,
} from './diagnostics-bundle.ts';

export interface DiagnosticsSources {
  logFile: string;
  clock: () => number;
  devices: () => Promise<NonNullable<DiagnosticsInput['devices']>>;
  status: () => unknown;
  policy: () => unknown;
  settings: () => unknown;
  timelineSince: (sinceMs: number) => DiagnosticsInput['timeline'];
}

export async function exportDiagnostics(sources: DiagnosticsSources): Promise<DiagnosticsBundle> {
  const createdAt = sources.clock();
  let devices: DiagnosticsInput['devices'] = null;
  let devicesProblem: string | null = null;
  try {
    devices = await sources.devices();
  } catch (error) {
    devicesProblem = describeError(error);
  }
  return buildDiagnosticsBundle({
    createdAt,
    versions: { app: APP_VERSION, onnxruntime: ONNXRUNTIME_VERSION, node: process.versions.node },
    devices,
    devicesProblem,
    status: sources.status(),
    policy: sources.policy(),
    settings: sources.settings(),
    timeline: sources.timelineSince(Math.max(0, createdAt - DIAGNOSTIC_TIMELINE_MS)),
    logLines: readLogTail(sources.logFile),
  });
}
