/**
 * Serves the built renderer to the browser, with a strict CSP and only from
 * inside its own folder. The page itself holds no secret: the token arrives in
 * the URL fragment, which never reaches this server.
 */
import fs from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function dashboardCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export interface DashboardFile {
  status: 200 | 404 | 503;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * Maps a request path to a file under `root`. Paths that decode outside the
 * root, contain NUL or backslashes, or name dotfiles are 404s.
 */
export function resolveDashboardPath(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return null;
  const full = path.resolve(root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

export function readDashboardFile(root: string, requestPath: string, port: number): DashboardFile {
  const security = {
    'Content-Security-Policy': dashboardCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    return {
      status: 503,
      headers: { ...security, 'Content-Type': 'text/plain; charset=utf-8' },
      body: 'The dashboard has not been built. Run `npm run build:renderer` (npm start does this for you), then reload.\n',
    };
  }
  const file = resolveDashboardPath(root, requestPath);
  if (file === null || !fs.statSync(file, { throwIfNoEntry: false })?.isFile()) {
    return { status: 404, headers: { ...security, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Not found\n' };
  }
  const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
  const isHtml = type.startsWith('text/html');
  return {
    status: 200,
    headers: {
      ...security,
      'Content-Type': type,
      // Vite names assets by content hash, so they can be cached; the page itself must not be.
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    },
    body: fs.readFileSync(file),
  };
}
