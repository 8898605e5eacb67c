import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardCsp, readDashboardFile, resolveDashboardPath } from './dashboard-files.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-dash-'));
fs.mkdirSync(path.join(root, 'assets'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
fs.writeFileSync(path.join(root, 'assets', 'app-1234.js'), 'console.log(1)');
fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
fs.writeFileSync(path.join(path.dirname(root), 'outside.txt'), 'outside');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resolveDashboardPath', () => {
  it('serves index.html for the root', () => {
    expect(resolveDashboardPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveDashboardPath(root, '/?x=1')).toBe(path.join(root, 'index.html'));
  });
  it.each([
    '/../outside.txt',
    '/%2e%2e/outside.txt',
    '/assets/%2e%2e/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/..%5coutside.txt',
    '/.env',
    '/assets/%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (requestPath) => {
    expect(resolveDashboardPath(root, requestPath)).toBeNull();
  });
});

describe('readDashboardFile', () => {
  it('serves assets with a strict CSP and long caching', () => {
    const file = readDashboardFile(root, '/assets/app-1234.js', 5000);
    expect(file.status).toBe(200);
    expect(file.headers['Content-Type']).toContain('text/javascript');
    expect(file.headers['Cache-Control']).toContain('immutable');
    expect(file.headers['Content-Security-Policy']).toBe(dashboardCsp(5000));
  });
  it('never caches the page', () => {
    expect(readDashboardFile(root, '/', 5000).headers['Cache-Control']).toBe('no-store');
  });
  it('answers 404 for traversal and missing files', () => {
    expect(readDashboardFile(root, '/../outside.txt', 5000).status).toBe(404);
    expect(readDashboardFile(root, '/nope.js', 5000).status).toBe(404);
    expect(readDashboardFile(root, '/assets', 5000).status).toBe(404);
  });
  it('says how to build the dashboard when it is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'idlehive-empty-'));
    const file = readDashboardFile(empty, '/', 5000);
    expect(file.status).toBe(503);
    expect(String(file.body)).toContain('npm run build:renderer');
    fs.rmSync(empty, { recursive: true });
  });
  it('allows no inline script or style', () => {
    const csp = dashboardCsp(5000);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
