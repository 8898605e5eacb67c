/**
 * The dashboard's Content-Security-Policy, sent with every app://idlehive
 * response. The same policy the agent sends to browsers: scripts and styles
 * only from the bundle, the only connection the local API on loopback, no
 * plugins, no framing, no form posts, no <base> tricks.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
