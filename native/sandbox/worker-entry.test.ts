import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdlehiveError } from '../../agent/errors.ts';
import { SHARED_MEMORY_ADDON_PATH } from '../worker/shared-memory.ts';
import { COMPILED_WORKER_ROOT, type CompileWorkerInput, compileWorker, workerEntry } from './worker-entry.ts';
import { WORKER_CODE_DIR } from './worker-read-paths.ts';

const TSCONFIG = path.resolve(import.meta.dirname, '../../tsconfig.json');

let scratch: string;
let input: CompileWorkerInput;

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-worker-entry-'));
  const sourceDir = path.join(scratch, 'worker');
  fs.mkdirSync(sourceDir);
  fs.writeFileSync(
    path.join(sourceDir, 'worker-main.ts'),
    "import { greeting } from './greeting.ts';\nconst name: string = 'sandbox';\nprocess.stdout.write(greeting(name));\n",
  );
  fs.writeFileSync(
    path.join(sourceDir, 'greeting.ts'),
    "export function greeting(name: string): string {\n  return 'hello ' + name;\n}\n",
  );
  // A test file beside the sources is neither compiled nor part of the hash.
  fs.writeFileSync(path.join(sourceDir, 'greeting.test.ts'), 'throw new Error("never compiled");\n');
  const outputRoot = path.join(scratch, 'compiled');
  fs.mkdirSync(outputRoot);
  // The compiled modules are ES modules, as the project's package.json says of the real ones.
  fs.writeFileSync(path.join(scratch, 'package.json'), '{ "type": "module" }\n');
  input = { sourceDir, outputRoot, tsconfigPath: TSCONFIG, addonPath: null };
});

afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

const execFileAsync = promisify(execFile);

const runEntry = (entry: string) =>
  spawnSync(process.execPath, [entry], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });

describe('compileWorker', () => {
  it('compiles the entry and what it imports to JavaScript that Node runs as it is', async () => {
    const entry = await compileWorker(input);
    expect(path.basename(entry)).toBe('worker-main.js');
    expect(path.dirname(path.dirname(entry))).toBe(input.outputRoot);
    const code = fs.readFileSync(entry, 'utf8');
    expect(code).toContain("from './greeting.js'");
    expect(code).not.toContain(': string');
    expect(fs.readdirSync(path.dirname(entry)).sort()).toEqual(['greeting.js', 'worker-main.js']);
    const run = runEntry(entry);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('hello sandbox');
  });

  it('reuses the compilation while the sources stay the same, and compiles afresh when one changes', async () => {
    const first = await compileWorker(input);
    const firstWritten = fs.statSync(first).mtimeMs;
    expect(await compileWorker(input)).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(firstWritten);

    // A test file is not part of the worker.
    fs.writeFileSync(path.join(input.sourceDir, 'greeting.test.ts'), 'export {};\n');
    expect(await compileWorker(input)).toBe(first);

    fs.writeFileSync(
      path.join(input.sourceDir, 'greeting.ts'),
      "export function greeting(name: string): string {\n  return 'hi ' + name;\n}\n",
    );
    const second = await compileWorker(input);
    expect(second).not.toBe(first);
    expect(runEntry(second).stdout).toBe('hi sandbox');
    // The earlier compilation is recent, so a process still starting workers from it keeps it.
    expect(fs.existsSync(first)).toBe(true);
  });

  it('removes compilations left from sources changed over an hour ago, and no half-written folder stays', async () => {
    const first = await compileWorker(input);
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(path.dirname(first), hoursAgo, hoursAgo);
    fs.appendFileSync(path.join(input.sourceDir, 'greeting.ts'), '// changed\n');
    const second = await compileWorker(input);
    expect(fs.readdirSync(input.outputRoot)).toEqual([path.basename(path.dirname(second))]);
  });

  it('copies the addon the worker loads to the same place beside the compiled modules', async () => {
    const addonPath = path.join(input.sourceDir, 'helper', 'build', 'Release', 'helper.node');
    fs.mkdirSync(path.dirname(addonPath), { recursive: true });
    fs.writeFileSync(addonPath, 'not really an addon');
    const entry = await compileWorker({ ...input, addonPath });
    expect(fs.readFileSync(path.join(path.dirname(entry), 'helper', 'build', 'Release', 'helper.node'), 'utf8')).toBe(
      'not really an addon',
    );
  });

  it('answers sources that do not compile with a typed error naming the problem, and leaves nothing behind', async () => {
    fs.writeFileSync(path.join(input.sourceDir, 'greeting.ts'), 'export function greeting(name: string {\n');
    let thrown: unknown;
    try {
      await compileWorker(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IdlehiveError);
    expect((thrown as IdlehiveError).code).toBe('worker.compile_failed');
    expect((thrown as IdlehiveError).message).toMatch(/greeting\.ts.*expected/);
    expect(fs.readdirSync(input.outputRoot)).toEqual([]);
  });

  it('says where it could not write the compiled code, as a typed error', async () => {
    // A file where the output folder should be: refused for root as for anyone.
    const blocked = path.join(scratch, 'blocked');
    fs.writeFileSync(blocked, '');
    await expect(compileWorker({ ...input, outputRoot: blocked })).rejects.toThrow(
      expect.objectContaining({
        code: 'worker.compile_failed',
        message: expect.stringContaining(`${blocked} (ENOTDIR)`),
      }),
    );
  });

  it('gives processes compiling the same sources at once one and the same complete folder', async () => {
    const script = `
      const { compileWorker } = await import(${JSON.stringify(path.join(import.meta.dirname, 'worker-entry.ts'))});
      process.stdout.write(await compileWorker(${JSON.stringify(input)}));
    `;
    const compileInAnotherProcess = async () =>
      (await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })).stdout;
    const entries = await Promise.all([
      compileInAnotherProcess(),
      compileInAnotherProcess(),
      compileInAnotherProcess(),
    ]);
    expect(new Set(entries).size).toBe(1);
    expect(fs.readdirSync(input.outputRoot)).toEqual([path.basename(path.dirname(entries[0] as string))]);
    expect(runEntry(entries[0] as string).stdout).toBe('hello sandbox');
  }, 30_000);
});

describe('workerEntry', () => {
  it("is a compilation of this checkout's worker inside the worker's own folder, with the addon beside it", async () => {
    const entry = await workerEntry();
    expect(entry.startsWith(`${COMPILED_WORKER_ROOT}${path.sep}`)).toBe(true);
    expect(entry.startsWith(`${WORKER_CODE_DIR}${path.sep}`)).toBe(true);
    expect(path.basename(entry)).toBe('worker-main.js');
    if (fs.existsSync(SHARED_MEMORY_ADDON_PATH)) {
      const beside = path.join(path.dirname(entry), path.relative(WORKER_CODE_DIR, SHARED_MEMORY_ADDON_PATH));
      expect(fs.readFileSync(beside)).toEqual(fs.readFileSync(SHARED_MEMORY_ADDON_PATH));
    }
  });
});
