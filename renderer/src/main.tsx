/**
 * The dashboard's entry. The same bundle runs in a browser tab served by the
 * agent and in the desktop window; the only difference is where the agent's
 * address and token come from: the URL fragment in a browser, the preload
 * bridge (which asks Electron main) in the desktop app.
 */
import './zod-jitless.ts';
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectLocalApi } from '../../agent/local-api/client.ts';
import { App } from './App.tsx';
import { createAgentActions } from './agent-actions.ts';
import { type AgentEndpoint, abortableSleep, isTokenRefusedByAgent, startAgentSession } from './agent-connection.ts';
import { localApiUrlForPage, takeDashboardToken } from './dashboard-token.ts';
import { desktopBridge } from './desktop-bridge.ts';
import { parseRoute } from './routes/routes.ts';
import { createDashboardStore } from './store/dashboard-store.ts';

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // Storage disabled by the browser's privacy settings.
  }
}

function browserEndpointSource(): () => Promise<AgentEndpoint | null> {
  const token = takeDashboardToken({
    location: window.location,
    history: window.history,
    storage: sessionStorageOrNull(),
  });
  const url = localApiUrlForPage(window.location);
  return async () => (token === null ? null : { url, token });
}

const store = createDashboardStore();
const bridge = desktopBridge();
const { dispatch } = store.getState();

const session = startAgentSession({
  // The desktop bridge is asked on every attempt, so a restarted agent's new address and token are picked up.
  getEndpoint: bridge ? () => bridge.getAgentConnection() : browserEndpointSource(),
  connect: (endpoint) => connectLocalApi(endpoint),
  // In the desktop app a refusal means a stale endpoint file, which the next attempt re-reads.
  isTokenRefused: bridge ? async () => false : (endpoint) => isTokenRefusedByAgent(endpoint.token),
  dispatch,
  earningsRange: () => store.getState().earningsRange,
  sleep: abortableSleep,
});
const actions = createAgentActions(session, dispatch);

// The screen follows the address, so links, Back and a reload all work; the token fragment reads as Home.
const followAddress = () => {
  const route = parseRoute(window.location.hash);
  dispatch({ type: 'route-changed', route });
  // Balances change on the chain without an event; opening the Wallet screen asks for fresh ones.
  if (route === 'wallet') actions.refreshWallet();
  // The totals' periods roll on without an event (a reward leaves "Last 24 hours" a day after it came).
  if (route === 'earnings') actions.refreshEarningsTotals();
};
followAddress();
window.addEventListener('hashchange', followAddress);

/** Times on screen ("until 14:30", the timeline's "now") move with one page clock, not with timers in components. */
const CLOCK_TICK_MS = 15_000;
setInterval(() => dispatch({ type: 'clock-ticked', now: Date.now() }), CLOCK_TICK_MS);

bridge?.getDesktopFacts().then(
  (facts) => dispatch({ type: 'desktop-facts-received', facts }),
  () => {}, // Main refused or is quitting; the Settings screen then says where logs live in words.
);
const openLogFolder = () => {
  bridge?.openLogFolder().catch((error: unknown) => {
    dispatch({ type: 'action-failed', action: 'save-settings', message: String(error) });
  });
};

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element.');
createRoot(rootElement).render(
  <StrictMode>
    <App store={store} actions={actions} isDesktop={bridge !== undefined} onOpenLogFolder={openLogFolder} />
  </StrictMode>,
);
