/** The Devices and first-run screens rendered from agent-shaped data, without a browser. */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BenchmarkReport, DevicesView } from '../../../agent/local-api/contract.ts';
import { defaultSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import { NO_BENCHMARK } from '../devices/benchmark-run.ts';
import { DevicesScreen } from './DevicesScreen.tsx';
import { FirstRunScreen } from './FirstRunScreen.tsx';

const html = (element: ReactElement) => renderToStaticMarkup(element);
const noop = () => {};
const policy = defaultSchedulerPolicy('UTC');

const view: DevicesView = {
  devices: {
    platform: 'linux',
    onnxruntimeVersion: '1.30.0',
    cpu: {
      kind: 'cpu',
      model: 'Example CPU',
      architecture: 'x64',
      physicalCores: 4,
      logicalThreads: 8,
      clockMhz: 3000,
      simd: ['avx2', 'fma'],
      peak: { gflops: 384, method: '4 cores x 3.00 GHz x 32 FLOP/cycle' },
      providers: ['cpu'],
    },
    gpus: [
      {
        id: 'gpu:0',
        kind: 'gpu',
        vendor: 'nvidia',
        name: 'Example GPU',
        memoryMb: 8192,
        driver: '550',
        source: 'nvidia-smi',
        providers: ['cuda'],
      },
    ],
    providers: [
      { provider: 'cpu', usable: true, reason: null },
      { provider: 'webgpu', usable: false, reason: 'no adapter' },
    ],
    notes: [],
    probeMs: 12,
  },
  isolation: null,
  probedAt: 1,
};

const report: BenchmarkReport = {
  mode: 'quick',
  startedAt: 1,
  finishedAt: 2,
  appVersion: '0.1.0',
  onnxruntimeVersion: '1.30.0',
  devices: [
    {
      device: 'cpu',
      name: 'Example CPU',
      executionProvider: 'cpu',
      threads: 8,
      score: 142.4,
      workloads: [
        {
          workload: 'gemm',
          label: 'GEMM chain',
          unit: 'GFLOP/s',
          throughput: 120.5,
          p50Ms: 4.2,
          p95Ms: 5.1,
          cv: 0.03,
          runs: 40,
          stable: true,
          peakFraction: 0.31,
          note: null,
        },
      ],
    },
  ],
};

const devicesProps = {
  devices: view,
  devicesProblem: null,
  policy,
  benchmark: NO_BENCHMARK,
  benchmarkHistory: null,
  timeZone: 'UTC',
  now: 10_000,
  canAct: true,
  isSavingDevice: false,
  deviceError: null,
  benchmarkError: null,
  onRunBenchmark: noop,
  onRefresh: noop,
  onSaveDevice: async () => null,
};

describe('DevicesScreen', () => {
  it('shows the devices, the peak with its arithmetic, each runtime’s check and a switch per device', () => {
    const markup = html(<DevicesScreen {...devicesProps} />);
    expect(markup).toContain('Example CPU');
    expect(markup).toContain('4 cores, 8 threads');
    expect(markup).toContain('384 GFLOP/s: 4 cores x 3.00 GHz x 32 FLOP/cycle');
    expect(markup).toContain('Example GPU (8 GB), runs cuda');
    expect(markup).toContain('webgpu: not usable (no adapter)');
    expect(markup).toContain('the sandbox could not be probed');
    expect(markup).toContain('data-testid="device-enabled-cpu"');
    expect(markup).toContain('data-testid="device-enabled-gpu:0"');
    expect(markup).toContain('Not measured yet');
    // The NVIDIA GPU's temperature is read by the scheduler: a limit, falling back to the Schedule's; the CPU's is not.
    expect(markup).toContain('data-testid="temperature-limit-gpu:0"');
    expect(markup).toContain(
      'Leave empty to use the limit for all graphics cards set on the Schedule screen, now 83 °C.',
    );
    expect(markup).toContain('data-testid="temperature-unread-cpu"');
  });

  it('says a GPU without its own limit falls back to the limit set on the Schedule screen', () => {
    const markup = html(<DevicesScreen {...devicesProps} policy={{ ...policy, gpuTemperatureLimitC: 72 }} />);
    expect(markup).toContain('set on the Schedule screen, now 72 °C.');
    expect(markup).toContain('placeholder="72"');
  });

  it('lists past runs per device with date, mode and score, newest first, and a sparkline', () => {
    const markup = html(
      <DevicesScreen
        {...devicesProps}
        benchmark={{ latest: report, running: null, failure: null }}
        benchmarkHistory={[
          {
            runId: 2,
            mode: 'full',
            startedAt: 5000,
            finishedAt: Date.UTC(2026, 2, 18, 9, 30),
            scores: [{ device: 'cpu', executionProvider: 'cpu', score: 142.4 }],
          },
          {
            runId: 1,
            mode: 'quick',
            startedAt: 1000,
            finishedAt: Date.UTC(2026, 2, 17, 8, 0),
            scores: [{ device: 'cpu', executionProvider: 'cpu', score: 98 }],
          },
        ]}
        now={Date.UTC(2026, 2, 18, 12)}
      />,
    );
    expect(markup).toContain('Past runs');
    expect(markup).toContain('aria-label="Past benchmark runs on Example CPU (cpu)"');
    expect(markup).toMatch(
      /09:30<\/time> · full · <span>score <strong>142<\/strong>.*Tue 17 Mar 08:00<\/time> · quick · <span>score <strong>98</,
    );
    expect(markup).toContain('<polyline points="0,8.7 120,0"');
  });

  it('says where past runs will appear before there are any', () => {
    const markup = html(
      <DevicesScreen
        {...devicesProps}
        benchmark={{ latest: report, running: null, failure: null }}
        benchmarkHistory={[]}
      />,
    );
    expect(markup).toContain('No past runs yet.');
  });

  it('shows a run’s progress with the buttons disabled, and the stored report’s figures', () => {
    const markup = html(
      <DevicesScreen
        {...devicesProps}
        benchmark={{
          latest: report,
          running: {
            mode: 'quick',
            progress: {
              mode: 'quick',
              device: 'cpu',
              executionProvider: 'cpu',
              workload: 'gemm',
              phase: 'warmup',
              fraction: 0.25,
            },
          },
          failure: null,
        }}
      />,
    );
    expect(markup).toMatch(/<progress[^>]*value="25"[^>]*max="100"/);
    expect(markup).toContain('Warming up gemm on cpu (cpu): 25 %');
    expect(markup).toMatch(/data-testid="run-benchmark-quick" disabled/);
    expect(markup).toContain('Score: <strong>142</strong>');
    expect(markup).toContain('120.5 GFLOP/s');
    expect(markup).toContain('4.2 ms');
    expect(markup).toContain('steady (varied 3 % over 40 runs)');
  });

  it('says what went wrong in the agent’s words', () => {
    const markup = html(
      <DevicesScreen {...devicesProps} devices={null} devicesProblem="Could not detect the devices." />,
    );
    expect(markup).toContain('Could not detect the devices.');
  });
});

describe('FirstRunScreen', () => {
  const firstRunProps = {
    wallet: { wallet: null, readiness: 'missing' as const, withdrawals: [] },
    devices: view,
    devicesProblem: null,
    policy,
    benchmark: NO_BENCHMARK,
    canAct: true,
    pendingAction: null,
    walletError: null,
    benchmarkError: null,
    startError: null,
    skipError: null,
    onCreateWallet: async () => null,
    onImportWallet: async () => null,
    onRunBenchmark: noop,
    onStartEarning: noop,
    onSkip: noop,
  };

  it('starts with the wallet and shows nothing further until one exists', () => {
    const markup = html(
      <FirstRunScreen {...firstRunProps} walletError="Choose a wallet password of at least 8 characters." />,
    );
    expect(markup).toContain('Create a new wallet');
    expect(markup).toContain('Choose a wallet password of at least 8 characters.');
    expect(markup).not.toContain('data-testid="start-earning"');
  });

  it('with a wallet: the device check, the benchmark and an estimate with no invented amount, then Start earning', () => {
    const markup = html(
      <FirstRunScreen
        {...firstRunProps}
        wallet={{
          wallet: { address: '0xabc', mode: 'keystore', keychain: false },
          readiness: 'ready',
          withdrawals: [],
        }}
        benchmark={{ ...NO_BENCHMARK, latest: report }}
      />,
    );
    expect(markup).toContain('0xabc');
    expect(markup).toContain('Example CPU');
    expect(markup).toContain('This computer scored 142');
    expect(markup).toContain('No amount is shown');
    expect(markup).toContain('data-testid="start-earning"');
  });
});
