import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appResponseHeaders,
  contentTypeFor,
  createAppProtocolHandler,
  resolveAppFile,
} from './app-protocol.ts';
import { DASHBOARD_CSP } from './content-security-policy.ts';

const root = '/opt/Idlehive/resources/app.asar/dist/renderer';

describe('the app scheme', () => {
  it('is app://idlehive, registered as standard and secure', () => {
    expect(APP_SCHEME).toBe('app');
    expect(APP_ENTRY_URL).toBe('app://idlehive/index.html');
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true } });
  });
});

describe('resolveAppFile', () => {
  it('maps paths inside the renderer folder', () => {
    expect(resolveAppFile('app://idlehive/index.html', root)).toBe(`${root}/index.html`);
    expect(resolveAppFile('app://idlehive/assets/index-abc.js', root)).toBe(`${root}/assets/index-abc.js`);
    expect(resolveAppFile('app://idlehive/assets/a%20b.css?v=1#x', root)).toBe(`${root}/assets/a b.css`);
  });

  it('serves index.html for the root', () => {
    expect(resolveAppFile('app://idlehive/', root)).toBe(`${root}/index.html`);
    expect(resolveAppFile('app://idlehive', root)).toBe(`${root}/index.html`);
  });

  it('stays inside the folder for dot segments the URL parser already resolved', () => {
    // The WHATWG parser removes ../ and %2e%2e/ before we see the path, clamping at the root.
    expect(resolveAppFile('app://idlehive/../../etc/passwd', root)).toBe(`${root}/etc/passwd`);
    expect(resolveAppFile('app://idlehive/%2e%2e/%2E%2E/etc/passwd', root)).toBe(`${root}/etc/passwd`);
    expect(resolveAppFile('app://idlehive/assets/../index.html', root)).toBe(`${root}/index.html`);
  });

  it('decodes once: a doubly encoded dot-dot is a literal (harmless) name inside the folder', () => {
    expect(resolveAppFile('app://idlehive/%252e%252e/secret', root)).toBe(`${root}/%2e%2e/secret`);
  });

  it.each([
    ['an encoded slash after dots', 'app://idlehive/..%2f..%2fetc/passwd'],
    ['an encoded upper-case slash', 'app://idlehive/..%2F..%2Fetc%2Fpasswd'],
    ['an encoded backslash', 'app://idlehive/..%5c..%5cwindows%5cwin.ini'],
    ['an encoded slash inside a name', 'app://idlehive/assets%2findex.js'],
    ['an encoded NUL', 'app://idlehive/index.html%00.png'],
    ['a drive letter', 'app://idlehive/C:%5cWindows%5cwin.ini'],
    ['a hidden file', 'app://idlehive/.env'],
    ['a malformed escape', 'app://idlehive/%E0%A4%A'],
  ])('refuses %s', (_name, url) => {
    expect(resolveAppFile(url, root)).toBeNull();
  });

  it.each([
    'app://idlehive.evil.com/index.html',
    'app://idlehive@evil/index.html',
    'app://other/index.html',
    'file:///opt/Idlehive/resources/app.asar/dist/renderer/index.html',
    'http://127.0.0.1/index.html',
  ])('refuses %s, which is not the app origin', (url) => {
    expect(resolveAppFile(url, root)).toBeNull();
  });

  it('holds on Windows paths too', () => {
    const winRoot = 'C:\\Program Files\\Idlehive\\resources\\app.asar\\dist\\renderer';
    expect(resolveAppFile('app://idlehive/assets/x.js', winRoot, path.win32)).toBe(`${winRoot}\\assets\\x.js`);
    expect(resolveAppFile('app://idlehive/..%5c..%5cx', winRoot, path.win32)).toBeNull();
    expect(resolveAppFile('app://idlehive/D:', winRoot, path.win32)).toBeNull();
    expect(resolveAppFile('app://idlehive/%5c%5cserver%5cshare', winRoot, path.win32)).toBeNull();
  });
});

describe('contentTypeFor and appResponseHeaders', () => {
  it('names the types the bundle contains', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/favicon.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/x/unknown.bin')).toBe('application/octet-stream');
  });

  it('sends the CSP and nosniff with every file', () => {
    expect(appResponseHeaders('/x/index.html')).toMatchObject({
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
    });
  });
});

describe('createAppProtocolHandler', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'idlehive-app-protocol-'));
    await mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
    await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Idlehive</title>');
    await writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'not for the renderer');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const handler = () => createAppProtocolHandler(path.join(dir, 'renderer'));

  it('serves a file with its type and the CSP', async () => {
    const response = await handler()(new Request('app://idlehive/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html at the root', async () => {
    const response = await handler()(new Request('app://idlehive/'));
    expect(await response.text()).toContain('<title>Idlehive</title>');
  });

  it('answers 404 for missing files, folders and anything outside the folder', async () => {
    for (const url of [
      'app://idlehive/missing.js',
      'app://idlehive/assets',
      'app://idlehive/..%2fsecret.txt',
      'app://idlehive.evil/index.html',
    ]) {
      const response = await handler()(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('not for the renderer');
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await handler()(new Request('app://idlehive/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handler()(new Request('app://idlehive/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('does not hide unexpected read errors', async () => {
    const failing = createAppProtocolHandler(path.join(dir, 'renderer'), async () => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    await expect(failing(new Request('app://idlehive/index.html'))).rejects.toThrow('EIO');
  });
});
