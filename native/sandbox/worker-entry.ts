/**
 * The script a worker runs: always compiled JavaScript, in development as in
 * the desktop build. Node could run worker-main.ts itself by stripping its
 * types, but that loads a WebAssembly TypeScript parser into every worker: a
 * killed idle Node process that ran a .ts file took 14.5 ms to be gone here,
 * against 8.1 ms for the same .js file (18 MiB more memory for the kernel to
 * free), and a busy worker 24 against 21.5 ms at the median (ARCHITECTURE.md,
 * Compute, *A smaller worker to kill*).
 *
 * The desktop build's worker is already JavaScript (dist/). From the sources,
 * the agent compiles the worker's files with the project's own tsc, as the
 * desktop build does, into native/worker/.compiled/<hash of the sources>/:
 * once per change, shared by every process, never half-written.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { IdlehiveError } from '../../agent/errors.ts';
import { SHARED_MEMORY_ADDON_PATH } from '../worker/shared-memory.ts';
import { WORKER_CODE_DIR } from './worker-read-paths.ts';

const ENTRY_NAME = 'worker-main';
/** Inside the worker's own folder, so the sandbox's read paths and module resolution stay as they are. */
export const COMPILED_WORKER_ROOT = path.join(WORKER_CODE_DIR, '.compiled');
/** A compilation this old that is not the current one is left over from earlier sources. */
const STALE_AFTER_MS = 60 * 60 * 1000;

export interface CompileWorkerInput {
  /** The folder of worker-main.ts and the modules it imports. */
  sourceDir: string;
  /** Where each compilation gets its folder. */
  outputRoot: string;
  /** The tsconfig.json whose settings the desktop build compiles with. */
  tsconfigPath: string;
  /** The addon the worker loads from beside its modules, copied in when it exists. */
  addonPath: string | null;
}

/** worker-main.js: the built one in the desktop build, otherwise a compilation of the current sources. */
export async function workerEntry(): Promise<string> {
  if (path.extname(import.meta.filename) === '.js') return path.join(WORKER_CODE_DIR, `${ENTRY_NAME}.js`);
  return compileWorker({
    sourceDir: WORKER_CODE_DIR,
    outputRoot: COMPILED_WORKER_ROOT,
    tsconfigPath: path.resolve(WORKER_CODE_DIR, '../../tsconfig.json'),
    addonPath: SHARED_MEMORY_ADDON_PATH,
  });
}

/**
 * The compiled entry for the sources as they are now: reused when it exists, compiled otherwise. tsc runs as a
 * child process the agent awaits, so its API keeps answering while a changed worker compiles.
 */
export async function compileWorker(input: CompileWorkerInput): Promise<string> {
  const typescript = typescriptPackage();
  const finalDir = path.join(input.outputRoot, sourcesHash(input, typescript.version));
  const entry = path.join(finalDir, `${ENTRY_NAME}.js`);
  if (fs.existsSync(entry)) return entry;

  // Compiled beside the final folder and renamed into place: a process that finds the folder finds all of it.
  const workDir = `${finalDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(workDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new IdlehiveError(
      'worker.compile_failed',
      `Could not write the sandboxed worker's compiled code to ${input.outputRoot} (${code}). Make that folder writable, then try again.`,
      { cause: error },
    );
  }
  try {
    await runTsc(input, workDir, typescript.compiler);
    if (input.addonPath !== null && fs.existsSync(input.addonPath)) {
      const target = path.join(workDir, path.relative(input.sourceDir, input.addonPath));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(input.addonPath, target);
    }
    try {
      fs.renameSync(workDir, finalDir);
    } catch (error) {
      // Another process compiled the same sources first: theirs is identical.
      if (!fs.existsSync(entry)) throw error;
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  removeStaleCompilations(input.outputRoot, finalDir);
  return entry;
}

/** Every source file (tests aside), the compiler's version and the settings: any change makes a new folder. */
function sourcesHash(input: CompileWorkerInput, typescriptVersion: string): string {
  const hash = createHash('sha256');
  hash.update(`tsc ${typescriptVersion}\n`);
  hash.update(fs.readFileSync(input.tsconfigPath));
  for (const name of fs.readdirSync(input.sourceDir).sort()) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    hash.update(`\n${name}\n`);
    hash.update(fs.readFileSync(path.join(input.sourceDir, name)));
  }
  if (input.addonPath !== null && fs.existsSync(input.addonPath)) hash.update(fs.readFileSync(input.addonPath));
  return hash.digest('hex').slice(0, 16);
}

const execFileAsync = promisify(execFile);

async function runTsc(input: CompileWorkerInput, outDir: string, compiler: string): Promise<void> {
  // The desktop build's settings (tsconfig.build.json), for worker-main and what it imports; no type check
  // (npm run typecheck does that), so nothing outside the sources is needed.
  const tsconfig = path.join(outDir, 'tsconfig.json');
  fs.writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: input.tsconfigPath,
      compilerOptions: {
        noEmit: false,
        noCheck: true,
        types: [],
        outDir,
        rootDir: input.sourceDir,
        sourceMap: false,
        declaration: false,
      },
      include: [],
      files: [path.join(input.sourceDir, `${ENTRY_NAME}.ts`)],
    }),
  );
  let failure: string | null = null;
  try {
    await execFileAsync(process.execPath, [compiler, '-p', tsconfig], { encoding: 'utf8' });
  } catch (error) {
    // tsc writes its diagnostics to stdout; a compiler that did not start has only the error's message.
    const failed = error as Error & { stdout?: string; stderr?: string };
    failure = `${failed.stdout ?? ''} ${failed.stderr ?? ''}`.trim() || failed.message;
  } finally {
    fs.rmSync(tsconfig);
  }
  if (failure === null && !fs.existsSync(path.join(outDir, `${ENTRY_NAME}.js`)))
    failure = 'tsc wrote no worker-main.js';
  if (failure !== null) {
    throw new IdlehiveError(
      'worker.compile_failed',
      `Could not compile the sandboxed worker's code (${failure.split('\n').slice(0, 3).join(' ')}). Run npm ci in the project folder, then try again.`,
    );
  }
}

const requireHere = createRequire(import.meta.url);

/** The project's own tsc (a devDependency: the desktop build never compiles the worker). */
function typescriptPackage(): { compiler: string; version: string } {
  const packageJson = requireHere.resolve('typescript/package.json');
  return {
    compiler: path.join(path.dirname(packageJson), 'bin', 'tsc'),
    version: (requireHere(packageJson) as { version: string }).version,
  };
}

function removeStaleCompilations(outputRoot: string, current: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(outputRoot)) {
    const folder = path.join(outputRoot, name);
    if (folder === current) continue;
    try {
      if (now - fs.statSync(folder).mtimeMs > STALE_AFTER_MS) fs.rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
