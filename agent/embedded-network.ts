/**
 * The network an agent uses while the owner has not chosen one in the
 * settings: the local network `idlehive start` brings up, or the deployment
 * named with `--network`/`--chain-rpc`. Given directly to runAgent by the
 * CLI; the desktop shell's agent is a grandchild of `idlehive start`
 * (Electron main forks it with the same environment), so the same values
 * also travel as two environment variables.
 */
import { z } from 'zod';
import { IdlehiveError } from './errors.ts';
import { describeSchemaIssues } from './schema-issues.ts';

export const EMBEDDED_COORDINATOR_VARIABLE = 'IDLEHIVE_EMBEDDED_COORDINATOR_URL';
export const EMBEDDED_CHAIN_RPC_VARIABLE = 'IDLEHIVE_EMBEDDED_CHAIN_RPC_URL';

const HttpUrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

export const EmbeddedNetworkSchema = z
  .object({
    coordinatorUrl: HttpUrlSchema.nullable(),
    chainRpcUrl: HttpUrlSchema.nullable(),
  })
  .strict();
export type EmbeddedNetwork = z.infer<typeof EmbeddedNetworkSchema>;

/** What runAgent falls back to: its own options first, then the environment, else nothing. */
export function resolveEmbeddedNetwork(
  options: { embeddedCoordinatorUrl?: string; embeddedChainRpcUrl?: string },
  env: NodeJS.ProcessEnv,
): EmbeddedNetwork {
  const parsed = EmbeddedNetworkSchema.safeParse({
    coordinatorUrl: options.embeddedCoordinatorUrl ?? (env[EMBEDDED_COORDINATOR_VARIABLE] || null),
    chainRpcUrl: options.embeddedChainRpcUrl ?? (env[EMBEDDED_CHAIN_RPC_VARIABLE] || null),
  });
  if (!parsed.success) {
    throw new IdlehiveError(
      'embedded_network_invalid',
      `The network given to the agent is not usable: ${describeSchemaIssues(parsed.error)}.`,
    );
  }
  return parsed.data;
}

/** The environment that hands `network` to an agent started further down the process tree. */
export function embeddedNetworkEnvironment(network: EmbeddedNetwork): Record<string, string> {
  return {
    ...(network.coordinatorUrl ? { [EMBEDDED_COORDINATOR_VARIABLE]: network.coordinatorUrl } : {}),
    ...(network.chainRpcUrl ? { [EMBEDDED_CHAIN_RPC_VARIABLE]: network.chainRpcUrl } : {}),
  };
}
