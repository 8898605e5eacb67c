/**
 * `idlehive benchmark` while an agent runs: the agent owns the ledger and
 * would run jobs beside the measurement, so the run happens in the agent
 * (which pauses earning for it) and this command only starts it, shows its
 * progress and prints the report the agent stored.
 */
import type { BenchmarkMode, BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';
import type { BenchmarkProgressEvent } from '../compute/compute-views.ts';
import { IdlehiveError } from '../errors.ts';
import { LocalApiCallError, type LocalApiConnection } from '../local-api/client.ts';

/** Resolves with the stored report; rejects with the agent's sentence when the run is refused or fails. */
export function benchmarkThroughAgent(
  api: LocalApiConnection,
  mode: BenchmarkMode,
  onProgress: (progress: BenchmarkProgressEvent) => void,
): Promise<BenchmarkReport> {
  return new Promise((resolve, reject) => {
    // Listening before asking: the first progress event may arrive before the reply.
    const offProgress = api.on('benchmark.progress', onProgress);
    const offFinished = api.on('benchmark.finished', (finished) => {
      offProgress();
      offFinished();
      if (finished.outcome === 'completed') resolve(finished.report);
      else reject(new IdlehiveError(finished.code, finished.message));
    });
    void api.closed.then(() =>
      reject(
        new IdlehiveError(
          'agent_disconnected',
          'The agent stopped before the benchmark finished, so nothing was stored; start it again and rerun `idlehive benchmark`.',
        ),
      ),
    );
    api.call('benchmark.run', { mode }).catch((error: unknown) => {
      offProgress();
      offFinished();
      reject(error instanceof LocalApiCallError ? new IdlehiveError(error.code, error.message) : error);
    });
  });
}
