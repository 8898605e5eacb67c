/**
 * How clients find the agent: a JSON file in the agent's home with its address
 * and this run's token, readable by the owner alone (0600). Written atomically,
 * so a client never reads half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';

export const EndpointFileSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  /** ws://127.0.0.1:PORT/api */
  apiUrl: z.string(),
  /** http://127.0.0.1:PORT/ (the token goes in the fragment, see dashboardLink) */
  dashboardUrl: z.string(),
  token: z.string().regex(/^[0-9a-f]{64}$/),
  startedAt: z.number().int(),
});
export type EndpointFile = z.infer<typeof EndpointFileSchema>;

export function writeEndpointFile(file: string, endpoint: EndpointFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  // Created with 0600 from the first byte: a chmod after writing would leave a window.
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(endpoint, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

/** Returns null when no agent has written the file (or it was removed on a clean stop). */
export function readEndpointFile(file: string): EndpointFile | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IdlehiveError('endpoint_unreadable', `Could not read ${file}: ${(error as Error).message}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = EndpointFileSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Removes the file only if it still describes this process (a newer agent may own it). */
export function removeEndpointFile(file: string, pid: number): void {
  const current = readEndpointFile(file);
  if (current && current.pid === pid) fs.rmSync(file, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The dashboard link with the token in the fragment, which browsers never send to a server. */
export function dashboardLink(endpoint: Pick<EndpointFile, 'dashboardUrl' | 'token'>): string {
  return `${endpoint.dashboardUrl}#token=${endpoint.token}`;
}
