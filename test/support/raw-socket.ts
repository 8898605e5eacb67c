/**
 * A WebSocket client that can send what well-behaved clients never do
 * (foreign Host/Origin, binary frames, garbage), built on `ws`.
 */
import WebSocket from 'ws';
import { clientProtocols } from '../../agent/local-api/contract.ts';

export interface RawOpenResult {
  socket: WebSocket | null;
  httpStatus: number | null;
  body: string;
}

export function openRaw(
  url: string,
  options: { token?: string; protocols?: string[]; host?: string; origin?: string } = {},
): Promise<RawOpenResult> {
  const protocols = options.protocols ?? (options.token === undefined ? [] : clientProtocols(options.token));
  const headers: Record<string, string> = {};
  if (options.host) headers.Host = options.host;
  const socket = new WebSocket(url, protocols, { headers, origin: options.origin });
  return new Promise((resolve) => {
    socket.once('open', () => resolve({ socket, httpStatus: 101, body: '' }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ socket: null, httpStatus: response.statusCode ?? null, body }));
    });
    socket.once('error', () => resolve({ socket: null, httpStatus: null, body: '' }));
  });
}

/** Collects every JSON frame the server sends. */
export function collectFrames(socket: WebSocket): unknown[] {
  const frames: unknown[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  return frames;
}

/** The first collected event frame of this name whose data passes the check, or undefined (for waitFor). */
export function eventFrame<T>(frames: readonly unknown[], event: string, matches: (data: T) => boolean): T | undefined {
  for (const frame of frames) {
    const candidate = frame as { event?: string; data?: T };
    if (candidate.event === event && candidate.data !== undefined && matches(candidate.data)) return candidate.data;
  }
  return undefined;
}
