import { describe, expect, it } from 'vitest';
import { parseRoute, ROUTES, routeFor, routeHref } from './routes.ts';

describe('parseRoute', () => {
  it.each([
    ['', 'home'],
    ['#', 'home'],
    ['#/', 'home'],
    ['#/schedule', 'schedule'],
    ['#/schedule/', 'schedule'],
    ['#/settings', 'settings'],
    ['#/wallet', 'wallet'],
    ['#/earnings', 'earnings'],
    ['#/settings?x=1', 'settings'],
    ['#/nowhere', 'home'],
    ['#token=abc', 'home'],
    ['#/Schedule', 'home'],
  ])('%s is %s', (hash, route) => {
    expect(parseRoute(hash)).toBe(route);
  });

  it('reads back every href it makes', () => {
    for (const route of ROUTES) expect(parseRoute(routeHref(route.id))).toBe(route.id);
  });

  it('has one path per screen', () => {
    expect(new Set(ROUTES.map((route) => route.path)).size).toBe(ROUTES.length);
    expect(routeFor('schedule').label).toBe('Schedule');
  });
});
