import type { RunningJob as Job } from '../../../agent/local-api/contract.ts';
import { formatTokenAmount } from '../../../network/payment/token-amount.ts';
import { formatDuration } from '../format-time.ts';

const PHASE_LABELS: Record<Job['phase'], string> = {
  starting: 'Starting the locked-down worker',
  loading: 'Loading the model',
  running: 'Running',
};

const UNIT_LABELS: Record<Job['kind'], string> = {
  inference: 'runs',
  training: 'steps',
};

/** The job in hand, as the agent reports it: what kind, how far, and the most it can earn. Nothing when idle. */
export function RunningJob({ job, now }: { job: Job | null; now: number }) {
  if (job === null) return null;
  const hasProgress = job.total > 0;
  const percent = hasProgress ? Math.floor((job.done / job.total) * 100) : null;
  return (
    <section className="card job-card" aria-labelledby="job-heading" data-testid="running-job">
      <h2 id="job-heading" className="card__heading">
        {job.kind === 'training' ? 'Training job' : 'Inference job'}
      </h2>
      <p className="card__hint">
        {PHASE_LABELS[job.phase]} · started {formatDuration(Math.max(0, now - job.startedAt))} ago
      </p>
      {hasProgress ? (
        <>
          <progress
            className="job-card__progress"
            value={job.done}
            max={job.total}
            aria-labelledby="job-heading"
            aria-describedby="job-progress-text"
          />
          <p id="job-progress-text" className="job-card__numbers" data-testid="job-progress">
            {job.done} of {job.total} {UNIT_LABELS[job.kind]} ({percent} %)
          </p>
        </>
      ) : (
        <p className="job-card__numbers" data-testid="job-progress">
          Waiting for the first progress report…
        </p>
      )}
      <p className="job-card__reward">
        Earns up to <strong>{formatTokenAmount(job.maxReward)} tHIVE</strong> once the network has verified the result.
      </p>
    </section>
  );
}
