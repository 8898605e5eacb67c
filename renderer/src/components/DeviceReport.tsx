import type { DevicesView } from '../../../agent/local-api/contract.ts';

/** What the agent found on this computer: the CPU, the GPUs, which runtimes work, and how jobs are confined. */
export function DeviceReport({ view }: { view: DevicesView }) {
  const { cpu, gpus, providers } = view.devices;
  return (
    <div className="device-report" data-testid="device-report">
      <dl className="status-card__facts">
        <div>
          <dt>Processor</dt>
          <dd data-testid="cpu-model">{cpu.model}</dd>
        </div>
        <div>
          <dt>Cores</dt>
          <dd data-testid="cpu-cores">
            {cpu.physicalCores} cores, {cpu.logicalThreads} threads ({cpu.architecture}
            {cpu.clockMhz === null ? '' : `, ${(cpu.clockMhz / 1000).toFixed(2)} GHz`})
          </dd>
        </div>
        <div>
          <dt>Vector instructions</dt>
          <dd>{cpu.simd.length === 0 ? 'none detected' : cpu.simd.join(', ')}</dd>
        </div>
        <div>
          <dt>Estimated peak</dt>
          <dd data-testid="cpu-peak">
            {cpu.peak === null
              ? 'not known (the clock or vector width could not be read)'
              : `${Math.round(cpu.peak.gflops)} GFLOP/s: ${cpu.peak.method}`}
          </dd>
        </div>
        <div>
          <dt>Graphics cards</dt>
          <dd data-testid="gpu-list">
            {gpus.length === 0
              ? 'none found'
              : gpus
                  .map(
                    (gpu) =>
                      `${gpu.name}${gpu.memoryMb === null ? '' : ` (${Math.round(gpu.memoryMb / 1024)} GB)`}${gpu.providers.length === 0 ? ', not usable for jobs yet' : `, runs ${gpu.providers.join(', ')}`}`,
                  )
                  .join('; ')}
          </dd>
        </div>
        <div>
          <dt>Runtimes</dt>
          <dd data-testid="providers">
            <ul className="device-report__list">
              {providers.map((check) => (
                <li key={check.provider}>
                  {check.provider}: {check.usable ? 'usable' : `not usable (${check.reason ?? 'no reason given'})`}
                </li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>How jobs are confined</dt>
          <dd data-testid="isolation">
            {view.isolation === null ? (
              'Not known: the sandbox could not be probed, so jobs cannot run yet. Reinstall Idlehive, or see the log.'
            ) : (
              <ul className="device-report__list">
                {view.isolation.statusLines.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {view.devices.notes.length > 0 && <p className="card__hint">Detection notes: {view.devices.notes.join(' ')}</p>}
    </div>
  );
}
