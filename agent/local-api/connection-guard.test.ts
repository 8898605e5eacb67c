import { describe, expect, it } from 'vitest';
import {
  checkUpgrade,
  isAllowedOrigin,
  isLoopbackHost,
  parseOfferedProtocols,
  type UpgradeHeaders,
} from './connection-guard.ts';
import { clientProtocols, DESKTOP_APP_ORIGIN, LOCAL_API_PROTOCOL } from './contract.ts';

const token = 'a'.repeat(64);
const config = { token, port: 4321, extraOrigins: [DESKTOP_APP_ORIGIN] };
const good: UpgradeHeaders = {
  host: '127.0.0.1:4321',
  origin: undefined,
  protocols: clientProtocols(token).join(', '),
};

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1:4321', true],
    ['localhost:4321', true],
    ['LOCALHOST:4321', true],
    ['127.0.0.1:4322', false],
    ['127.0.0.1', false],
    ['evil.example:4321', false],
    ['127.0.0.1.evil.example:4321', false],
    ['localhost.evil:4321', false],
    ['user@127.0.0.1:4321', false],
    ['127.0.0.1:4321/path', false],
    ['0.0.0.0:4321', false],
    ['[::1]:4321', false],
    ['', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host, 4321)).toBe(expected);
  });
  it('rejects a missing Host', () => {
    expect(isLoopbackHost(undefined, 4321)).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it.each([
    [undefined, true],
    ['http://127.0.0.1:4321', true],
    ['http://localhost:4321', true],
    [DESKTOP_APP_ORIGIN, true],
    ['http://127.0.0.1:9999', false],
    ['https://127.0.0.1:4321', false],
    ['http://evil.example', false],
    ['null', false],
    ['app://idlehive.evil', false],
    ['file://', false],
  ])('%s -> %s', (origin, expected) => {
    expect(isAllowedOrigin(origin, config)).toBe(expected);
  });
});

describe('parseOfferedProtocols', () => {
  it('splits and trims the header', () => {
    expect(parseOfferedProtocols(' a , b,,c ')).toEqual(['a', 'b', 'c']);
    expect(parseOfferedProtocols(undefined)).toEqual([]);
  });
});

describe('checkUpgrade', () => {
  it('accepts the right host, no origin and the right token', () => {
    expect(checkUpgrade(good, config)).toEqual({ ok: true });
  });
  it('accepts the dashboard origin and the desktop origin', () => {
    expect(checkUpgrade({ ...good, origin: 'http://localhost:4321' }, config).ok).toBe(true);
    expect(checkUpgrade({ ...good, origin: DESKTOP_APP_ORIGIN }, config).ok).toBe(true);
  });
  it('rejects each failure with its own code', () => {
    const verdict = (over: Partial<UpgradeHeaders>) => {
      const result = checkUpgrade({ ...good, ...over }, config);
      return result.ok ? 'ok' : `${result.status} ${result.code}`;
    };
    expect(verdict({ host: 'evil:4321' })).toBe('403 foreign_host');
    expect(verdict({ origin: 'http://evil.example' })).toBe('403 foreign_origin');
    expect(verdict({ protocols: undefined })).toBe('400 unsupported_protocol');
    expect(verdict({ protocols: LOCAL_API_PROTOCOL })).toBe('401 missing_token');
    expect(verdict({ protocols: clientProtocols('b'.repeat(64)).join(',') })).toBe('401 wrong_token');
    expect(verdict({ protocols: clientProtocols(token.slice(1)).join(',') })).toBe('401 wrong_token');
    expect(verdict({ protocols: clientProtocols('').join(',') })).toBe('401 wrong_token');
  });
});
