import type { EarningsRange, EarningsSeries, EarningsTotals, ProviderJob } from '../../../agent/local-api/contract.ts';
import { formatTokenAmount } from '../../../network/payment/token-amount.ts';
import { EarningsChart } from '../components/EarningsChart.tsx';
import { LoadingCard } from '../components/LoadingCard.tsx';
import { EARNING_PERIODS, JOB_STATE_LABELS } from '../earnings/earnings-summary.ts';
import { formatClockTime } from '../format-time.ts';

const TOKEN = 'tHIVE';

interface EarningsScreenProps {
  jobs: ProviderJob[] | null;
  now: number;
  /** How many jobs the agent lists at most. */
  jobsShown: number;
  /** Over the whole ledger, from the agent (null until it answered). */
  totals: EarningsTotals | null;
  totalsProblem: string | null;
  chartRange: EarningsRange;
  series: EarningsSeries | null;
  seriesProblem: string | null;
  onChartRange(range: EarningsRange): void;
}

/** What this computer earned, per period, and every job with its payment state and reward. */
export function EarningsScreen(props: EarningsScreenProps) {
  const { jobs, now, jobsShown } = props;
  const chart = (
    <EarningsChart
      range={props.chartRange}
      series={props.series}
      problem={props.seriesProblem}
      onRange={props.onChartRange}
    />
  );
  const totals = <EarningsTotalsCard totals={props.totals} problem={props.totalsProblem} />;
  if (jobs === null) {
    return (
      <div className="earnings">
        {chart}
        {totals}
        <LoadingCard hint="Loading jobs from the Idlehive agent…" />
      </div>
    );
  }
  return (
    <div className="earnings">
      {chart}
      {totals}
      <section className="card form-card" aria-labelledby="earnings-jobs">
        <h2 id="earnings-jobs" className="card__heading">
          Jobs
        </h2>
        {jobs.length >= jobsShown && (
          <p className="card__hint" data-testid="jobs-limit">
            The newest {jobsShown} jobs; the totals above count every job.
          </p>
        )}
        {jobs.length === 0 ? (
          <p className="card__hint" data-testid="jobs-empty">
            No jobs yet. When this computer is idle and the network has work, each job appears here with what it earned.
          </p>
        ) : (
          <table className="jobs-table" data-testid="jobs">
            <thead>
              <tr>
                <th scope="col">Leased</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Reward</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr key={job.leaseId}>
                  <td>
                    <time dateTime={new Date(job.leasedAt).toISOString()}>{formatClockTime(job.leasedAt, now)}</time>
                  </td>
                  <td>{job.kind === 'training' ? 'Training' : 'Inference'}</td>
                  <td>
                    {JOB_STATE_LABELS[job.state]}
                    {job.reason !== null && <span className="jobs-table__reason">{job.reason}</span>}
                  </td>
                  <td className="jobs-table__amount">
                    {job.reward !== null
                      ? `${formatTokenAmount(job.reward)} ${TOKEN}`
                      : `up to ${formatTokenAmount(job.maxReward)} ${TOKEN}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function EarningsTotalsCard({ totals, problem }: { totals: EarningsTotals | null; problem: string | null }) {
  return (
    <section className="card form-card" aria-labelledby="earnings-totals">
      <h2 id="earnings-totals" className="card__heading">
        Credited to you
      </h2>
      {totals === null ? (
        <p className="card__hint" data-testid="earnings-totals-waiting" role="status">
          {problem === null ? 'Adding up your earnings…' : `The totals could not be read: ${problem}`}
        </p>
      ) : (
        <>
          <dl className="balances" data-testid="earnings-totals">
            {EARNING_PERIODS.map((period) => (
              <div key={period.id}>
                <dt>{period.label}</dt>
                <dd>
                  {formatTokenAmount(totals.credited[period.id])} {TOKEN}
                </dd>
              </div>
            ))}
          </dl>
          <p className="card__hint">{awaitingHint(totals)}</p>
        </>
      )}
    </section>
  );
}

function awaitingHint(totals: EarningsTotals): string {
  const { jobs, maxReward } = totals.awaiting;
  if (jobs === 0) return 'No results are waiting for verification.';
  return `${jobs} ${jobs === 1 ? 'result is' : 'results are'} waiting for verification and can earn up to ${formatTokenAmount(maxReward)} ${TOKEN}.`;
}
