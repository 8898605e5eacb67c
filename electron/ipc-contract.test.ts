import { describe, expect, it } from 'vitest';
import { type InvokeChannel, ipcContract } from './ipc-contract.ts';

function channels(tree: object): InvokeChannel<unknown[], unknown>[] {
  return Object.values(tree).flatMap((value) =>
    'kind' in value ? [value as InvokeChannel<unknown[], unknown>] : channels(value as object),
  );
}

describe('ipcContract', () => {
  const all = channels(ipcContract);

  it('declares each channel name once, in the idlehive: namespace', () => {
    const names = all.map((entry) => entry.channel);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^idlehive:[a-z-]+:[a-z-]+$/);
  });

  it('gives the renderer nothing but the way to the agent', () => {
    expect(all.map((entry) => entry.channel)).toEqual(['idlehive:agent:get-connection']);
  });
});
