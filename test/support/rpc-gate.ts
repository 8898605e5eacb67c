/**
 * A JSON-RPC pass-through to a real chain that can hold chosen methods: a
 * held request is never forwarded and never answered, so the process that
 * sent it sits exactly between "written to its ledger" and "the node has it".
 * Tests use it to SIGKILL a process at that point (for fee bumps: after the
 * replacement is recorded and before it is broadcast).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RpcGate {
  url: string;
  /** Methods held from now on (e.g. eth_sendRawTransaction). */
  hold(method: string): void;
  /** The params of every request held so far. */
  held(method: string): unknown[][];
  close(): Promise<void>;
}

export async function startRpcGate(targetUrl: string): Promise<RpcGate> {
  const holding = new Set<string>();
  const heldRequests = new Map<string, unknown[][]>();
  const parked: http.ServerResponse[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      if (holding.has(method)) {
        heldRequests.set(method, [...(heldRequests.get(method) ?? []), params]);
        parked.push(response);
        return;
      }
      try {
        const forwarded = await fetch(targetUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        response.writeHead(forwarded.status, { 'content-type': 'application/json' });
        response.end(await forwarded.text());
      } catch {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hold: (method) => holding.add(method),
    held: (method) => heldRequests.get(method) ?? [],
    async close() {
      for (const response of parked) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
