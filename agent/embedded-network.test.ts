import { describe, expect, it } from 'vitest';
import {
  EMBEDDED_CHAIN_RPC_VARIABLE,
  EMBEDDED_COORDINATOR_VARIABLE,
  embeddedNetworkEnvironment,
  resolveEmbeddedNetwork,
} from './embedded-network.ts';

describe('resolveEmbeddedNetwork', () => {
  it('prefers the options, then the environment, else nothing', () => {
    const env = {
      [EMBEDDED_COORDINATOR_VARIABLE]: 'http://127.0.0.1:4000',
      [EMBEDDED_CHAIN_RPC_VARIABLE]: 'http://127.0.0.1:8545',
    };
    expect(resolveEmbeddedNetwork({}, {})).toEqual({ coordinatorUrl: null, chainRpcUrl: null });
    expect(resolveEmbeddedNetwork({}, env)).toEqual({
      coordinatorUrl: 'http://127.0.0.1:4000',
      chainRpcUrl: 'http://127.0.0.1:8545',
    });
    expect(resolveEmbeddedNetwork({ embeddedCoordinatorUrl: 'https://coordinator.example.org' }, env)).toEqual({
      coordinatorUrl: 'https://coordinator.example.org',
      chainRpcUrl: 'http://127.0.0.1:8545',
    });
  });

  it('refuses a URL that is not http(s), naming the field', () => {
    expect(() => resolveEmbeddedNetwork({ embeddedChainRpcUrl: 'ws://127.0.0.1:8545' }, {})).toThrow(
      /not usable: chainRpcUrl: must be an http:\/\/ or https:\/\/ URL/,
    );
  });

  it('round-trips through the environment it writes for a forked agent', () => {
    const network = { coordinatorUrl: 'http://127.0.0.1:4000', chainRpcUrl: null };
    expect(resolveEmbeddedNetwork({}, embeddedNetworkEnvironment(network))).toEqual(network);
  });
});
