/**
 * JSON-RPC against real local HTTP servers that misbehave the ways a chain
 * endpoint does: silent, failing with 5xx, refusing connections, or answering
 * with a JSON-RPC error (which is an answer, not an outage).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/free-port.ts';
import { isChainUnreachable, jsonRpc, RpcAnswerError } from './json-rpc.ts';

const servers: http.Server[] = [];

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const fast = { timeoutMs: 200, attempts: 3, backoffMs: 10 };

describe('jsonRpc', () => {
  it('returns the result', async () => {
    const url = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const { id } = JSON.parse(body);
        res.end(JSON.stringify({ jsonrpc: '2.0', id, result: '0x7a69' }));
      });
    });
    expect(await jsonRpc(url, fast).request('eth_chainId', [])).toBe('0x7a69');
  });

  it('retries a 5xx and succeeds when the endpoint recovers', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      if (calls < 3) {
        res.statusCode = 503;
        res.end();
        return;
      }
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 3, result: '0x1' }));
    });
    expect(await jsonRpc(url, fast).request('eth_blockNumber', [])).toBe('0x1');
    expect(calls).toBe(3);
  });

  it('gives up on a silent endpoint after its attempts, as chain_unreachable', async () => {
    let calls = 0;
    const url = await serve(() => {
      calls++;
    });
    const started = Date.now();
    const error = await jsonRpc(url, fast)
      .request('eth_blockNumber', [])
      .catch((e: unknown) => e);
    expect(isChainUnreachable(error)).toBe(true);
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('calls a refused connection chain_unreachable', async () => {
    const error = await jsonRpc(`http://127.0.0.1:${await freePort()}`, fast)
      .request('eth_blockNumber', [])
      .catch((e: unknown) => e);
    expect(isChainUnreachable(error)).toBe(true);
    expect((error as Error).message).toContain('Withdrawals wait');
  });

  it('returns a JSON-RPC error at once, without retrying', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'nonce too low' } }));
    });
    const error = await jsonRpc(url, fast)
      .request('eth_sendRawTransaction', ['0x00'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcAnswerError);
    expect((error as RpcAnswerError).message).toBe('nonce too low');
    expect(calls).toBe(1);
  });
});
