/** Contract-valid values for renderer tests; each test overrides what it is about. */
import type { Settings, Status } from '../../../agent/local-api/contract.ts';

export function statusFixture(overrides: Partial<Status> = {}): Status {
  return {
    state: 'waiting',
    cause: 'owner-active',
    reason: 'Waiting: you are using the computer.',
    since: Date.UTC(2026, 2, 3, 9, 0),
    override: null,
    devices: [],
    acceptsNewJobs: false,
    shellReportEveryMs: 2000,
    job: null,
    agent: { version: '0.1.0', pid: 4242, startedAt: Date.UTC(2026, 2, 3, 8, 0) },
    ...overrides,
  };
}

export function settingsFixture(overrides: Partial<Settings> = {}): Settings {
  return {
    theme: 'system',
    startAtLogin: false,
    notifications: true,
    coordinatorUrl: null,
    chainRpcUrl: null,
    firstRun: 'pending',
    withdrawalMaxGasPriceGwei: null,
    updateFeedUrl: null,
    ...overrides,
  };
}
