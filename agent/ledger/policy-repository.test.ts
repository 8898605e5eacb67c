import { describe, expect, it } from 'vitest';
import { tempLedgers } from '../../test/support/temp-ledger.ts';
import { DEFAULT_GPU_TEMPERATURE_LIMIT_C, parseSchedulerPolicy } from '../scheduler/policy.ts';
import type { LedgerDatabase } from './open-ledger.ts';
import { PolicyRepository } from './policy-repository.ts';

const ledger = tempLedgers('idlehive-policy-ledger-');

/** Stores a document exactly as an older version wrote it, bypassing today's schema. */
function storeRaw(db: LedgerDatabase, document: unknown): void {
  db.prepare('INSERT INTO scheduler_policy (slot, policy_json, updated_at) VALUES (1, ?, 0)').run(
    JSON.stringify(document),
  );
}

describe('PolicyRepository', () => {
  it('reads back what it wrote', () => {
    const policies = new PolicyRepository(ledger(), () => 1);
    const policy = parseSchedulerPolicy({ timeZone: 'Europe/Berlin', idleMinutes: 9, gpuTemperatureLimitC: 72 });
    policies.write(policy);
    expect(policies.read()).toEqual(policy);
  });

  it('loads a policy stored before the policy-wide GPU limit existed, keeping its fields and filling the default', () => {
    const db = ledger();
    storeRaw(db, {
      timeZone: 'Europe/Berlin',
      idleMinutes: 12,
      lightMode: { enabled: true, cpuThreads: 3 },
      schedule: { enabled: true, windows: [{ days: ['mon'], startMinute: 1320, endMinute: 420 }] },
      pauseOnBattery: false,
      excludedApps: ['blender'],
      cpuBusyPercent: null,
      devices: { 'gpu:0': { enabled: true, maxThreads: null, temperatureLimitC: 75 } },
    });
    const policy = new PolicyRepository(db, () => 1).read();
    expect(policy).toMatchObject({
      timeZone: 'Europe/Berlin',
      idleMinutes: 12,
      pauseOnBattery: false,
      excludedApps: ['blender'],
      cpuBusyPercent: null,
      gpuTemperatureLimitC: DEFAULT_GPU_TEMPERATURE_LIMIT_C,
      devices: { 'gpu:0': { enabled: true, maxThreads: null, temperatureLimitC: 75 } },
    });
  });

  it('falls back to the defaults when the stored document no longer validates', () => {
    const db = ledger();
    storeRaw(db, { timeZone: 'UTC', gpuTemperatureLimitC: 500 });
    const policy = new PolicyRepository(db, () => 1).read();
    expect(policy.gpuTemperatureLimitC).toBe(DEFAULT_GPU_TEMPERATURE_LIMIT_C);
    expect(policy.idleMinutes).toBe(5);
  });
});
