import { describe, expect, it } from 'vitest';
import { SettingsSchema } from '../../../agent/local-api/contract.ts';
import { settingsFixture } from '../test-support/fixtures.ts';
import { endpointFormFrom, endpointPatch } from './endpoint-form.ts';

describe('endpoint form', () => {
  it('shows the embedded network as empty fields', () => {
    expect(endpointFormFrom(settingsFixture())).toEqual({ coordinatorUrl: '', chainRpcUrl: '' });
  });

  it('sends only what changed, trimmed; an emptied field goes back to the embedded network (null)', () => {
    const settings = settingsFixture({ chainRpcUrl: 'https://rpc.example' });
    expect(
      endpointPatch({ coordinatorUrl: ' https://c.example ', chainRpcUrl: 'https://rpc.example' }, settings),
    ).toEqual({ coordinatorUrl: 'https://c.example' });
    expect(endpointPatch({ coordinatorUrl: '', chainRpcUrl: '  ' }, settings)).toEqual({ chainRpcUrl: null });
    expect(endpointPatch(endpointFormFrom(settings), settings)).toEqual({});
  });

  it('passes a bad address through for the agent to refuse with its sentence', () => {
    const patch = endpointPatch({ coordinatorUrl: 'ftp://x', chainRpcUrl: '' }, settingsFixture());
    const result = SettingsSchema.partial().safeParse(patch);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('must be an http:// or https:// URL');
  });
});
