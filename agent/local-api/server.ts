/**
 * The local API server: one HTTP listener on 127.0.0.1 that serves the
 * dashboard and upgrades /api to the WebSocket API. Every upgrade passes
 * checkUpgrade first; every frame goes through dispatchFrame.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import { IdlehiveError } from '../errors.ts';
import { checkUpgrade, isLoopbackHost } from './connection-guard.ts';
import {
  clientProtocols,
  DESKTOP_APP_ORIGIN,
  type EventData,
  type EventName,
  LOCAL_API_PROTOCOL,
  localApiEvents,
  TOKEN_CHECK_HEADER,
  TOKEN_CHECK_PATH,
} from './contract.ts';
import { readDashboardFile } from './dashboard-files.ts';
import { dispatchFrame, type MethodHandlers } from './dispatch.ts';

/** ws closes a connection above this; our own limit (MAX_MESSAGE_BYTES) answers politely well below it. */
const HARD_FRAME_LIMIT_BYTES = 8 * 1024 * 1024;

export interface LocalApiServerOptions {
  token: string;
  /** 0 picks a free port. */
  port: number;
  dashboardRoot: string;
  handlers: MethodHandlers;
  logger: Logger;
  /** Events sent to each client right after it connects (e.g. the current status). */
  greeting: () => { [E in EventName]?: EventData<E> };
}

export interface LocalApiServer {
  port: number;
  broadcast<E extends EventName>(event: E, data: EventData<E>): void;
  clientCount(): number;
  close(): Promise<void>;
}

function rawText(data: WebSocket.RawData): { text: string; bytes: number } {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
  return { text: buffer.toString('utf8'), bytes: buffer.byteLength };
}

export async function startLocalApiServer(options: LocalApiServerOptions): Promise<LocalApiServer> {
  const { logger } = options;
  let port = options.port;

  const guardConfig = () => ({ token: options.token, port, extraOrigins: [DESKTOP_APP_ORIGIN] });

  const httpServer = http.createServer((request, response) => {
    if (!isLoopbackHost(request.headers.host, port)) {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Forbidden host\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname === TOKEN_CHECK_PATH) {
      // Browsers cannot see why a WebSocket handshake failed; this tells the dashboard "wrong token" from "agent down".
      const token = request.headers[TOKEN_CHECK_HEADER];
      const verdict = checkUpgrade(
        {
          host: request.headers.host,
          origin: request.headers.origin,
          protocols: clientProtocols(typeof token === 'string' ? token : '').join(','),
        },
        guardConfig(),
      );
      const body = JSON.stringify(
        verdict.ok ? { ok: true } : { error: { code: verdict.code, message: verdict.message } },
      );
      response
        .writeHead(verdict.ok ? 200 : verdict.status, {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
        })
        .end(body);
      return;
    }
    const file = readDashboardFile(options.dashboardRoot, request.url ?? '/', port);
    response.writeHead(file.status, file.headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: HARD_FRAME_LIMIT_BYTES,
    handleProtocols: () => LOCAL_API_PROTOCOL,
  });

  httpServer.on('upgrade', (request, socket, head) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const verdict =
      pathname === '/api'
        ? checkUpgrade(
            {
              host: request.headers.host,
              origin: request.headers.origin,
              protocols: request.headers['sec-websocket-protocol'],
            },
            guardConfig(),
          )
        : ({ ok: false, status: 400, code: 'not_found', message: 'The local API lives at /api.' } as const);
    if (!verdict.ok) {
      logger.warn({ code: verdict.code, origin: request.headers.origin }, 'local API connection refused');
      const body = JSON.stringify({ error: { code: verdict.code, message: verdict.message } });
      socket.end(
        `HTTP/1.1 ${verdict.status} ${http.STATUS_CODES[verdict.status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => wss.emit('connection', client, request));
  });

  wss.on('connection', (client: WebSocket) => {
    const greeting = options.greeting();
    for (const [event, data] of Object.entries(greeting)) {
      client.send(JSON.stringify({ event, data }));
    }
    client.on('message', async (data, isBinary) => {
      const { text, bytes } = rawText(data);
      const reply = isBinary
        ? { id: null, error: { code: 'malformed_json', message: 'Send requests as text frames of JSON.' } }
        : await dispatchFrame(text, bytes, options.handlers, {
            onUnexpectedError: (error, method) => logger.error({ err: error, method }, 'local API handler failed'),
          });
      if (client.readyState === client.OPEN) client.send(JSON.stringify(reply));
    });
    client.on('error', (error) => logger.warn({ err: error }, 'local API client error'));
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new IdlehiveError(
              'port_in_use',
              `Port ${options.port} on 127.0.0.1 is already in use by another program. Start Idlehive with --port N (0 picks a free port).`,
            )
          : error,
      );
    });
    httpServer.listen(options.port, '127.0.0.1', () => {
      httpServer.removeAllListeners('error');
      resolve();
    });
  });
  port = (httpServer.address() as AddressInfo).port;

  return {
    port,
    broadcast(event, data) {
      const frame = JSON.stringify({ event, data: localApiEvents[event].parse(data) });
      for (const client of wss.clients) {
        if (client.readyState === client.OPEN) client.send(frame);
      }
    },
    clientCount: () => wss.clients.size,
    async close() {
      for (const client of wss.clients) client.close(1001, 'agent stopping');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
