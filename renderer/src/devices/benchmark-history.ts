/**
 * The Devices screen's benchmark history: the agent lists stored runs (newest
 * first) with each device's composite score; the screen shows them per device
 * and runtime, oldest to newest, with a sparkline of the scores.
 */
import type { BenchmarkHistory } from '../../../agent/local-api/contract.ts';

export interface DeviceRun {
  runId: number;
  finishedAt: number;
  mode: 'quick' | 'full';
  /** Null where that run gave no steady figure. */
  score: number | null;
}

export interface DeviceHistory {
  /** The device id (native/devices/device-ids.ts) the runs were measured on. */
  device: string;
  executionProvider: string;
  /** Oldest first. */
  runs: DeviceRun[];
}

/** Per device and runtime, in the order the devices first appear in the newest run. */
export function historiesByDevice(history: BenchmarkHistory): DeviceHistory[] {
  const byKey = new Map<string, DeviceHistory>();
  for (const run of history) {
    for (const score of run.scores) {
      const key = `${score.device}\u0000${score.executionProvider}`;
      let entry = byKey.get(key);
      if (entry === undefined) {
        entry = { device: score.device, executionProvider: score.executionProvider, runs: [] };
        byKey.set(key, entry);
      }
      entry.runs.unshift({ runId: run.runId, finishedAt: run.finishedAt, mode: run.mode, score: score.score });
    }
  }
  return [...byKey.values()];
}

/**
 * The sparkline's points ("x,y x,y") in a width x height box: runs evenly
 * spaced, scores from 0 (bottom) to the highest (top); runs without a score
 * leave a gap rather than a made-up point. Fewer than two scores draw nothing.
 */
export function sparklinePoints(runs: readonly DeviceRun[], width: number, height: number): string[] {
  const scored = runs.flatMap((run, index) => (run.score === null ? [] : [{ index, score: run.score }]));
  if (scored.length < 2) return [];
  const top = Math.max(...scored.map((point) => point.score));
  const step = runs.length === 1 ? 0 : width / (runs.length - 1);
  const segments: string[] = [];
  let current: string[] = [];
  let previousIndex = -2;
  for (const point of scored) {
    if (point.index !== previousIndex + 1 && current.length > 0) {
      segments.push(current.join(' '));
      current = [];
    }
    const x = Math.round(point.index * step * 10) / 10;
    const y = Math.round((height - (point.score / top) * height) * 10) / 10;
    current.push(`${x},${y}`);
    previousIndex = point.index;
  }
  if (current.length > 0) segments.push(current.join(' '));
  return segments;
}
