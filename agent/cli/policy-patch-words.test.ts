import { describe, expect, it } from 'vitest';
import { IdlehiveError } from '../errors.ts';
import { policyPatchFromWords } from './policy-patch-words.ts';

describe('policyPatchFromWords', () => {
  it('turns assignments into fields, JSON where they parse as JSON', () => {
    expect(policyPatchFromWords(['idleMinutes=10', 'excludedApps=["blender"]'], {})).toEqual({
      idleMinutes: 10,
      excludedApps: ['blender'],
    });
  });

  it('sends --gpu-temperature-limit as gpuTemperatureLimitC, alone or with assignments', () => {
    expect(policyPatchFromWords([], { gpuTemperatureLimit: ' 78 ' })).toEqual({ gpuTemperatureLimitC: 78 });
    expect(policyPatchFromWords(['pauseOnBattery=false'], { gpuTemperatureLimit: '72.5' })).toEqual({
      pauseOnBattery: false,
      gpuTemperatureLimitC: 72.5,
    });
  });

  it('sends a limit that is no number as typed, for the agent to word', () => {
    expect(policyPatchFromWords([], { gpuTemperatureLimit: 'hot' })).toEqual({ gpuTemperatureLimitC: 'hot' });
  });

  it('refuses to send nothing, naming both ways to say a change', () => {
    expect(() => policyPatchFromWords([], {})).toThrow(IdlehiveError);
    expect(() => policyPatchFromWords([], {})).toThrow(/--gpu-temperature-limit 78/);
  });
});
