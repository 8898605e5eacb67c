import { describe, expect, it } from 'vitest';
import {
  hashWithoutToken,
  isWellFormedToken,
  localApiUrlForPage,
  parseFragmentToken,
  TOKEN_STORAGE_KEY,
  type TokenEnvironment,
  takeDashboardToken,
} from './dashboard-token.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      items.set(key, value);
    },
  };
}

function environment(hash: string, storage: TokenEnvironment['storage'] = memoryStorage()) {
  const replaced: string[] = [];
  const env: TokenEnvironment = {
    location: { hash, pathname: '/', search: '' },
    history: {
      state: null,
      replaceState: (_data: unknown, _unused: string, url?: string | URL | null) => {
        replaced.push(String(url));
      },
    },
    storage,
  };
  return { env, replaced };
}

describe('parseFragmentToken', () => {
  it('reads the token from the fragment, with or without the leading #', () => {
    expect(parseFragmentToken('#token=abc123')).toBe('abc123');
    expect(parseFragmentToken('token=abc123')).toBe('abc123');
    expect(parseFragmentToken('#view=home&token=Zx_9-.~')).toBe('Zx_9-.~');
  });

  it('returns null when there is no usable token', () => {
    expect(parseFragmentToken('')).toBeNull();
    expect(parseFragmentToken('#')).toBeNull();
    expect(parseFragmentToken('#token=')).toBeNull();
    expect(parseFragmentToken('#tokens=abc')).toBeNull();
    expect(parseFragmentToken('#view=home')).toBeNull();
  });

  it('refuses characters a WebSocket subprotocol cannot carry', () => {
    expect(parseFragmentToken('#token=a%20b')).toBeNull();
    expect(parseFragmentToken('#token=a,b')).toBeNull();
    expect(parseFragmentToken('#token=a/b')).toBeNull();
    expect(parseFragmentToken(`#token=${'a'.repeat(513)}`)).toBeNull();
    expect(parseFragmentToken(`#token=${'a'.repeat(512)}`)).toBe('a'.repeat(512));
  });

  it('takes the first token when the fragment repeats it', () => {
    expect(parseFragmentToken('#token=first&token=second')).toBe('first');
  });
});

describe('isWellFormedToken', () => {
  it('accepts hex and base64url and rejects separators', () => {
    expect(isWellFormedToken('0f3a9c')).toBe(true);
    expect(isWellFormedToken('q-Z_w')).toBe(true);
    expect(isWellFormedToken('a=b')).toBe(false);
    expect(isWellFormedToken('')).toBe(false);
  });
});

describe('hashWithoutToken', () => {
  it('removes only the token', () => {
    expect(hashWithoutToken('#token=abc')).toBe('');
    expect(hashWithoutToken('#view=home&token=abc')).toBe('#view=home');
    expect(hashWithoutToken('#token=abc&token=def')).toBe('');
    expect(hashWithoutToken('#view=home')).toBe('#view=home');
    expect(hashWithoutToken('')).toBe('');
  });
});

describe('takeDashboardToken', () => {
  it('moves a fragment token into session storage and out of the address bar', () => {
    const storage = memoryStorage();
    const { env, replaced } = environment('#token=fresh', storage);
    expect(takeDashboardToken(env)).toBe('fresh');
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('fresh');
    expect(replaced).toEqual(['/']);
  });

  it('keeps the path, query and other fragment parts when it cleans the address bar', () => {
    const { env, replaced } = environment('#view=wallet&token=fresh');
    env.location = { hash: '#view=wallet&token=fresh', pathname: '/index.html', search: '?lang=en' };
    takeDashboardToken(env);
    expect(replaced).toEqual(['/index.html?lang=en#view=wallet']);
  });

  it('uses the stored token after a reload, without touching history', () => {
    const { env, replaced } = environment('', memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' }));
    expect(takeDashboardToken(env)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('lets a fresh link replace a stored token', () => {
    const storage = memoryStorage({ [TOKEN_STORAGE_KEY]: 'old' });
    const { env } = environment('#token=new', storage);
    expect(takeDashboardToken(env)).toBe('new');
    expect(storage.items.get(TOKEN_STORAGE_KEY)).toBe('new');
  });

  it('still removes a malformed token from the address bar, and falls back to storage', () => {
    const { env, replaced } = environment('#token=bad%20token', memoryStorage({ [TOKEN_STORAGE_KEY]: 'kept' }));
    expect(takeDashboardToken(env)).toBe('kept');
    expect(replaced).toEqual(['/']);
  });

  it('returns null with no fragment and nothing stored', () => {
    expect(takeDashboardToken(environment('').env)).toBeNull();
  });

  it('ignores a tampered stored value', () => {
    expect(takeDashboardToken(environment('', memoryStorage({ [TOKEN_STORAGE_KEY]: 'a b' })).env)).toBeNull();
  });

  it('works when storage is unavailable or throws', () => {
    expect(takeDashboardToken(environment('#token=abc', null).env)).toBe('abc');
    const throwing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(takeDashboardToken(environment('#token=abc', throwing).env)).toBe('abc');
    expect(takeDashboardToken(environment('', throwing).env)).toBeNull();
  });
});

describe('localApiUrlForPage', () => {
  it('points at /api on the same host and port', () => {
    expect(localApiUrlForPage({ protocol: 'http:', host: '127.0.0.1:4317' })).toBe('ws://127.0.0.1:4317/api');
    expect(localApiUrlForPage({ protocol: 'http:', host: 'localhost:9' })).toBe('ws://localhost:9/api');
    expect(localApiUrlForPage({ protocol: 'https:', host: 'localhost:9' })).toBe('wss://localhost:9/api');
  });
});
