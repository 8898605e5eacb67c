/**
 * The dashboard's screens and their addresses. Hash routes (#/schedule), so
 * the same bundle works from the agent's HTTP server and from app://idlehive
 * without either knowing the screens, and a reload lands on the same screen.
 */

export const ROUTES = [
  { id: 'home', path: '/', label: 'Home', title: 'Home' },
  { id: 'earnings', path: '/earnings', label: 'Earnings', title: 'Earnings' },
  { id: 'devices', path: '/devices', label: 'Devices', title: 'Devices' },
  { id: 'schedule', path: '/schedule', label: 'Schedule', title: 'Schedule' },
  { id: 'wallet', path: '/wallet', label: 'Wallet', title: 'Wallet' },
  { id: 'settings', path: '/settings', label: 'Settings', title: 'Settings' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];
export type Route = (typeof ROUTES)[number];

export const DEFAULT_ROUTE: RouteId = 'home';

/** The screen a location hash names; anything unknown (or the token fragment) is Home. */
export function parseRoute(hash: string): RouteId {
  const path = (hash.startsWith('#') ? hash.slice(1) : hash).split('?')[0]?.replace(/\/+$/, '') || '/';
  return ROUTES.find((route) => route.path === path)?.id ?? DEFAULT_ROUTE;
}

export function routeHref(id: RouteId): string {
  return `#${routeFor(id).path}`;
}

export function routeFor(id: RouteId): Route {
  return ROUTES.find((route) => route.id === id) ?? ROUTES[0];
}
