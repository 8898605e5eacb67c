/**
 * Starts the agent for one home: opens the ledger, serves the local API and
 * dashboard, publishes the endpoint file, and stops cleanly. Used by
 * `idlehive agent` (headless) and forked by the desktop shell.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CoordinatorClaimRelay } from '../network/client/coordinator-claim-relay.ts';
import { APP_ROOT } from './app-root.ts';
import { cpuBenchmarkScore } from './compute/benchmark-score.ts';
import { BenchmarkService } from './compute/benchmark-service.ts';
import { DeviceCatalog } from './compute/device-catalog.ts';
import { exportDiagnostics } from './diagnostics/diagnostics-service.ts';
import { earningsByDay, earningsWindowStart } from './earnings/earnings-by-day.ts';
import { bucketEarnings, earliestRewardShown } from './earnings/earnings-series.ts';
import { resolveEmbeddedNetwork } from './embedded-network.ts';
import { describeError, IdlehiveError } from './errors.ts';
import { homeLayout } from './home.ts';
import { BenchmarkRepository } from './ledger/benchmark-repository.ts';
import { ControlRepository } from './ledger/control-repository.ts';
import { JournalRepository } from './ledger/journal-repository.ts';
import { openLedger } from './ledger/open-ledger.ts';
import { PolicyRepository } from './ledger/policy-repository.ts';
import { ProviderJobsRepository } from './ledger/provider-jobs-repository.ts';
import { SettingsRepository } from './ledger/settings-repository.ts';
import { loadOrCreateApiToken } from './local-api/api-token.ts';
import {
  dashboardLink,
  type EndpointFile,
  isProcessAlive,
  readEndpointFile,
  removeEndpointFile,
  writeEndpointFile,
} from './local-api/endpoint-file.ts';
import { createLocalApiHandlers } from './local-api/handlers.ts';
import { startLocalApiServer } from './local-api/server.ts';
import { createFileLogger } from './logger.ts';
import { HostSignalSampler } from './scheduling/host-signal-sampler.ts';
import { SchedulerService, type WorkSignals } from './scheduling/scheduler-service.ts';
import { APP_VERSION, ONNXRUNTIME_VERSION } from './version.ts';
import { claimVoucherFrom } from './wallet/voucher-input.ts';
import { WalletAgentService } from './wallet/wallet-agent-service.ts';
import { readWalletRecord } from './wallet/wallet-files.ts';
import { WalletSetup } from './wallet/wallet-setup.ts';
import { cpuProviderProfile, ProviderLoop } from './work/provider-loop.ts';
import { WalletAccess } from './work/wallet-access.ts';

/** A stable port lets an open dashboard find the agent again after a restart. */
export const DEFAULT_AGENT_PORT = 47320;

export const DEFAULT_DASHBOARD_ROOT = path.join(APP_ROOT, 'dist', 'renderer');

export interface RunAgentOptions {
  home: string;
  port?: number;
  dashboardRoot?: string;
  clock?: () => number;
  /**
   * The embedded local network's coordinator, used while the owner has not
   * chosen one in the settings (settings.coordinatorUrl null).
   */
  embeddedCoordinatorUrl?: string;
  /** The embedded network's chain, used while settings.chainRpcUrl is null. */
  embeddedChainRpcUrl?: string;
}

export interface RunningAgent {
  endpoint: EndpointFile;
  dashboardLink: string;
  stop(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One agent per home: a live one that still answers on its port keeps the home. */
async function assertHomeIsFree(endpointFile: string): Promise<void> {
  const existing = readEndpointFile(endpointFile);
  if (!existing || existing.pid === process.pid) return;
  if (isProcessAlive(existing.pid) && (await canConnect(existing.port))) {
    throw new IdlehiveError(
      'agent_already_running',
      `An Idlehive agent is already running for this home (pid ${existing.pid}). Use \`idlehive status\`, or stop that agent first.`,
    );
  }
}

export async function runAgent(options: RunAgentOptions): Promise<RunningAgent> {
  const clock = options.clock ?? Date.now;
  const layout = homeLayout(options.home);
  const embedded = resolveEmbeddedNetwork(options, process.env);
  await assertHomeIsFree(layout.endpointFile);

  const logger = createFileLogger(layout.logFile);
  const db = openLedger(layout.ledgerFile);
  const journal = new JournalRepository(db);
  const settings = new SettingsRepository(db, clock);
  const startedAt = clock();
  // The provider loop keeps these true; the scheduler reads them.
  const wallet = new WalletAccess(options.home);
  const work: WorkSignals = {
    isJobRunning: false,
    isNetworkReachable: false,
    isWorkAvailable: false,
    isBenchmarking: false,
    wallet: wallet.readiness(),
  };
  let provider: ProviderLoop | undefined;
  let scheduler: SchedulerService | undefined;
  const policies = new PolicyRepository(db, clock);
  const benchmarks = new BenchmarkRepository(db);
  // Probed in the background once the API is up: outside tools may take seconds and must not delay the start.
  const devices = new DeviceCatalog({
    clock,
    onProbeFailed: (error) => logger.warn({ err: describeError(error) }, 'device probe failed'),
  });
  const benchmark = new BenchmarkService({
    devices,
    repository: benchmarks,
    setBenchmarking: (isBenchmarking) => {
      work.isBenchmarking = isBenchmarking;
      // The decision this causes allows no device, so the provider loop preempts a running job at once.
      scheduler?.signalsChanged();
    },
    whenNoJobRuns: () => provider?.whenNoJobRuns() ?? Promise.resolve(),
    onProgress: (progress) => server.broadcast('benchmark.progress', progress),
    onFinished: (finished) => server.broadcast('benchmark.finished', finished),
    journal,
    logger,
    clock,
  });
  const host = new HostSignalSampler({
    clock,
    wantsProcessList: () => (scheduler?.currentPolicy() ?? policies.read()).excludedApps.length > 0,
    // A job's worker is CPU-bound by design, so it is counted as busy on every thread it was given:
    // without this, earning would look like "another program keeps the CPU busy" and pause itself.
    // The benchmark's worker likewise: its load must not count against earning once it is done.
    ownCpuPercent: () =>
      (((provider?.runningThreads() ?? 0) + benchmark.runningThreads()) / os.availableParallelism()) * 100,
    onChange: () => scheduler?.signalsChanged(),
  });
  await host.start();
  scheduler = new SchedulerService({
    policies,
    control: new ControlRepository(db),
    clock,
    hostSignals: () => host.current(),
    workSignals: () => work,
    agent: { version: APP_VERSION, pid: process.pid, startedAt },
    currentJob: () => provider?.currentJob() ?? null,
  });
  const schedulerService = scheduler;
  const providerJobs = new ProviderJobsRepository(db, clock);
  const earningsNow = () => {
    const now = clock();
    const { timeZone } = schedulerService.currentPolicy();
    return earningsByDay(providerJobs.creditsSince(earningsWindowStart(now, timeZone)), now, timeZone);
  };
  const coordinatorUrl = () => settings.read().coordinatorUrl ?? embedded.coordinatorUrl;
  provider = new ProviderLoop({
    coordinatorUrl,
    wallet,
    scheduler: schedulerService,
    work,
    workDir: path.join(layout.root, 'work'),
    journal,
    jobs: providerJobs,
    logger,
    clock,
    profile: () => cpuProviderProfile(APP_VERSION, ONNXRUNTIME_VERSION, cpuBenchmarkScore(benchmarks.latest())),
    onJobChange: () => schedulerService.signalsChanged(),
  });
  providerJobs.onChange(() => {
    server.broadcast('jobs', providerJobs.list(50));
    server.broadcast('earnings', earningsNow());
  });
  const providerLoop = provider;
  journal.append(startedAt, 'agent.started', { version: APP_VERSION, pid: process.pid });

  // Finishes withdrawals a crash or a dead chain interrupted; progress goes to every client.
  const walletService = new WalletAgentService({
    home: options.home,
    readiness: () => wallet.readiness(),
    db,
    logger,
    rpcUrl: () => settings.read().chainRpcUrl ?? embedded.chainRpcUrl,
    onProgress: (progress) => server.broadcast('wallet.withdrawal', progress),
    signer: () => wallet.signer(),
    feeCapGwei: () => settings.read().withdrawalMaxGasPriceGwei,
    newestVoucher: async () => {
      const record = readWalletRecord(options.home);
      const voucher = record === null ? null : providerLoop.newestVoucher(record.address);
      return voucher === null ? null : claimVoucherFrom(voucher);
    },
    pendingResults: async () => providerJobs.pendingCount(),
    // A wallet without gas withdraws through the coordinator the provider loop earns from.
    relay: () => {
      const url = coordinatorUrl();
      return url === null ? null : new CoordinatorClaimRelay(url);
    },
  });
  const token = loadOrCreateApiToken(layout.apiTokenFile);
  const server = await startLocalApiServer({
    token,
    port: options.port ?? DEFAULT_AGENT_PORT,
    dashboardRoot: options.dashboardRoot ?? DEFAULT_DASHBOARD_ROOT,
    logger,
    handlers: createLocalApiHandlers({
      scheduler: schedulerService,
      jobs: providerJobs,
      earnings: earningsNow,
      earningsSeries: (range) => {
        const now = clock();
        const timeZone = schedulerService.currentPolicy().timeZone;
        const rewards = providerJobs.creditsSince(earliestRewardShown(range, now, timeZone) ?? 0);
        return bucketEarnings({ range, rewards, now, timeZone });
      },
      walletService,
      wallet,
      onWorkInputChanged: () => providerLoop.poke(),
      settings,
      journal,
      clock,
      onSettingsChanged: (s) => server.broadcast('settings', s),
      onPolicyChanged: (policy) => {
        server.broadcast('policy', policy);
        server.broadcast('earnings', earningsNow()); // "Today" may now start at another midnight.
      },
      devices,
      benchmark,
      walletSetup: new WalletSetup({ home: options.home, access: wallet }),
      exportDiagnostics: () =>
        exportDiagnostics({
          logFile: layout.logFile,
          clock,
          devices: () => devices.get({ refresh: false }),
          status: () => schedulerService.status(),
          policy: () => schedulerService.currentPolicy(),
          settings: () => settings.read(),
          timelineSince: (sinceMs) => schedulerService.timelineSince(sinceMs),
        }),
    }),
    greeting: () => ({
      status: schedulerService.status(),
      settings: settings.read(),
      policy: schedulerService.currentPolicy(),
      earnings: earningsNow(),
    }),
  });
  let loggedState = '';
  schedulerService.onStatusChange((status) => {
    // The reason's numbers change every few seconds; the log keeps state changes only.
    const key = `${status.state}/${status.cause}`;
    if (key !== loggedState)
      logger.info({ state: status.state, cause: status.cause, reason: status.reason }, 'status changed');
    loggedState = key;
    server.broadcast('status', status);
  });

  const endpoint: EndpointFile = {
    version: 1,
    pid: process.pid,
    port: server.port,
    apiUrl: `ws://127.0.0.1:${server.port}/api`,
    dashboardUrl: `http://127.0.0.1:${server.port}/`,
    token,
    startedAt,
  };
  writeEndpointFile(layout.endpointFile, endpoint);
  walletService.start();
  providerLoop.start();
  devices.startProbe();
  logger.info({ port: server.port, home: layout.root, version: APP_VERSION }, 'agent started');

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    dashboardLink: dashboardLink(endpoint),
    stop() {
      stopping ??= (async () => {
        removeEndpointFile(layout.endpointFile, process.pid);
        await benchmark.stop();
        await walletService.stop();
        await providerLoop.stop();
        schedulerService.stop();
        host.stop();
        await server.close();
        journal.append(clock(), 'agent.stopped', { pid: process.pid });
        db.close();
        logger.info('agent stopped');
        logger.flush();
      })();
      return stopping;
    },
  };
}
