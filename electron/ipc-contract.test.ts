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

  it('gives the renderer the way to the agent and the log folder, and nothing that takes an argument', () => {
    expect(all.map((entry) => entry.channel)).toEqual([
      'idlehive:agent:get-connection',
      'idlehive:desktop:get-facts',
      'idlehive:desktop:open-log-folder',
    ]);
  });
});
