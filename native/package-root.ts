/**
 * Where an installed npm package lives on disk. Its entry point is resolved,
 * not `name/package.json`, which packages with an `exports` map (such as
 * onnxruntime-common) refuse.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function packageRoot(name: string, fromFile: string): string {
  const entry = createRequire(fromFile).resolve(name);
  for (let current = path.dirname(entry); path.dirname(current) !== current; current = path.dirname(current)) {
    const candidate = path.join(current, 'package.json');
    if (fs.existsSync(candidate) && readPackageName(candidate) === name) return current;
  }
  throw new Error(`the package root of ${name} was not found above ${entry}`);
}

function readPackageName(packageJson: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
