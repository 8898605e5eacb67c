/**
 * Finds the agent of a home through its endpoint file and connects to it.
 * Shared by the CLI and the desktop shell.
 */
import { IdlehiveError } from '../errors.ts';
import { homeLayout } from '../home.ts';
import { connectLocalApi, type LocalApiConnection } from './client.ts';
import { type EndpointFile, readEndpointFile } from './endpoint-file.ts';

export interface AgentConnection {
  endpoint: EndpointFile;
  api: LocalApiConnection;
}

function notRunning(home: string): IdlehiveError {
  return new IdlehiveError(
    'agent_not_running',
    `No Idlehive agent is running for ${home}. Start one with \`idlehive agent\` (or \`npm start\`).`,
  );
}

export async function connectToAgent(home: string, timeoutMs = 3000): Promise<AgentConnection> {
  const endpoint = readEndpointFile(homeLayout(home).endpointFile);
  if (!endpoint) throw notRunning(home);
  try {
    const api = await connectLocalApi({ url: endpoint.apiUrl, token: endpoint.token, timeoutMs });
    return { endpoint, api };
  } catch {
    // A stale file from an agent that was killed: same answer as no file.
    throw notRunning(home);
  }
}

/** The home's agent, or null when none runs: for commands that also work without one. */
export async function connectToAgentIfRunning(home: string, timeoutMs = 3000): Promise<AgentConnection | null> {
  try {
    return await connectToAgent(home, timeoutMs);
  } catch (error) {
    if (error instanceof IdlehiveError && error.code === 'agent_not_running') return null;
    throw error;
  }
}
