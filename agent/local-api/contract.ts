/**
 * The local API: the one contract between the agent and every UI (renderer,
 * Electron main, CLI). Each method and pushed event is declared once here with
 * its runtime schema; the server's handler table and the clients' typed calls
 * are both derived from this object, so no name or shape is written twice.
 */
import { z } from 'zod';
import { BenchmarkReportSchema } from '../../native/benchmark/benchmark-report.ts';
import {
  BenchmarkFinishedEventSchema,
  BenchmarkHistorySchema,
  BenchmarkModeSchema,
  BenchmarkProgressEventSchema,
  BenchmarkStartedSchema,
  DevicesViewSchema,
} from '../compute/compute-views.ts';
import { DiagnosticsBundleSchema } from '../diagnostics/diagnostics-schema.ts';
import { EarningsByDaySchema } from '../earnings/earnings-by-day.ts';
import { EarningsRangeSchema, EarningsSeriesSchema } from '../earnings/earnings-series.ts';
import { EarningsTotalsSchema } from '../earnings/earnings-totals.ts';
import { ProviderJobSchema } from '../ledger/provider-jobs-repository.ts';
import { AgentStateSchema } from '../scheduler/agent-state.ts';
import { AllowedDeviceSchema, DecisionCauseSchema } from '../scheduler/decision.ts';
import { OwnerOverrideRequestSchema, OwnerOverrideSchema } from '../scheduler/owner-override.ts';
import { type SchedulerPolicyInput, SchedulerPolicySchema } from '../scheduler/policy.ts';
import { ShellSignalsSchema } from '../scheduler/signals.ts';
import {
  BalanceViewSchema,
  SpeedUpRequestSchema,
  WalletStatusSchema,
  WithdrawalPlanViewSchema,
  WithdrawalProgressSchema,
  WithdrawRequestSchema,
} from '../wallet/wallet-status.ts';

export const LOCAL_API_VERSION = 1;
/** Sent as the first WebSocket subprotocol; the server answers with it. */
export const LOCAL_API_PROTOCOL = 'idlehive.v1';
/** The token travels as a second subprotocol, because browsers cannot set headers on WebSockets. */
export const TOKEN_PROTOCOL_PREFIX = 'idlehive.token.';
/**
 * A browser cannot see why a WebSocket handshake failed, so the dashboard asks
 * here (GET, token in this header) whether its token is wrong or the agent is down.
 */
export const TOKEN_CHECK_PATH = '/api/token-check';
export const TOKEN_CHECK_HEADER = 'x-idlehive-token';
/** Messages above this size are answered with an error; the connection stays open. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** The origin the Electron window loads the dashboard from (see electron/app-protocol.ts). */
export const DESKTOP_APP_ORIGIN = 'app://idlehive';

export type { BenchmarkReport } from '../../native/benchmark/benchmark-report.ts';
export type {
  BenchmarkFinishedEvent,
  BenchmarkHistory,
  BenchmarkHistoryRun,
  BenchmarkProgressEvent,
  BenchmarkStarted,
  DevicesView,
} from '../compute/compute-views.ts';
export type { DiagnosticsBundle } from '../diagnostics/diagnostics-schema.ts';
export type { EarningsByDay, EarningsDay } from '../earnings/earnings-by-day.ts';
export type { EarningsBucket, EarningsRange, EarningsSeries } from '../earnings/earnings-series.ts';
export type { EarningsTotals } from '../earnings/earnings-totals.ts';
export type { ProviderJob, ProviderJobState } from '../ledger/provider-jobs-repository.ts';
export { type AgentState, AgentStateSchema } from '../scheduler/agent-state.ts';
export type { DecisionCause } from '../scheduler/decision.ts';
export { MAX_PAUSE_SECONDS, type OwnerOverride, type OwnerOverrideRequest } from '../scheduler/owner-override.ts';
export type { SchedulerPolicy, SchedulerPolicyInput } from '../scheduler/policy.ts';
export type { ShellSignals } from '../scheduler/signals.ts';
export { describeSchemaIssues } from '../schema-issues.ts';
export type { BalanceView, WalletStatus, WithdrawalPlanView, WithdrawalProgress } from '../wallet/wallet-status.ts';

const epochMs = z.number().int().nonnegative();

/** The job in hand, as the status shows it. */
export const RunningJobSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['inference', 'training']),
  startedAt: epochMs,
  /** Starting the sandboxed worker, loading the model into it, or running. */
  phase: z.enum(['starting', 'loading', 'running']),
  /** Runs (inference) or steps (training) done, out of `total` (0 until the worker reports). */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** The most this job can earn once verified, in the token's smallest unit (decimal string). */
  maxReward: z.string(),
});
export type RunningJob = z.infer<typeof RunningJobSchema>;

export const StatusSchema = z.object({
  state: AgentStateSchema,
  /** The rule behind the state, stable for programs (the reason's numbers change every second). */
  cause: DecisionCauseSchema,
  /** One sentence the UI shows verbatim. */
  reason: z.string().min(1),
  /** When the agent entered this state (and cause). */
  since: epochMs,
  /** The owner's override in force, with its expiry; null when none is. */
  override: OwnerOverrideSchema.nullable(),
  /** The devices a job may use now, with their limits. */
  devices: z.array(AllowedDeviceSchema),
  /** False while finishing the last job before a pause. */
  acceptsNewJobs: z.boolean(),
  /** How often a desktop shell should report idle time now: 100 ms while earning, 2 s otherwise. */
  shellReportEveryMs: z.number().int().positive(),
  /** The job running now, or null. */
  job: RunningJobSchema.nullable(),
  agent: z.object({
    version: z.string(),
    pid: z.number().int(),
    startedAt: epochMs,
  }),
});
export type Status = z.infer<typeof StatusSchema>;

export const TimelineEntrySchema = z.object({
  at: epochMs,
  state: AgentStateSchema,
  cause: DecisionCauseSchema,
  reason: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const ThemeSchema = z.enum(['system', 'light', 'dark']);

const endpointUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2048)
  .nullable();

export const SettingsSchema = z.object({
  theme: ThemeSchema,
  startAtLogin: z.boolean(),
  notifications: z.boolean(),
  /** The coordinator of the compute network; null means the embedded local network. */
  coordinatorUrl: endpointUrl,
  /** The EVM JSON-RPC endpoint payouts are claimed on; null means the embedded local chain. */
  chainRpcUrl: endpointUrl,
  /**
   * The dashboard's first-run steps: shown while 'pending' and there is no wallet; 'skipped' or 'finished'
   * (Start earning) keep them closed on every later opening, in every window and browser.
   */
  firstRun: z.enum(['pending', 'skipped', 'finished'], { error: 'firstRun must be pending, skipped or finished' }),
  /** The most a withdrawal's fee bumps may offer per gas, in gwei; null means 4 times the fee shown when confirming. */
  withdrawalMaxGasPriceGwei: z.number().positive().max(1_000_000).nullable(),
  /**
   * Where the desktop app looks for updates (an electron-builder "generic" feed: the folder holding latest.yml);
   * null means the feed built into the installer, if it has one. https only: an update is code that will run.
   */
  updateFeedUrl: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .max(2048)
    .nullable(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  startAtLogin: false,
  notifications: true,
  coordinatorUrl: null,
  chainRpcUrl: null,
  firstRun: 'pending',
  withdrawalMaxGasPriceGwei: null,
  updateFeedUrl: null,
};

const empty = z.object({}).strict();

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, summary: string) {
  return { params, result, summary };
}

export const localApiMethods = {
  'status.get': method(empty, StatusSchema, 'The current state and the reason for it.'),
  'control.override': method(
    z.object({ request: OwnerOverrideRequestSchema }).strict(),
    StatusSchema,
    'Pause (for a duration, until tomorrow, until resumed), earn now for a duration, or finish the job then pause.',
  ),
  'control.resume': method(empty, StatusSchema, 'End any override now; the schedule decides again.'),
  'scheduler.policy.get': method(empty, SchedulerPolicySchema, 'The scheduling policy.'),
  'scheduler.policy.set': method(
    z
      .object({
        patch: z.custom<Partial<SchedulerPolicyInput>>(
          (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
          'patch must be an object of policy fields',
        ),
      })
      .strict(),
    SchedulerPolicySchema,
    'Change some policy fields (each replaces the stored one); the whole result is validated.',
  ),
  'signals.shell.report': method(
    z.object({ signals: ShellSignalsSchema }).strict(),
    z.object({ reportEveryMs: z.number().int().positive() }),
    'The desktop shell reports idle time and power; the answer says when to report next.',
  ),
  'timeline.list': method(
    z.object({ sinceMs: epochMs }).strict(),
    z.array(TimelineEntrySchema),
    'State changes since a moment, oldest first.',
  ),
  'wallet.unlock': method(
    z.object({ password: z.string().min(1, 'enter the wallet password').max(1024) }).strict(),
    z.object({ address: z.string() }),
    "Unlock the wallet key for this session (kept in the agent's memory only) so the agent can sign in to the network.",
  ),
  'wallet.lock': method(empty, z.object({}), 'Forget the unlocked key; earning stops at the next sign-in.'),
  'wallet.create': method(
    z.object({ password: z.string().min(1, 'choose a wallet password').max(1024) }).strict(),
    z.object({ address: z.string(), mnemonic: z.string() }),
    'Create the wallet (encrypted with the password) and unlock it for this session. The recovery phrase is returned this once, so the owner can write it down; it is never logged or pushed.',
  ),
  'wallet.import': method(
    z
      .object({
        secret: z.string().min(1, 'enter the recovery phrase or private key').max(1024),
        password: z.string().min(1, 'choose a wallet password').max(1024),
      })
      .strict(),
    z.object({ address: z.string() }),
    'Import a wallet from its recovery phrase or private key (encrypted with the password) and unlock it for this session.',
  ),
  'earnings.days': method(
    empty,
    EarningsByDaySchema,
    "Verified rewards per local day (the schedule's time zone) for the last 7 days up to today; the same view follows as earnings events whenever a job is credited or the zone changes.",
  ),
  'earnings.series': method(
    z.object({ range: EarningsRangeSchema }).strict(),
    EarningsSeriesSchema,
    "Verified rewards over the last 24 hours (per hour), 7 or 30 days (per day) or all time (per day, week or month), in the schedule's time zone; ask again on each earnings event.",
  ),
  'earnings.totals': method(
    empty,
    EarningsTotalsSchema,
    'Verified rewards over the ranges of earnings.series (the last 24 local hours, 7 or 30 local days, all time), over every job in the ledger, and what the results awaiting verification can still earn; ask again on each earnings event.',
  ),
  'jobs.list': method(
    z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(ProviderJobSchema),
    'The jobs this computer leased, newest first, each with its payment state and reward.',
  ),
  'settings.get': method(empty, SettingsSchema, 'All settings.'),
  'settings.set': method(
    z.object({ patch: SettingsSchema.partial().strict() }).strict(),
    SettingsSchema,
    'Change some settings; returns all settings.',
  ),
  'wallet.status': method(
    empty,
    WalletStatusSchema,
    'The wallet address, whether it can sign, and each withdrawal with its progress and transaction hash (never a secret).',
  ),
  'wallet.balance': method(
    empty,
    BalanceViewSchema,
    'Tokens in the wallet, claimable now, being withdrawn, lifetime earned, pending results and gas (unknown figures are null).',
  ),
  'wallet.withdraw.plan': method(
    z.object({ to: z.string().optional() }).strict(),
    WithdrawalPlanViewSchema,
    'What withdrawing now would pay, to whom, and its fee, shown before confirming; nothing is written or sent.',
  ),
  'wallet.withdraw': method(
    WithdrawRequestSchema,
    WithdrawalProgressSchema,
    'Start the withdrawal the plan showed (refused if the fee rose above maxFee); its progress follows as wallet.withdrawal events.',
  ),
  'wallet.withdraw.speedUp': method(
    SpeedUpRequestSchema,
    WithdrawalProgressSchema,
    'Replace a withdrawal waiting for a block with the same transaction at a higher fee (same nonce, within the withdrawalMaxGasPriceGwei cap); needs the wallet unlocked or in the keychain.',
  ),
  'devices.get': method(
    z.object({ refresh: z.boolean().default(false) }).strict(),
    DevicesViewSchema,
    "This computer's devices, the execution providers usable on each, and how jobs are isolated; probed when the agent starts, again with refresh.",
  ),
  'benchmark.run': method(
    z.object({ mode: BenchmarkModeSchema }).strict(),
    BenchmarkStartedSchema,
    'Start measuring this computer (quick about 20 s, full about 60 s; no jobs meanwhile); progress follows as benchmark.progress events and the end as benchmark.finished.',
  ),
  'benchmark.history': method(
    z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict(),
    BenchmarkHistorySchema,
    'Stored benchmark runs, newest first: when, quick or full, and each device’s composite score.',
  ),
  'diagnostics.export': method(
    empty,
    DiagnosticsBundleSchema,
    'A diagnostics bundle: versions, platform, devices, policy, settings, the recent timeline and the end of the log, with secrets removed.',
  ),
  'benchmark.latest': method(
    empty,
    BenchmarkReportSchema.nullable(),
    'The newest stored benchmark report (every device measured in that run), or null when this computer was never benchmarked.',
  ),
} as const;

export const localApiEvents = {
  /** Sent on connect and on every change. */
  status: StatusSchema,
  settings: SettingsSchema,
  policy: SchedulerPolicySchema,
  /** A job moved (leased, running, finished, submitted, verified, rejected…): the newest jobs. */
  jobs: z.array(ProviderJobSchema),
  /** Sent on connect, when a job's payment state changed and when the schedule's time zone changed. */
  earnings: EarningsByDaySchema,
  /** A withdrawal moved (prepared, sent, confirmed, failed) or is waiting, with the reason. */
  'wallet.withdrawal': WithdrawalProgressSchema,
  /** A benchmark run moved on: which workload on which device, and the fraction of the suite done. */
  'benchmark.progress': BenchmarkProgressEventSchema,
  /** A benchmark run ended: its stored report, or why it failed. */
  'benchmark.finished': BenchmarkFinishedEventSchema,
} as const;

export type MethodName = keyof typeof localApiMethods;
export type MethodParams<M extends MethodName> = z.input<(typeof localApiMethods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.output<(typeof localApiMethods)[M]['result']>;
export type EventName = keyof typeof localApiEvents;
export type EventData<E extends EventName> = z.output<(typeof localApiEvents)[E]>;

export const METHOD_NAMES = Object.keys(localApiMethods) as MethodName[];
export const EVENT_NAMES = Object.keys(localApiEvents) as EventName[];

export function isMethodName(value: string): value is MethodName {
  return Object.hasOwn(localApiMethods, value);
}

export function isEventName(value: string): value is EventName {
  return Object.hasOwn(localApiEvents, value);
}

// Wire envelopes. Every frame is one JSON object of one of these shapes.
const requestId = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]);

export const RequestEnvelopeSchema = z
  .object({
    id: requestId,
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
  })
  .strict();
export type RequestEnvelope = z.infer<typeof RequestEnvelopeSchema>;

export const ApiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ServerFrameSchema = z.union([
  z.object({ id: requestId, result: z.unknown() }).strict(),
  z.object({ id: requestId.nullable(), error: ApiErrorSchema }).strict(),
  z.object({ event: z.string(), data: z.unknown() }).strict(),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** The subprotocol list a client offers: version first, token second. */
export function clientProtocols(token: string): string[] {
  return [LOCAL_API_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
