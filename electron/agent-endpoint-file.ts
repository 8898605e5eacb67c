/**
 * Reads the endpoint file the agent writes into its home (agent.json: where
 * its local API listens and the token for it). Electron main reads it to
 * connect the tray and to hand the renderer its connection; it never trusts
 * the file to send the token anywhere but loopback.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** Extra fields the agent adds (version, startedAt...) are allowed and ignored. */
const EndpointFileSchema = z.looseObject({
  url: z.string().min(1),
  token: z.string().min(1).max(512),
  pid: z.number().int().positive(),
});

export interface AgentEndpoint {
  /** ws://127.0.0.1:PORT/api */
  apiUrl: string;
  token: string;
  pid: number;
}

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The local API's WebSocket address from the file's `url`, which may be the
 * dashboard's http:// address or the API's ws:// one. Null for anything that
 * is not loopback, so the token never leaves the machine.
 */
export function localApiUrlFrom(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!LOOPBACK_HOSTNAMES.has(parsed.hostname) || parsed.username !== '' || parsed.password !== '') return null;
  const scheme = { 'http:': 'ws:', 'ws:': 'ws:', 'https:': 'wss:', 'wss:': 'wss:' }[parsed.protocol];
  if (scheme === undefined || parsed.port === '') return null;
  const pathname = parsed.pathname === '/' ? '/api' : parsed.pathname;
  return `${scheme}//${parsed.host}${pathname}`;
}

/** The endpoint in the file's text, or null when the text is not a complete, valid endpoint file. */
export function parseAgentEndpoint(text: string): AgentEndpoint | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null; // Also what a half-written file looks like: the next read will see the whole one.
  }
  const parsed = EndpointFileSchema.safeParse(json);
  if (!parsed.success) return null;
  const apiUrl = localApiUrlFrom(parsed.data.url);
  if (apiUrl === null) return null;
  return { apiUrl, token: parsed.data.token, pid: parsed.data.pid };
}

/** Null when there is no usable file yet: the agent has not started, or is writing it. */
export async function readAgentEndpoint(file: string): Promise<AgentEndpoint | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseAgentEndpoint(text);
}
