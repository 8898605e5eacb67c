/**
 * The Schedule screen's unsaved edits. The agent's policy is the truth; the
 * draft starts from it, collects the owner's changes, and becomes a patch of
 * only the fields that changed. Numbers are sent as typed: the agent checks
 * them and its sentence is what the screen shows, so the rules live once.
 */
import type { SchedulerPolicy, SchedulerPolicyInput } from '../../../agent/local-api/contract.ts';
import { gridFromWindows, paintCell, type WeekGrid, windowsFromGrid } from './week-grid.ts';

export interface PolicyDraft {
  /** The policy this draft started from. */
  base: SchedulerPolicy;
  isDirty: boolean;
  grid: WeekGrid;
  /** False when the stored windows are off the half hour (the grid shows them rounded out). */
  isGridExact: boolean;
  isGridTouched: boolean;
  scheduleEnabled: boolean;
  idleMinutes: string;
  pauseOnBattery: boolean;
  isCpuBusyCheckOn: boolean;
  cpuBusyPercent: string;
  /** One program per line. */
  excludedApps: string;
  lightModeEnabled: boolean;
  lightModeThreads: string;
  /** The limit for every graphics card without its own, in °C as typed. */
  gpuTemperatureLimit: string;
  timeZone: string;
}

type TextField =
  | 'idleMinutes'
  | 'cpuBusyPercent'
  | 'excludedApps'
  | 'lightModeThreads'
  | 'gpuTemperatureLimit'
  | 'timeZone';
type ToggleField = 'scheduleEnabled' | 'pauseOnBattery' | 'isCpuBusyCheckOn' | 'lightModeEnabled';

export type PolicyDraftEvent =
  | { type: 'reset'; policy: SchedulerPolicy }
  /** The agent pushed a policy (another client changed it): taken over unless the owner is mid-edit. */
  | { type: 'policy-arrived'; policy: SchedulerPolicy }
  | { type: 'paint'; day: number; slot: number; value: boolean }
  | { type: 'set-text'; field: TextField; value: string }
  | { type: 'set-toggle'; field: ToggleField; value: boolean };

export function draftFromPolicy(policy: SchedulerPolicy): PolicyDraft {
  const { grid, isExact } = gridFromWindows(policy.schedule.windows);
  return {
    base: policy,
    isDirty: false,
    grid,
    isGridExact: isExact,
    isGridTouched: false,
    scheduleEnabled: policy.schedule.enabled,
    idleMinutes: String(policy.idleMinutes),
    pauseOnBattery: policy.pauseOnBattery,
    isCpuBusyCheckOn: policy.cpuBusyPercent !== null,
    cpuBusyPercent: String(policy.cpuBusyPercent ?? 50),
    excludedApps: policy.excludedApps.join('\n'),
    lightModeEnabled: policy.lightMode.enabled,
    lightModeThreads: String(policy.lightMode.cpuThreads),
    gpuTemperatureLimit: String(policy.gpuTemperatureLimitC),
    timeZone: policy.timeZone,
  };
}

export function reducePolicyDraft(draft: PolicyDraft, event: PolicyDraftEvent): PolicyDraft {
  switch (event.type) {
    case 'reset':
      return draftFromPolicy(event.policy);
    case 'policy-arrived':
      return draft.isDirty || event.policy === draft.base ? draft : draftFromPolicy(event.policy);
    case 'paint': {
      const grid = paintCell(draft.grid, event.day, event.slot, event.value);
      return grid === draft.grid ? draft : { ...draft, grid, isGridTouched: true, isDirty: true };
    }
    case 'set-text':
      return { ...draft, [event.field]: event.value, isDirty: true };
    case 'set-toggle':
      return { ...draft, [event.field]: event.value, isDirty: true };
  }
}

/**
 * A typed number as the agent should see it: the number when it is one, else
 * the text itself, so the agent answers with its own sentence ("idleMinutes
 * must be a number").
 */
export function typedNumber(text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  // The wrong type is deliberate: the agent rejects it with a sentence the screen shows.
  return trimmed !== '' && Number.isFinite(value) ? value : (trimmed as unknown as number);
}

export function excludedAppList(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The fields that differ from the policy the draft started from; empty when nothing changed. */
export function policyPatchFromDraft(draft: PolicyDraft): Partial<SchedulerPolicyInput> {
  const { base } = draft;
  const next: Partial<SchedulerPolicyInput> = {
    timeZone: draft.timeZone.trim(),
    idleMinutes: typedNumber(draft.idleMinutes),
    pauseOnBattery: draft.pauseOnBattery,
    cpuBusyPercent: draft.isCpuBusyCheckOn ? typedNumber(draft.cpuBusyPercent) : null,
    excludedApps: excludedAppList(draft.excludedApps),
    gpuTemperatureLimitC: typedNumber(draft.gpuTemperatureLimit),
    lightMode: {
      enabled: draft.lightModeEnabled,
      // Off, the thread count is kept as stored; the field may hold anything then.
      cpuThreads: draft.lightModeEnabled ? typedNumber(draft.lightModeThreads) : base.lightMode.cpuThreads,
    },
    schedule: {
      enabled: draft.scheduleEnabled,
      // Untouched, the stored windows go back as they are, even those off the half hour.
      windows: draft.isGridTouched ? windowsFromGrid(draft.grid) : base.schedule.windows,
    },
  };
  const patch: Partial<SchedulerPolicyInput> = {};
  for (const key of Object.keys(next) as (keyof typeof next)[]) {
    if (JSON.stringify(next[key]) !== JSON.stringify(base[key])) Object.assign(patch, { [key]: next[key] });
  }
  return patch;
}
