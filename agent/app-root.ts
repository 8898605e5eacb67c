/**
 * The folder that holds Idlehive's package.json: the repository when run from
 * source, the app (app.asar) when packaged. Found by walking up from this
 * module, so the same code works from agent/ (sources) and dist/agent/ (the
 * compiled desktop build), which sit at different depths.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findAppRoot(start: string): string {
  for (let current = start; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    try {
      if ((JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }).name === 'idlehive') return current;
    } catch {
      // No package.json here, or not ours: keep walking up.
    }
    if (path.dirname(current) === current) {
      throw new Error(`Idlehive's package.json was not found above ${start}; the installation is incomplete.`);
    }
  }
}

export const APP_ROOT = findAppRoot(path.dirname(fileURLToPath(import.meta.url)));
