import type { EarningsByDay } from '../../../agent/local-api/contract.ts';
import { formatTokenAmount } from '../../../network/payment/token-amount.ts';
import { TOKEN_SYMBOL } from '../earnings/earnings-chart-data.ts';
import { homeEarnings } from '../earnings/home-earnings.ts';
import { formatDuration } from '../format-time.ts';
import type { TodayTimeline } from '../timeline/today.ts';
import { LoadingCard } from './LoadingCard.tsx';

interface EarningsAtAGlanceProps {
  earnings: EarningsByDay | null;
  timeline: TodayTimeline | null;
  now: number;
}

/** Credited today and this week, and what an hour of earning brought today; the Earnings screen has the rest. */
export function EarningsAtAGlance({ earnings, timeline, now }: EarningsAtAGlanceProps) {
  if (earnings === null) {
    return (
      <LoadingCard
        heading={{ id: 'glance-heading', text: 'Earned' }}
        hint="Loading your earnings from the Idlehive agent…"
      />
    );
  }
  const figures = homeEarnings(earnings, timeline, now);
  return (
    <section className="card form-card" aria-labelledby="glance-heading">
      <h2 id="glance-heading" className="card__heading">
        Earned
      </h2>
      <dl className="balances" data-testid="earnings-at-a-glance">
        <div>
          <dt>Today</dt>
          <dd data-testid="earned-today">
            {formatTokenAmount(figures.today)} {TOKEN_SYMBOL}
          </dd>
        </div>
        <div>
          <dt>Last 7 days</dt>
          <dd data-testid="earned-week">
            {formatTokenAmount(figures.lastSevenDays)} {TOKEN_SYMBOL}
          </dd>
        </div>
        <div>
          <dt>Per hour of earning today</dt>
          <dd data-testid="earning-rate">
            {figures.perEarningHour === null
              ? 'Not yet known'
              : `${formatTokenAmount(figures.perEarningHour)} ${TOKEN_SYMBOL}`}
          </dd>
        </div>
      </dl>
      <p className="card__hint">
        {figures.earningMsToday > 0
          ? `Earning for ${formatDuration(figures.earningMsToday)} today. `
          : 'No earning yet today. '}
        A job counts once the network has verified it; days follow the schedule’s time zone ({earnings.timeZone}).
      </p>
    </section>
  );
}
