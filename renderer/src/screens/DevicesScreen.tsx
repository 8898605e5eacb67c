import { useId } from 'react';
import type {
  BenchmarkHistory,
  DevicesView,
  SchedulerPolicy,
  SchedulerPolicyInput,
} from '../../../agent/local-api/contract.ts';
import { BenchmarkHistoryList } from '../components/BenchmarkHistoryList.tsx';
import { BenchmarkProgress } from '../components/BenchmarkProgress.tsx';
import { BenchmarkResults } from '../components/BenchmarkResults.tsx';
import { DeviceControls } from '../components/DeviceControls.tsx';
import { DeviceReport } from '../components/DeviceReport.tsx';
import type { BenchmarkMode, BenchmarkState } from '../devices/benchmark-run.ts';
import { controlledDevices } from '../devices/device-settings.ts';

interface DevicesScreenProps {
  devices: DevicesView | null;
  devicesProblem: string | null;
  policy: SchedulerPolicy | null;
  benchmark: BenchmarkState;
  benchmarkHistory: BenchmarkHistory | null;
  /** The owner's zone (the policy's), for the times of past runs. */
  timeZone: string | undefined;
  now: number;
  canAct: boolean;
  isSavingDevice: boolean;
  deviceError: string | null;
  benchmarkError: string | null;
  onRunBenchmark(mode: BenchmarkMode): void;
  onRefresh(): void;
  onSaveDevice(patch: Partial<SchedulerPolicyInput>): Promise<SchedulerPolicy | null>;
}

/** This computer's devices, how fast they are, and which of them jobs may use. */
export function DevicesScreen(props: DevicesScreenProps) {
  const ids = useId();
  const { devices, devicesProblem, policy, benchmark, canAct } = props;
  const isRunning = benchmark.running !== null;
  const failure = props.benchmarkError ?? benchmark.failure;
  return (
    <div className="devices">
      <section
        className="card"
        aria-labelledby={`${ids}-found`}
        aria-busy={devices === null && devicesProblem === null}
      >
        <h2 id={`${ids}-found`} className="card__heading">
          This computer
        </h2>
        {devices !== null ? (
          <DeviceReport view={devices} />
        ) : devicesProblem !== null ? (
          <p className="action-error" role="alert" data-testid="devices-problem">
            {devicesProblem}
          </p>
        ) : (
          <p className="card__hint">Looking at this computer’s processor and graphics cards…</p>
        )}
        <div className="form-actions">
          <button type="button" className="button" disabled={!canAct} onClick={props.onRefresh}>
            Detect again
          </button>
        </div>
      </section>

      <section className="card" aria-labelledby={`${ids}-bench`}>
        <h2 id={`${ids}-bench`} className="card__heading">
          Benchmark
        </h2>
        <p className="card__hint">
          Measures how fast this computer runs the network’s kind of work. No jobs run meanwhile. Quick takes about 20
          seconds per device, full about a minute.
        </p>
        <div className="button-row">
          <button
            type="button"
            className="button button--primary"
            data-testid="run-benchmark-quick"
            disabled={!canAct || isRunning}
            onClick={() => props.onRunBenchmark('quick')}
          >
            Run quick benchmark
          </button>
          <button
            type="button"
            className="button"
            data-testid="run-benchmark-full"
            disabled={!canAct || isRunning}
            onClick={() => props.onRunBenchmark('full')}
          >
            Run full benchmark
          </button>
        </div>
        {benchmark.running !== null && <BenchmarkProgress run={benchmark.running} id={`${ids}-progress`} />}
        {failure !== null && (
          <p className="action-error" role="alert" data-testid="benchmark-error">
            {failure}
          </p>
        )}
        {benchmark.latest !== null ? (
          <BenchmarkResults report={benchmark.latest} />
        ) : (
          <p className="card__hint" data-testid="benchmark-empty">
            Not measured yet. Run the quick benchmark to see this computer’s score.
          </p>
        )}
        {benchmark.latest !== null && (
          <>
            <h3 className="card__heading">Past runs</h3>
            <BenchmarkHistoryList
              history={props.benchmarkHistory}
              names={
                new Map(devices === null ? [] : controlledDevices(devices).map((device) => [device.id, device.name]))
              }
              now={props.now}
              timeZone={props.timeZone}
            />
          </>
        )}
      </section>

      <section className="card form-card" aria-labelledby={`${ids}-use`}>
        <h2 id={`${ids}-use`} className="card__heading">
          Devices jobs may use
        </h2>
        {devices !== null && policy !== null ? (
          <DeviceControls
            view={devices}
            policy={policy}
            canAct={canAct}
            isSaving={props.isSavingDevice}
            saveError={props.deviceError}
            onSave={props.onSaveDevice}
          />
        ) : (
          <p className="card__hint">Shown once the agent has described this computer.</p>
        )}
      </section>
    </div>
  );
}
