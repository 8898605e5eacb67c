import type { BenchmarkHistory } from '../../../agent/local-api/contract.ts';
import { historiesByDevice, sparklinePoints } from '../devices/benchmark-history.ts';
import { formatClockTime } from '../format-time.ts';

const SPARK_WIDTH = 120;
const SPARK_HEIGHT = 28;

interface BenchmarkHistoryListProps {
  history: BenchmarkHistory | null;
  /** Device names by id, from the device report. */
  names: ReadonlyMap<string, string>;
  now: number;
  timeZone: string | undefined;
}

/** Every stored run per device: when, quick or full, and its score, with a sparkline of the scores. */
export function BenchmarkHistoryList({ history, names, now, timeZone }: BenchmarkHistoryListProps) {
  if (history === null) return null;
  const devices = historiesByDevice(history);
  if (devices.length === 0) {
    return (
      <p className="card__hint" data-testid="benchmark-history-empty">
        No past runs yet. Each run is kept here, so you can see whether this computer got faster or slower.
      </p>
    );
  }
  return (
    <div className="benchmark-history" data-testid="benchmark-history">
      {devices.map((entry) => {
        const name = names.get(entry.device) ?? entry.device;
        const segments = sparklinePoints(entry.runs, SPARK_WIDTH, SPARK_HEIGHT);
        return (
          <section
            key={`${entry.device}-${entry.executionProvider}`}
            className="benchmark-history__device"
            aria-label={`Past benchmark runs on ${name} (${entry.executionProvider})`}
            data-testid={`benchmark-history-${entry.device}`}
          >
            <h4 className="benchmark-results__device">
              {name} · {entry.executionProvider}
            </h4>
            {segments.length > 0 && (
              <svg
                className="benchmark-history__spark"
                viewBox={`-3 -3 ${SPARK_WIDTH + 6} ${SPARK_HEIGHT + 6}`}
                width={SPARK_WIDTH + 6}
                height={SPARK_HEIGHT + 6}
                aria-hidden="true"
                focusable="false"
              >
                {segments.map((points) => (
                  <polyline key={points} points={points} className="benchmark-history__line" />
                ))}
                {segments.flatMap((points) =>
                  points.split(' ').map((point) => {
                    const [x, y] = point.split(',');
                    return <circle key={point} cx={x} cy={y} r="2.5" className="benchmark-history__dot" />;
                  }),
                )}
              </svg>
            )}
            <ol className="benchmark-history__runs" reversed>
              {[...entry.runs].reverse().map((run) => (
                <li key={run.runId}>
                  <time dateTime={new Date(run.finishedAt).toISOString()}>
                    {formatClockTime(run.finishedAt, now, timeZone)}
                  </time>
                  {' · '}
                  {run.mode === 'quick' ? 'quick' : 'full'}
                  {' · '}
                  {run.score === null ? (
                    <span>no steady score</span>
                  ) : (
                    <span>
                      score <strong>{Math.round(run.score)}</strong>
                    </span>
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      })}
    </div>
  );
}
