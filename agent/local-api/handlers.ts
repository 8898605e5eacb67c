/**
 * The agent's side of every local API method, wired to the services that own
 * the state. Params arrive already validated against the contract.
 */
import type { BenchmarkService } from '../compute/benchmark-service.ts';
import type { DeviceCatalog } from '../compute/device-catalog.ts';
import type { DiagnosticsBundle } from '../diagnostics/diagnostics-schema.ts';
import type { EarningsByDay } from '../earnings/earnings-by-day.ts';
import type { EarningsRange, EarningsSeries } from '../earnings/earnings-series.ts';
import { totalEarnings } from '../earnings/earnings-totals.ts';
import type { JournalRepository } from '../ledger/journal-repository.ts';
import type { ProviderJobsRepository } from '../ledger/provider-jobs-repository.ts';
import type { SettingsRepository } from '../ledger/settings-repository.ts';
import type { SchedulerService } from '../scheduling/scheduler-service.ts';
import type { WalletAgentService } from '../wallet/wallet-agent-service.ts';
import type { WalletSetup } from '../wallet/wallet-setup.ts';
import type { WalletAccess } from '../work/wallet-access.ts';
import type { SchedulerPolicy, Settings } from './contract.ts';
import type { MethodHandlers } from './dispatch.ts';

export interface HandlerDependencies {
  scheduler: SchedulerService;
  jobs: ProviderJobsRepository;
  /** Verified rewards per local day, computed now. */
  earnings: () => EarningsByDay;
  /** Verified rewards over a range, bucketed now. */
  earningsSeries: (range: EarningsRange) => EarningsSeries;
  walletService: WalletAgentService;
  wallet: WalletAccess;
  /** Something the provider loop waits for changed (an unlock, a setting). */
  onWorkInputChanged: () => void;
  settings: SettingsRepository;
  journal: JournalRepository;
  clock: () => number;
  onSettingsChanged: (settings: Settings) => void;
  onPolicyChanged: (policy: SchedulerPolicy) => void;
  devices: DeviceCatalog;
  benchmark: BenchmarkService;
  walletSetup: WalletSetup;
  exportDiagnostics: () => Promise<DiagnosticsBundle>;
}

export function createLocalApiHandlers(deps: HandlerDependencies): MethodHandlers {
  return {
    'status.get': () => deps.scheduler.status(),
    'control.override': ({ request }) => {
      const status = deps.scheduler.setOverride(request);
      deps.journal.append(deps.clock(), 'owner.override', { request, override: status.override });
      return status;
    },
    'control.resume': () => {
      deps.journal.append(deps.clock(), 'owner.resumed', {});
      return deps.scheduler.resume();
    },
    'scheduler.policy.get': () => deps.scheduler.currentPolicy(),
    'jobs.list': ({ limit }) => deps.jobs.list(limit),
    'earnings.days': () => deps.earnings(),
    'earnings.series': ({ range }) => deps.earningsSeries(range),
    'earnings.totals': () =>
      totalEarnings({
        credits: deps.jobs.creditsSince(0),
        awaitingMaxRewards: deps.jobs.awaitingMaxRewards(),
        now: deps.clock(),
        timeZone: deps.scheduler.currentPolicy().timeZone,
      }),
    'scheduler.policy.set': ({ patch }) => {
      const policy = deps.scheduler.updatePolicy(patch);
      deps.journal.append(deps.clock(), 'policy.changed', { keys: Object.keys(patch) });
      deps.onPolicyChanged(policy);
      return policy;
    },
    'signals.shell.report': ({ signals }) => deps.scheduler.reportShellSignals(signals),
    'timeline.list': ({ sinceMs }) => deps.scheduler.timelineSince(sinceMs),
    'wallet.unlock': async ({ password }) => {
      const address = await deps.wallet.unlock(password);
      deps.journal.append(deps.clock(), 'wallet.unlocked', { address });
      deps.onWorkInputChanged();
      return { address };
    },
    'wallet.lock': () => {
      deps.wallet.lock();
      deps.journal.append(deps.clock(), 'wallet.locked', {});
      deps.onWorkInputChanged();
      return {};
    },
    // The phrase goes back to this caller only: never into the journal, the log or an event.
    'wallet.create': async ({ password }) => {
      const created = await deps.walletSetup.create(password);
      deps.journal.append(deps.clock(), 'wallet.created', { address: created.address });
      deps.onWorkInputChanged();
      return created;
    },
    'wallet.import': async ({ secret, password }) => {
      const imported = await deps.walletSetup.import(secret, password);
      deps.journal.append(deps.clock(), 'wallet.imported', { address: imported.address });
      deps.onWorkInputChanged();
      return imported;
    },
    'wallet.status': () => deps.walletService.status(),
    'wallet.balance': () => deps.walletService.balance(),
    'wallet.withdraw.plan': ({ to }) => deps.walletService.planWithdrawal(to),
    'wallet.withdraw': ({ to, maxFee }) => deps.walletService.withdraw(to, BigInt(maxFee)),
    'wallet.withdraw.speedUp': ({ id }) => deps.walletService.speedUp(id),
    'settings.get': () => deps.settings.read(),
    'settings.set': ({ patch }) => {
      const next = deps.settings.write(patch);
      deps.journal.append(deps.clock(), 'settings.changed', { keys: Object.keys(patch) });
      deps.onSettingsChanged(next);
      deps.onWorkInputChanged();
      return next;
    },
    'devices.get': ({ refresh }) => deps.devices.get({ refresh: refresh === true }),
    'benchmark.run': ({ mode }) => deps.benchmark.start(mode),
    'benchmark.latest': () => deps.benchmark.latest(),
    'benchmark.history': ({ limit }) => deps.benchmark.history(limit ?? 20),
    'diagnostics.export': () => deps.exportDiagnostics(),
  };
}
