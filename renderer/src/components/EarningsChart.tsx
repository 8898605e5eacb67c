import { useEffect, useId, useRef, useState } from 'react';
import type { EarningsRange, EarningsSeries } from '../../../agent/local-api/contract.ts';
import type { ChartInk, EarningsPlot } from '../earnings/draw-earnings-chart.ts';
import { EARNINGS_RANGE_CHOICES, earningsChartView } from '../earnings/earnings-chart-data.ts';

interface EarningsChartProps {
  range: EarningsRange;
  series: EarningsSeries | null;
  problem: string | null;
  onRange(range: EarningsRange): void;
}

/** The theme's colours, read from elements styled by the stylesheet (CSS variables are not resolved by the CSSOM). */
function readInk(probes: HTMLElement): ChartInk {
  const colorOf = (name: string) => {
    const probe = probes.querySelector<HTMLElement>(`[data-ink="${name}"]`);
    return probe === null ? 'currentColor' : getComputedStyle(probe).color;
  };
  return { bar: colorOf('bar'), axis: colorOf('axis'), grid: colorOf('grid') };
}

/** A number that changes whenever the page's colours may have: the theme setting or the system's scheme. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((value) => value + 1);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', bump);
    return () => {
      observer.disconnect();
      scheme.removeEventListener('change', bump);
    };
  }, []);
  return version;
}

/** What this computer earned over a range the owner picks, as bars, a sentence and a table. */
export function EarningsChart({ range, series, problem, onRange }: EarningsChartProps) {
  const ids = useId();
  const plotRef = useRef<HTMLDivElement>(null);
  const inkRef = useRef<HTMLDivElement>(null);
  const themeVersion = useThemeVersion();
  const [drawProblem, setDrawProblem] = useState<string | null>(null);
  const view = series === null ? null : earningsChartView(series);

  // The chart on screen: it stays until its successor is drawn, so a new series never leaves a frame without one.
  const drawn = useRef<EarningsPlot | null>(null);
  useEffect(
    () => () => {
      drawn.current?.destroy();
      drawn.current = null;
    },
    [],
  );

  // The view derives from the series alone; redraw when the series or the colours change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: view is rebuilt from series on every render.
  useEffect(() => {
    const target = plotRef.current;
    const probes = inkRef.current;
    if (view === null || view.isEmpty || target === null || probes === null) {
      drawn.current?.destroy();
      drawn.current = null;
      return;
    }
    let cancelled = false;
    const resizer = new ResizeObserver(() => drawn.current?.resize(target.clientWidth));
    import('../earnings/draw-earnings-chart.ts').then(
      ({ drawEarningsChart }) => {
        if (cancelled) return;
        // The new chart is drawn before the old one goes, in one task: no frame is painted between them.
        const previous = drawn.current;
        drawn.current = drawEarningsChart(target, view, readInk(probes), target.clientWidth);
        previous?.destroy();
        resizer.observe(target);
        setDrawProblem(null);
      },
      () => {
        if (!cancelled) setDrawProblem('The chart could not be drawn; the table below has every figure.');
      },
    );
    return () => {
      cancelled = true;
      resizer.disconnect();
    };
  }, [series, themeVersion]);

  return (
    <section className="card form-card earnings-chart" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`} className="card__heading">
        Earned over time
      </h2>
      <fieldset className="button-row earnings-chart__ranges">
        <legend className="visually-hidden">Time range</legend>
        {EARNINGS_RANGE_CHOICES.map((choice) => (
          <button
            key={choice.id}
            type="button"
            className={`button${choice.id === range ? ' button--primary' : ''}`}
            aria-pressed={choice.id === range}
            data-testid={`earnings-range-${choice.id}`}
            onClick={() => onRange(choice.id)}
          >
            {choice.label}
          </button>
        ))}
      </fieldset>
      <div className="earnings-chart__ink" ref={inkRef} aria-hidden="true">
        <span data-ink="bar" />
        <span data-ink="axis" />
        <span data-ink="grid" />
      </div>
      {view === null ? (
        problem !== null ? (
          <p className="action-error" role="alert" data-testid="earnings-chart-problem">
            {problem}
          </p>
        ) : (
          <p className="card__hint" aria-busy="true">
            Loading what this computer earned…
          </p>
        )
      ) : view.isEmpty ? (
        <p className="card__hint" data-testid="earnings-chart-empty">
          {view.summary}
        </p>
      ) : (
        <>
          <figure className="earnings-chart__figure">
            <div
              className="earnings-chart__plot"
              ref={plotRef}
              role="img"
              aria-label={view.summary}
              data-testid="earnings-chart"
            />
            <figcaption className="card__hint" data-testid="earnings-chart-summary">
              {view.summary}
            </figcaption>
          </figure>
          {drawProblem !== null && <p className="action-error">{drawProblem}</p>}
          <details className="earnings-chart__table">
            <summary>Show the figures as a table</summary>
            <div className="earnings-chart__table-wrap">
              <table className="jobs-table" data-testid="earnings-chart-table">
                <thead>
                  <tr>
                    <th scope="col">{series?.bucketSize === 'hour' ? 'Hour' : 'Period'}</th>
                    <th scope="col">Credited</th>
                    <th scope="col">Jobs</th>
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((row) => (
                    <tr key={row.start}>
                      <td>
                        <time dateTime={new Date(row.start).toISOString()}>{row.label}</time>
                      </td>
                      <td className="jobs-table__amount">{row.amount}</td>
                      <td>{row.jobs}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
