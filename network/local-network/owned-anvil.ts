/**
 * The local network's chain: anvil with its state kept in a file, guarded so
 * it never outlives the process that started it (child-guard.ts).
 */
import { type AnvilChain, startAnvil } from '../chain/anvil.ts';
import { guardChild } from './child-guard.ts';

/** A killed anvil loses at most this much of the chain; a clean stop loses nothing. */
const DUMP_EVERY_SECONDS = 1;

export async function startOwnedAnvil(stateFile: string): Promise<AnvilChain> {
  const chain = await startAnvil({ state: { file: stateFile, dumpEverySeconds: DUMP_EVERY_SECONDS } });
  const release = guardChild(chain.pid);
  return {
    ...chain,
    async stop() {
      await chain.stop();
      release();
    },
  };
}
