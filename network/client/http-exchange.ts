/**
 * One HTTP request and its whole answer, over node:http(s) with kept-alive
 * connections: what the coordinator client sends its signed requests with.
 * Not the global fetch: on loopback fetch cost about 0.3 ms of CPU per
 * request (WHATWG streams, Request/Response objects, an AbortSignal), three
 * times this, and a provider's process spends that on every lease and result.
 */
import http from 'node:http';
import https from 'node:https';

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** Sends one request; resolves with any status, rejects when no complete answer arrived (refused, reset, timed out). */
export type HttpExchange = (request: HttpRequest) => Promise<HttpAnswer>;

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export const httpExchange: HttpExchange = (request) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const protocol = url.protocol === 'https:' ? 'https:' : 'http:';
    const headers: Record<string, string> = { ...request.headers };
    if (request.body) headers['content-length'] = String(request.body.byteLength);
    const send = protocol === 'https:' ? https.request : http.request;
    const outgoing = send(url, { method: request.method, headers, agent: agents[protocol] }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', fail);
      incoming.on('end', () => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks) });
      });
    });
    const timer = setTimeout(
      () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    outgoing.on('error', fail);
    outgoing.end(request.body);
  });
