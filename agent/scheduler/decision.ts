/**
 * What `decide` answers. Declared as schemas so the local API can carry a
 * decision to every UI without writing its shape twice.
 */
import { z } from 'zod';
import { AgentStateSchema } from './agent-state.ts';
import { OwnerOverrideSchema } from './owner-override.ts';
import { DeviceKindSchema } from './signals.ts';

/**
 * The rule behind the state, stable for programs (the ledger's timeline and
 * notifications key on it) while the reason sentence carries numbers that
 * change every second ("used the computer 40 s ago").
 */
export const DecisionCauseSchema = z.enum([
  'benchmarking',
  'owner-paused',
  'paused-after-job',
  'no-devices',
  'on-battery',
  'excluded-app-running',
  'excluded-app-closed-recently',
  'process-list-unknown',
  'cpu-busy',
  'outside-schedule',
  'owner-active',
  'idle-unknown',
  'devices-turned-off',
  'too-hot',
  'wallet-missing',
  'wallet-locked',
  'network-unreachable',
  'no-jobs',
  'idle',
  'no-input-source',
  'light-mode',
  'earn-now',
  'finishing-job',
]);
export type DecisionCause = z.infer<typeof DecisionCauseSchema>;

export const AllowedDeviceSchema = z.object({
  id: z.string().min(1),
  kind: DeviceKindSchema,
  /** CPU: the most threads a job may use (null: all of them). GPU: always null. */
  maxThreads: z.number().int().positive().nullable(),
});
export type AllowedDevice = z.infer<typeof AllowedDeviceSchema>;

export const SchedulerDecisionSchema = z.object({
  state: AgentStateSchema,
  cause: DecisionCauseSchema,
  /** One sentence the UI shows verbatim. */
  reason: z.string().min(1),
  /**
   * The devices a job may use now, with their limits; empty means no job may
   * run, and a running job must be preempted. Filled in 'earning' and
   * 'no-work' (allowed, but nothing to run).
   */
  devices: z.array(AllowedDeviceSchema),
  /** False while finishing the last job before a pause: let it run, lease nothing new. */
  acceptsNewJobs: z.boolean(),
  /** The owner's override in force now, with its expiry (`until`); null when none is. */
  override: OwnerOverrideSchema.nullable(),
  /** When to ask again (epoch ms), even if no signal changes before then. */
  nextCheckAt: z.number().int().nonnegative(),
});
export type SchedulerDecision = z.infer<typeof SchedulerDecisionSchema>;
