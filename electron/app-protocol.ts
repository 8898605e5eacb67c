/**
 * app://idlehive: the origin the desktop window loads the dashboard from.
 * A custom standard, secure scheme instead of file:// gives the page a real
 * origin (which the agent's Origin check accepts as DESKTOP_APP_ORIGIN) and
 * none of file://'s extra privileges. The handler serves only files inside
 * dist/renderer, each with the CSP; the path resolution is pure and tested
 * against traversal in every encoding.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme } from 'electron';
import { DESKTOP_APP_ORIGIN } from '../agent/local-api/contract.ts';
import { DASHBOARD_CSP } from './content-security-policy.ts';
import { isAppUrl } from './navigation-policy.ts';

export const APP_SCHEME = new URL(DESKTOP_APP_ORIGIN).protocol.slice(0, -1);
export const APP_ENTRY_URL = `${DESKTOP_APP_ORIGIN}/index.html`;

/** Registered before the app is ready. standard: real origin and relative URLs; secure: treated like https. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true },
};

type PathApi = Pick<typeof path, 'resolve' | 'relative' | 'isAbsolute'>;

/**
 * The file inside `rootDir` an app:// URL names, or null when it names
 * nothing there. Each path segment is decoded on its own and refused if it
 * decodes to a separator, a drive, NUL, or starts with a dot (which covers
 * `..` in any encoding and hidden files); the result must still lie in root.
 */
export function resolveAppFile(requestUrl: string, rootDir: string, pathApi: PathApi = path): string | null {
  if (!isAppUrl(requestUrl)) return null;
  const { pathname } = new URL(requestUrl);
  const raw = pathname.split('/').filter((segment) => segment !== '');
  const segments: string[] = [];
  for (const segment of raw.length === 0 ? ['index.html'] : raw) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return null; // Malformed percent-encoding.
    }
    if (decoded === '' || decoded.startsWith('.') || /[/\\:\0]/.test(decoded)) return null;
    segments.push(decoded);
  }
  const root = pathApi.resolve(rootDir);
  const file = pathApi.resolve(root, ...segments);
  const relative = pathApi.relative(root, file);
  if (relative === '' || relative.startsWith('..') || pathApi.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'content-type': contentTypeFor(file),
    'content-security-policy': DASHBOARD_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    // The files change with every app update; the hashed names do the caching that matters.
    'cache-control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'content-security-policy': DASHBOARD_CSP },
  });
}

/** The protocol.handle handler for app://, serving `rootDir` (dist/renderer). */
export function createAppProtocolHandler(
  rootDir: string,
  read: (file: string) => Promise<Uint8Array> = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveAppFile(request.url, rootDir);
    if (file === null) return plain(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return plain(404, 'Not found');
      throw error;
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: appResponseHeaders(file),
    });
  };
}
