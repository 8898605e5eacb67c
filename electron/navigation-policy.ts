/**
 * Where the desktop window may go. Every decision parses the URL with the
 * WHATWG parser and compares parts exactly: prefix checks such as
 * startsWith('app://idlehive') would let app://idlehive.evil.com or
 * app://idlehive@evil through.
 */
import { DESKTOP_APP_ORIGIN } from '../agent/local-api/contract.ts';

function parse(url: string | null | undefined): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for app://idlehive/... itself: no other host, no port, no user info. */
export function isAppUrl(url: string | null | undefined): boolean {
  const parsed = parse(url);
  if (parsed === null || parsed.username !== '' || parsed.password !== '') return false;
  return `${parsed.protocol}//${parsed.host}` === DESKTOP_APP_ORIGIN;
}

/** The window only ever shows the bundled dashboard. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Sites the dashboard may open in the owner's browser. Only https and only
 * these exact hosts: shell.openExternal hands a URL to the OS, which would run
 * file:, smb: or custom-scheme handlers too.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['github.com'];

export function isAllowedExternalUrl(url: string, allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  const parsed = parse(url);
  if (parsed === null || parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return allowedHosts.includes(parsed.hostname);
}
