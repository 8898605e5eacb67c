/**
 * The one gate every local API connection passes before any handler runs:
 * token, Host and Origin. Pure, so the checks are unit-tested directly; an
 * inverted condition here would silently open or close every method.
 */
import { timingSafeEqual } from 'node:crypto';
import { LOCAL_API_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from './contract.ts';

export interface UpgradeHeaders {
  host: string | undefined;
  origin: string | undefined;
  /** The raw Sec-WebSocket-Protocol header. */
  protocols: string | undefined;
}

export interface GuardConfig {
  token: string;
  port: number;
  /** Browser origins allowed besides the dashboard's own (the desktop app's). */
  extraOrigins: readonly string[];
}

export type GuardVerdict = { ok: true } | { ok: false; status: 400 | 401 | 403; code: string; message: string };

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost']);

/** True for `127.0.0.1:PORT` / `localhost:PORT` exactly: a rebinding attacker's hostname fails here. */
export function isLoopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return false;
  return LOOPBACK_HOSTNAMES.has(url.hostname) && url.port === String(port);
}

/** The dashboard's own origins, as a browser would send them. */
export function dashboardOrigins(port: number): string[] {
  return [...LOOPBACK_HOSTNAMES].map((hostname) => `http://${hostname}:${port}`);
}

export function isAllowedOrigin(
  origin: string | undefined,
  config: Pick<GuardConfig, 'port' | 'extraOrigins'>,
): boolean {
  // Non-browser clients (CLI, Electron main) send no Origin; they still need the token.
  if (origin === undefined) return true;
  return dashboardOrigins(config.port).includes(origin) || config.extraOrigins.includes(origin);
}

export function parseOfferedProtocols(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function tokensMatch(offered: string, expected: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkUpgrade(headers: UpgradeHeaders, config: GuardConfig): GuardVerdict {
  if (!isLoopbackHost(headers.host, config.port)) {
    return {
      ok: false,
      status: 403,
      code: 'foreign_host',
      message: `The local API answers only to 127.0.0.1:${config.port} or localhost:${config.port}.`,
    };
  }
  if (!isAllowedOrigin(headers.origin, config)) {
    return {
      ok: false,
      status: 403,
      code: 'foreign_origin',
      message: 'Only the Idlehive dashboard may connect to the local API from a browser.',
    };
  }
  const offered = parseOfferedProtocols(headers.protocols);
  if (!offered.includes(LOCAL_API_PROTOCOL)) {
    return {
      ok: false,
      status: 400,
      code: 'unsupported_protocol',
      message: `Connect with the WebSocket subprotocol "${LOCAL_API_PROTOCOL}".`,
    };
  }
  const tokenEntry = offered.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  if (tokenEntry === undefined) {
    return {
      ok: false,
      status: 401,
      code: 'missing_token',
      message: 'No token was given. Open the dashboard with `idlehive dashboard`, which includes it.',
    };
  }
  if (!tokensMatch(tokenEntry.slice(TOKEN_PROTOCOL_PREFIX.length), config.token)) {
    return {
      ok: false,
      status: 401,
      code: 'wrong_token',
      message:
        'The token is wrong (the agent makes a new one each start). Open the dashboard again with `idlehive dashboard`.',
    };
  }
  return { ok: true };
}
