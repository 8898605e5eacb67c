import { describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from './content-security-policy.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('DASHBOARD_CSP', () => {
  const policy = directives(DASHBOARD_CSP);

  it('allows scripts and styles only from the app itself', () => {
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'"]);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-(inline|eval|hashes)|wasm-unsafe-eval/);
    const sources = [...policy.values()].flat();
    for (const wide of ['*', 'http:', 'https:', 'ws:', 'wss:', 'blob:']) expect(sources).not.toContain(wide);
    // data: only for images.
    expect([...policy].filter(([, values]) => values.includes('data:')).map(([name]) => name)).toEqual(['img-src']);
  });

  it('connects only to the local API on loopback', () => {
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });

  it('shuts the doors a dashboard never uses', () => {
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});
