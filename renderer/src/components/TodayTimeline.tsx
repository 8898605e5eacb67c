import { formatDuration, formatHourMinute } from '../format-time.ts';
import { type TodayTimeline as Timeline, type TimelinePeriod, timePerState, todayPeriods } from '../timeline/today.ts';
import { LoadingCard } from './LoadingCard.tsx';
import { STATE_LABELS } from './state-presentation.ts';

interface TodayTimelineProps {
  timeline: Timeline | null;
  now: number;
  /** The owner's zone (the policy's), so the hours match the schedule. */
  timeZone: string | undefined;
}

/** The bar's width in SVG units; periods are placed by their share of the day. */
const BAR_WIDTH = 1000;
const HOUR_MARKS = [0, 6, 12, 18, 24];

function barX(at: number, timeline: Timeline): number {
  return ((at - timeline.dayStartMs) / (timeline.dayEndMs - timeline.dayStartMs)) * BAR_WIDTH;
}

function summary(periods: readonly TimelinePeriod[]): string {
  const totals = timePerState(periods);
  if (totals.length === 0) return 'Nothing recorded yet today.';
  return `Today so far: ${totals.map(({ state, ms }) => `${STATE_LABELS[state].toLowerCase()} ${formatDuration(ms)}`).join(', ')}.`;
}

function periodKey(period: TimelinePeriod): string {
  return `${period.startMs}-${period.state}-${period.cause}`;
}

/** When it earned today, when it waited and why: a day bar and the same periods as a list, newest first. */
export function TodayTimeline({ timeline, now, timeZone }: TodayTimelineProps) {
  if (timeline === null) {
    return (
      <LoadingCard
        className="card timeline-card"
        heading={{ id: 'timeline-heading', text: 'Today' }}
        hint="Loading today’s timeline…"
      />
    );
  }
  const periods = todayPeriods(timeline, now);
  const sentence = summary(periods);
  return (
    <section className="card timeline-card" aria-labelledby="timeline-heading" data-testid="timeline">
      <h2 id="timeline-heading" className="card__heading">
        Today
      </h2>
      <p className="card__hint" data-testid="timeline-summary">
        {sentence}
      </p>
      <figure className="day-bar">
        <svg
          className="day-bar__svg"
          viewBox={`0 0 ${BAR_WIDTH} 28`}
          preserveAspectRatio="none"
          role="img"
          aria-label={`Timeline from midnight to now. ${sentence}`}
        >
          <rect className="day-bar__track" x="0" y="0" width={BAR_WIDTH} height="28" rx="6" />
          {periods.map((period) => (
            <rect
              key={periodKey(period)}
              className={`day-bar__period day-bar__period--${period.state}`}
              x={barX(period.startMs, timeline)}
              y="0"
              width={Math.max(1, barX(period.endMs, timeline) - barX(period.startMs, timeline))}
              height="28"
            >
              <title>
                {`${formatHourMinute(period.startMs, timeZone)}–${formatHourMinute(period.endMs, timeZone)} ${STATE_LABELS[period.state]}: ${period.reason}`}
              </title>
            </rect>
          ))}
          <rect className="day-bar__now" x={Math.min(BAR_WIDTH - 2, barX(now, timeline))} y="0" width="2" height="28" />
        </svg>
        <figcaption className="day-bar__hours" aria-hidden="true">
          {HOUR_MARKS.map((hour) => (
            <span key={hour}>{String(hour).padStart(2, '0')}:00</span>
          ))}
        </figcaption>
      </figure>
      {periods.length > 0 && (
        // A long day scrolls; the region takes focus so the keyboard can scroll it too.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1, axe).
        <section className="timeline-scroll" tabIndex={0} aria-label="Today’s changes, newest first">
          <ol className="timeline-list" data-testid="timeline-list">
            {[...periods].reverse().map((period) => (
              <TimelineRow key={periodKey(period)} period={period} timeZone={timeZone} />
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}

function TimelineRow({ period, timeZone }: { period: TimelinePeriod; timeZone: string | undefined }) {
  return (
    <li className="timeline-list__item">
      <span className={`timeline-list__swatch day-bar__period--${period.state}`} aria-hidden="true" />
      <span className="timeline-list__time">
        <time dateTime={new Date(period.startMs).toISOString()}>{formatHourMinute(period.startMs, timeZone)}</time>
        {'–'}
        <time dateTime={new Date(period.endMs).toISOString()}>{formatHourMinute(period.endMs, timeZone)}</time>
      </span>
      <span className="timeline-list__state" data-testid="timeline-state">
        {STATE_LABELS[period.state]}
      </span>
      <span className="timeline-list__reason">{period.reason}</span>
    </li>
  );
}
