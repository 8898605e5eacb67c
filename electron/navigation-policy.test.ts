import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl, isAllowedNavigation, isAppUrl } from './navigation-policy.ts';

describe('isAllowedNavigation', () => {
  it.each([
    'app://idlehive/',
    'app://idlehive/index.html',
    'app://idlehive/index.html?x=1#token=abc',
    'app://idlehive',
  ])('allows %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });

  it.each([
    'app://idlehive.evil.com/',
    'app://idlehive@evil/',
    'app://idlehive:secret@idlehive/',
    'app://evil/app://idlehive/',
    'app://idlehive:8080/',
    'app://IDLEHIVE.evil/',
    'app:idlehive/index.html',
    'app:///idlehive/index.html',
    'apps://idlehive/',
    'javascript:alert(1)',
    'javascript://idlehive/%0aalert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'file://idlehive/index.html',
    'http://127.0.0.1:4317/',
    'https://idlehive/',
    'http://idlehive/',
    'about:blank',
    'chrome://settings',
    'devtools://devtools/bundled/inspector.html',
    'blob:app://idlehive/0b7e',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it('refuses non-strings', () => {
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it('allows https links to an allowed host', () => {
    expect(isAllowedExternalUrl('https://github.com/')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/idlehive/idlehive/releases?tab=1#notes')).toBe(true);
    expect(isAllowedExternalUrl('https://GITHUB.com/x')).toBe(true); // The parser lowercases the host.
  });

  it.each([
    'http://github.com/',
    'https://github.com.evil.com/',
    'https://evilgithub.com/',
    'https://github.com@evil.com/',
    'https://user:pass@github.com/',
    'https://github.com:8443/',
    'https://gist.github.com/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://github.com/share',
    'javascript:alert(1)',
    'ms-msdt:/id PCWDiagnostic',
    'app://idlehive/',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('judges the parsed URL, not the text: https:github.com is https://github.com/', () => {
    expect(isAllowedExternalUrl('https:github.com')).toBe(true);
    expect(isAllowedExternalUrl('https:\\\\evil.com\\github.com')).toBe(false);
  });

  it('uses the given allowlist', () => {
    expect(isAllowedExternalUrl('https://etherscan.io/tx/0x1', ['etherscan.io'])).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/', ['etherscan.io'])).toBe(false);
  });
});
