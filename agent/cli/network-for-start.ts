/**
 * The network `idlehive start` gives the agent: by default the whole local
 * network on loopback (network/local-network/, data in `<home>/local-network/`),
 * or, with `--network URL [--chain-rpc URL]`, a real deployment and no local
 * network at all. The agent receives either the same way, as the fallback for
 * its coordinatorUrl and chainRpcUrl settings.
 */
import path from 'node:path';
import type { EmbeddedNetwork } from '../embedded-network.ts';
import { IdlehiveError } from '../errors.ts';
import { homeLayout } from '../home.ts';
import { createFileLogger } from '../logger.ts';

export interface NetworkChoice {
  /** A real coordinator; no local network starts. */
  network?: string;
  /** The chain its vault lives on. */
  chainRpc?: string;
}

export interface NetworkForStart {
  embedded: EmbeddedNetwork;
  /** A few words for the start line. */
  summary: string;
  stop(): Promise<void>;
}

export const LOCAL_NETWORK_FOLDER = 'local-network';

export async function startNetworkForAgent(home: string, choice: NetworkChoice): Promise<NetworkForStart> {
  if (choice.network !== undefined) {
    return {
      embedded: { coordinatorUrl: choice.network, chainRpcUrl: choice.chainRpc ?? null },
      summary: `network ${choice.network}`,
      stop: async () => {},
    };
  }
  if (choice.chainRpc !== undefined) {
    throw new IdlehiveError(
      'chain_without_network',
      '--chain-rpc names the chain of a real deployment; pass its coordinator with --network URL too (or neither, for the local network).',
    );
  }
  // Loaded only here: the local network brings ethers, anvil and the coordinator with it.
  const { startLocalNetwork } = await import('../../network/local-network/start-local-network.ts');
  const logger = createFileLogger(path.join(path.dirname(homeLayout(home).logFile), 'local-network.log'));
  const network = await startLocalNetwork({
    dataDir: path.join(home, LOCAL_NETWORK_FOLDER),
    log: {
      notice: (message) => {
        process.stdout.write(`${message}\n`);
        logger.info(message);
      },
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
    },
  });
  return {
    embedded: { coordinatorUrl: network.coordinatorUrl, chainRpcUrl: network.chain.rpcUrl },
    summary: `local network: coordinator ${network.coordinatorUrl}, chain ${network.chain.rpcUrl}`,
    stop: async () => {
      await network.stop();
      logger.flush();
    },
  };
}
