import type { BenchmarkReport } from '../../../agent/local-api/contract.ts';

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const milliseconds = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** The newest benchmark report: per device its score, and per workload throughput, latency and stability. */
export function BenchmarkResults({ report }: { report: BenchmarkReport }) {
  return (
    <div className="benchmark-results" data-testid="benchmark-results">
      <p className="card__hint">
        {report.mode === 'quick' ? 'Quick' : 'Full'} benchmark, {new Date(report.finishedAt).toLocaleString()} (Idlehive{' '}
        {report.appVersion}, onnxruntime {report.onnxruntimeVersion}).
      </p>
      {report.devices.map((device) => (
        <section key={`${device.device}-${device.executionProvider}`} aria-label={`Results for ${device.name}`}>
          <h3 className="benchmark-results__device">
            {device.name} · {device.executionProvider} · {device.threads} {device.threads === 1 ? 'thread' : 'threads'}
          </h3>
          <p data-testid={`benchmark-score-${device.device}`}>
            Score:{' '}
            <strong>
              {device.score === null ? 'none (results were not steady enough)' : Math.round(device.score)}
            </strong>{' '}
            <span className="card__hint">(100 = the reference laptop)</span>
          </p>
          {/* A wide table scrolls; the region takes focus so the keyboard can scroll it too. */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1, axe). */}
          <section className="timeline-scroll" tabIndex={0} aria-label={`Workloads measured on ${device.name}`}>
            <table className="jobs-table">
              <caption className="visually-hidden">Workloads measured on {device.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Workload</th>
                  <th scope="col">Throughput</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                  <th scope="col">Stability</th>
                </tr>
              </thead>
              <tbody>
                {device.workloads.map((workload) => (
                  <tr key={workload.workload}>
                    <th scope="row">{workload.label}</th>
                    <td className="jobs-table__amount">
                      {workload.throughput === null ? '—' : `${number.format(workload.throughput)} ${workload.unit}`}
                      {workload.peakFraction !== null && (
                        <span className="card__hint"> ({Math.round(workload.peakFraction * 100)} % of peak)</span>
                      )}
                    </td>
                    <td className="jobs-table__amount">{milliseconds.format(workload.p50Ms)} ms</td>
                    <td className="jobs-table__amount">{milliseconds.format(workload.p95Ms)} ms</td>
                    <td>
                      {workload.stable ? 'steady' : 'unsteady'} (varied {number.format(workload.cv * 100)} % over{' '}
                      {workload.runs} runs)
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {device.workloads.some((workload) => workload.note !== null) && (
            <ul className="device-report__list card__hint">
              {device.workloads
                .filter((workload) => workload.note !== null)
                .map((workload) => (
                  <li key={workload.workload}>
                    {workload.label}: {workload.note}
                  </li>
                ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
