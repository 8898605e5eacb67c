/**
 * The browser dashboard's token. `idlehive dashboard` opens
 * http://127.0.0.1:PORT/#token=TOKEN: the fragment never reaches a server or a
 * log. The page reads it once, removes it from the address bar so it is not
 * bookmarked or shared, and keeps it in sessionStorage so a reload still works
 * (sessionStorage dies with the tab).
 */

export const TOKEN_STORAGE_KEY = 'idlehive.dashboardToken';
const TOKEN_PARAM = 'token';
const MAX_TOKEN_LENGTH = 512;
/** RFC 9110 token characters: the token travels as a WebSocket subprotocol, which allows nothing else. */
const TOKEN_CHARACTERS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function isWellFormedToken(value: string): boolean {
  return value.length > 0 && value.length <= MAX_TOKEN_LENGTH && TOKEN_CHARACTERS.test(value);
}

function fragmentParams(hash: string): URLSearchParams {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
}

/** The token in a location fragment such as `#token=abc`, or null when absent or malformed. */
export function parseFragmentToken(hash: string): string | null {
  const token = fragmentParams(hash).get(TOKEN_PARAM);
  return token !== null && isWellFormedToken(token) ? token : null;
}

/** The fragment with the token removed and everything else kept; '' when nothing is left. */
export function hashWithoutToken(hash: string): string {
  const params = fragmentParams(hash);
  if (!params.has(TOKEN_PARAM)) return hash;
  params.delete(TOKEN_PARAM);
  const rest = params.toString();
  return rest === '' ? '' : `#${rest}`;
}

export interface TokenEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  /** Null where the browser refuses storage (some privacy modes); the token then lives for this page only. */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/**
 * Takes the token out of the address bar into session storage and returns it;
 * falls back to the stored one after a reload. A fresh link always wins over a
 * stored token, because the agent may have made a new one since.
 */
export function takeDashboardToken(env: TokenEnvironment): string | null {
  const { location, history, storage } = env;
  const fromFragment = parseFragmentToken(location.hash);
  if (fragmentParams(location.hash).has(TOKEN_PARAM)) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${hashWithoutToken(location.hash)}`);
  }
  if (fromFragment !== null) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromFragment);
    } catch {
      // Storage full or refused: the token still works until the page is reloaded.
    }
    return fromFragment;
  }
  let stored: string | null = null;
  try {
    stored = storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    stored = null;
  }
  return stored !== null && isWellFormedToken(stored) ? stored : null;
}

/** The local API's address for a page the agent served: same host and port, path /api. */
export function localApiUrlForPage(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api`;
}
