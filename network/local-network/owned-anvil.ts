/**
 * The local network's chain: anvil with its state kept in a file, and a
 * watchdog process that ends anvil if this process dies without stopping it
 * (kill -9, a crash), so a chain never outlives the `npm start` that owns it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { type AnvilChain, startAnvil } from '../chain/anvil.ts';

const WATCHDOG = path.join(import.meta.dirname, 'child-watchdog.ts');
/** A killed anvil loses at most this much of the chain; a clean stop loses nothing. */
const DUMP_EVERY_SECONDS = 1;

export async function startOwnedAnvil(stateFile: string): Promise<AnvilChain> {
  const chain = await startAnvil({ state: { file: stateFile, dumpEverySeconds: DUMP_EVERY_SECONDS } });
  const watchdog = spawn(process.execPath, [WATCHDOG, String(chain.pid)], {
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  // Neither the watchdog nor its pipe may keep this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  watchdog.on('error', () => {});
  return {
    ...chain,
    async stop() {
      await chain.stop();
      watchdog.kill('SIGTERM');
    },
  };
}
