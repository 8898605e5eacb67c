import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { APP_ROOT } from './app-root.ts';

const require = createRequire(import.meta.url);

/** The app's version, from package.json (one source of truth). */
export const APP_VERSION: string = (
  JSON.parse(fs.readFileSync(path.join(APP_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * The onnxruntime the worker runs, read without loading it (the agent never
 * loads the runtime itself; jobs run in the sandboxed worker).
 */
export const ONNXRUNTIME_VERSION: string = (require('onnxruntime-node/package.json') as { version: string }).version;
