import { describe, expect, it } from 'vitest';
import { defaultSchedulerPolicy, parseSchedulerPolicy } from '../../../agent/scheduler/policy.ts';
import {
  draftFromPolicy,
  excludedAppList,
  type PolicyDraft,
  type PolicyDraftEvent,
  policyPatchFromDraft,
  reducePolicyDraft,
  typedNumber,
} from './policy-draft.ts';

const policy = parseSchedulerPolicy({
  timeZone: 'Europe/Berlin',
  idleMinutes: 5,
  schedule: { enabled: true, windows: [{ days: ['mon'], startMinute: 1080, endMinute: 1320 }] },
  excludedApps: ['blender'],
  devices: { 'gpu-0': { enabled: false } },
});

const apply = (events: PolicyDraftEvent[], from: PolicyDraft = draftFromPolicy(policy)) =>
  events.reduce(reducePolicyDraft, from);

describe('draftFromPolicy', () => {
  it('shows the stored policy and is clean', () => {
    const draft = draftFromPolicy(policy);
    expect(draft).toMatchObject({
      isDirty: false,
      isGridExact: true,
      scheduleEnabled: true,
      idleMinutes: '5',
      excludedApps: 'blender',
      timeZone: 'Europe/Berlin',
      isCpuBusyCheckOn: true,
      cpuBusyPercent: '50',
      gpuTemperatureLimit: '83',
    });
    expect(policyPatchFromDraft(draft)).toEqual({});
  });

  it('shows a turned-off CPU check with the default threshold ready', () => {
    const draft = draftFromPolicy({ ...policy, cpuBusyPercent: null });
    expect(draft).toMatchObject({ isCpuBusyCheckOn: false, cpuBusyPercent: '50' });
  });
});

describe('policyPatchFromDraft', () => {
  it('sends only what changed', () => {
    const draft = apply([
      { type: 'set-text', field: 'idleMinutes', value: ' 12 ' },
      { type: 'set-toggle', field: 'pauseOnBattery', value: false },
    ]);
    expect(policyPatchFromDraft(draft)).toEqual({ idleMinutes: 12, pauseOnBattery: false });
  });

  it('sends painted cells as windows, keeping the whole schedule', () => {
    const draft = apply([
      { type: 'paint', day: 1, slot: 0, value: true },
      { type: 'paint', day: 1, slot: 1, value: true },
    ]);
    expect(policyPatchFromDraft(draft)).toEqual({
      schedule: {
        enabled: true,
        windows: [
          { days: ['mon'], startMinute: 1080, endMinute: 1320 },
          { days: ['tue'], startMinute: 0, endMinute: 60 },
        ],
      },
    });
  });

  it('keeps windows off the half hour as stored until the grid is painted', () => {
    const odd = parseSchedulerPolicy({
      timeZone: 'UTC',
      schedule: { enabled: true, windows: [{ days: ['tue'], startMinute: 550, endMinute: 580 }] },
    });
    const draft = apply([{ type: 'set-toggle', field: 'scheduleEnabled', value: false }], draftFromPolicy(odd));
    expect(draft.isGridExact).toBe(false);
    expect(policyPatchFromDraft(draft)).toEqual({
      schedule: { enabled: false, windows: [{ days: ['tue'], startMinute: 550, endMinute: 580 }] },
    });
  });

  it('turns the CPU check off with null, and sends the typed threshold when on', () => {
    expect(policyPatchFromDraft(apply([{ type: 'set-toggle', field: 'isCpuBusyCheckOn', value: false }]))).toEqual({
      cpuBusyPercent: null,
    });
    expect(policyPatchFromDraft(apply([{ type: 'set-text', field: 'cpuBusyPercent', value: '80' }]))).toEqual({
      cpuBusyPercent: 80,
    });
  });

  it('sends excluded apps one per line, blank lines dropped', () => {
    const draft = apply([{ type: 'set-text', field: 'excludedApps', value: 'blender\n\n  obs  \nSteam\n' }]);
    expect(policyPatchFromDraft(draft)).toEqual({ excludedApps: ['blender', 'obs', 'Steam'] });
  });

  it('sends light mode with its threads only when on', () => {
    const on = apply([
      { type: 'set-toggle', field: 'lightModeEnabled', value: true },
      { type: 'set-text', field: 'lightModeThreads', value: '4' },
    ]);
    expect(policyPatchFromDraft(on)).toEqual({ lightMode: { enabled: true, cpuThreads: 4 } });
    const offWithJunk = apply([{ type: 'set-text', field: 'lightModeThreads', value: 'lots' }]);
    expect(policyPatchFromDraft(offWithJunk)).toEqual({});
  });

  it('sends the GPU temperature limit as a number when changed, and nothing when typed back as stored', () => {
    expect(policyPatchFromDraft(apply([{ type: 'set-text', field: 'gpuTemperatureLimit', value: ' 75 ' }]))).toEqual({
      gpuTemperatureLimitC: 75,
    });
    const back = apply([
      { type: 'set-text', field: 'gpuTemperatureLimit', value: '70' },
      { type: 'set-text', field: 'gpuTemperatureLimit', value: '83' },
    ]);
    expect(back.isDirty).toBe(true);
    expect(policyPatchFromDraft(back)).toEqual({});
  });

  it('sends an empty or out-of-range GPU limit as typed, and the agent says why', () => {
    const empty = policyPatchFromDraft(apply([{ type: 'set-text', field: 'gpuTemperatureLimit', value: '' }]));
    expect(empty).toEqual({ gpuTemperatureLimitC: '' });
    expect(() => parseSchedulerPolicy({ ...policy, ...empty })).toThrow(/gpuTemperatureLimitC must be a number of °C/);
    const hot = policyPatchFromDraft(apply([{ type: 'set-text', field: 'gpuTemperatureLimit', value: '130' }]));
    expect(() => parseSchedulerPolicy({ ...policy, ...hot })).toThrow(
      /gpuTemperatureLimitC must be between 40 and 110 °C/,
    );
  });

  it('passes what is not a number through as typed, for the agent to name the problem', () => {
    const draft = apply([{ type: 'set-text', field: 'idleMinutes', value: 'ten' }]);
    const patch = policyPatchFromDraft(draft);
    expect(patch.idleMinutes).toBe('ten');
    expect(() => parseSchedulerPolicy({ ...policy, ...patch })).toThrow(/idleMinutes must be a number/);
  });

  it('never sends the per-device settings, which this screen does not edit', () => {
    const draft = apply([{ type: 'set-text', field: 'timeZone', value: 'UTC' }]);
    expect(policyPatchFromDraft(draft)).toEqual({ timeZone: 'UTC' });
  });

  it('gives the agent a patch it accepts for every field edited sensibly', () => {
    const draft = apply([
      { type: 'set-text', field: 'idleMinutes', value: '3' },
      { type: 'set-toggle', field: 'lightModeEnabled', value: true },
      { type: 'set-text', field: 'excludedApps', value: 'obs' },
      { type: 'set-text', field: 'gpuTemperatureLimit', value: '78' },
      { type: 'paint', day: 6, slot: 47, value: true },
    ]);
    expect(() => parseSchedulerPolicy({ ...policy, ...policyPatchFromDraft(draft) })).not.toThrow();
  });
});

describe('reducePolicyDraft', () => {
  it('marks edits dirty; painting a cell its own value changes nothing', () => {
    const start = draftFromPolicy(policy);
    expect(reducePolicyDraft(start, { type: 'paint', day: 0, slot: 36, value: true })).toBe(start);
    expect(apply([{ type: 'paint', day: 0, slot: 0, value: true }]).isDirty).toBe(true);
  });

  it('takes over a pushed policy only while there are no unsaved edits', () => {
    const other = defaultSchedulerPolicy('UTC');
    expect(apply([{ type: 'policy-arrived', policy: other }]).base).toBe(other);
    const editing = apply([
      { type: 'set-text', field: 'idleMinutes', value: '9' },
      { type: 'policy-arrived', policy: other },
    ]);
    expect(editing.base).toBe(policy);
    expect(editing.idleMinutes).toBe('9');
  });

  it('reset starts again from the given policy', () => {
    const other = defaultSchedulerPolicy('UTC');
    const reset = apply([
      { type: 'set-text', field: 'idleMinutes', value: '9' },
      { type: 'reset', policy: other },
    ]);
    expect(reset).toEqual(draftFromPolicy(other));
  });
});

describe('typedNumber and excludedAppList', () => {
  it('reads numbers and keeps other text', () => {
    expect(typedNumber('15')).toBe(15);
    expect(typedNumber(' 2.5 ')).toBe(2.5);
    expect(typedNumber('')).toBe('');
    expect(typedNumber('1e400')).toBe('1e400');
    expect(excludedAppList(' a \n\nb')).toEqual(['a', 'b']);
  });
});
