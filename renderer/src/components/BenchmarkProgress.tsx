import { type BenchmarkRunView, benchmarkPercent, describeBenchmarkRun } from '../devices/benchmark-run.ts';

/** A benchmark run's progress from the agent's events: the bar and what it measures now. */
export function BenchmarkProgress({ run, id }: { run: BenchmarkRunView; id: string }) {
  return (
    <div className="benchmark-progress" data-testid="benchmark-progress">
      <progress className="job-card__progress" value={benchmarkPercent(run)} max={100} aria-labelledby={`${id}-text`} />
      <p id={`${id}-text`} className="job-card__numbers" role="status" data-testid="benchmark-progress-text">
        {describeBenchmarkRun(run)}
      </p>
    </div>
  );
}
