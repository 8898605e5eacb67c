/**
 * The typed client of the network protocol: `call(route, input)` builds the
 * request from the same route table the server registers (network/protocol.ts),
 * validates what it sends and what it gets back with the same schemas, and
 * signs every authenticated request with the session key. Errors come back
 * as NetworkError with the server's code and sentence.
 *
 * Timestamps follow the coordinator's clock: the offset is learned from
 * GET /v1/info and refreshed, with one retry, when the server says a
 * timestamp was out of range or from before its restart.
 */
import type { z } from 'zod';
import { describeError } from '../../agent/errors.ts';
import { type SessionCredentials, signRequestHeaders } from '../auth/request-signing.ts';
import {
  buildPath,
  isBinary,
  protocolRoutes,
  type RouteDefinition,
  type RouteInput,
  type RouteName,
  type RouteOutput,
} from '../protocol.ts';
import { ApiErrorSchema, describeIssues } from '../wire/common.ts';
import { isNetworkErrorCode, NetworkError } from '../wire/errors.ts';
import type { NetworkInfo } from '../wire/info.ts';
import { type HttpAnswer, type HttpExchange, httpExchange } from './http-exchange.ts';

export interface CoordinatorClientOptions {
  /** e.g. http://127.0.0.1:47400 */
  baseUrl: string;
  credentials?: SessionCredentials;
  /** Milliseconds to add to this computer's clock to get the coordinator's. */
  clockOffsetMs?: number;
  /** How requests travel; node:http with kept-alive connections unless given. */
  exchange?: HttpExchange;
  timeoutMs?: number;
}

const CLOCK_ERRORS = new Set(['timestamp_out_of_range', 'timestamp_before_restart']);
const RETRIED = new Set([...CLOCK_ERRORS, 'coordinator_unreachable']);

function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new NetworkError('invalid_request', `${what} is invalid: ${describeIssues(parsed.error)}.`);
  return parsed.data;
}

export class CoordinatorClient {
  readonly baseUrl: string;
  readonly credentials: SessionCredentials | undefined;
  clockOffsetMs: number;
  readonly #exchange: HttpExchange;
  readonly #timeoutMs: number;

  constructor(options: CoordinatorClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.credentials = options.credentials;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    this.#exchange = options.exchange ?? httpExchange;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** A client for the same coordinator that signs with these credentials. */
  withCredentials(credentials: SessionCredentials): CoordinatorClient {
    return new CoordinatorClient({
      baseUrl: this.baseUrl,
      credentials,
      clockOffsetMs: this.clockOffsetMs,
      exchange: this.#exchange,
      timeoutMs: this.#timeoutMs,
    });
  }

  /** GET /v1/info, and the clock offset learned from it. */
  async info(): Promise<NetworkInfo> {
    const sentAt = Date.now();
    const info = await this.call('info', {});
    const receivedAt = Date.now();
    this.clockOffsetMs = info.serverTime - Math.round((sentAt + receivedAt) / 2);
    return info;
  }

  /**
   * Sends once, and once more (freshly signed) when the clock was off or the
   * connection broke before any answer, e.g. a pooled connection to a
   * coordinator that restarted. Every route is safe to repeat: results and
   * releases are idempotent, and a repeated lease only leaves a spare lease
   * to expire and requeue.
   */
  async call<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
    try {
      return await this.#send(name, input);
    } catch (error) {
      if (!(error instanceof NetworkError) || !RETRIED.has(error.code)) throw error;
      if (CLOCK_ERRORS.has(error.code)) await this.info();
      return this.#send(name, input);
    }
  }

  async #send<N extends RouteName>(name: N, input: RouteInput<N>): Promise<RouteOutput<N>> {
    const definition: RouteDefinition = protocolRoutes[name];
    const params = definition.params
      ? (checked(definition.params, input.params, `${name} path parameters`) as Record<string, string>)
      : undefined;
    let path = buildPath(definition.path, params);
    if (definition.query && input.query) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(checked(definition.query, input.query, `${name} query`) as object)) {
        query.set(key, String(value));
      }
      const text = query.toString();
      if (text) path += `?${text}`;
    }
    let body: Uint8Array | undefined;
    const headers: Record<string, string> = {};
    if (definition.body && isBinary(definition.body)) {
      body = input.body as unknown as Uint8Array;
      headers['content-type'] = 'application/octet-stream';
    } else if (definition.body) {
      body = Buffer.from(JSON.stringify(checked(definition.body, input.body, `${name} body`)), 'utf8');
      headers['content-type'] = 'application/json';
    }
    if (definition.auth !== 'none') {
      if (!this.credentials)
        throw new NetworkError('auth_missing', `${name} needs a registered session; register first.`);
      Object.assign(
        headers,
        signRequestHeaders(this.credentials, {
          method: definition.method,
          path,
          body,
          timestamp: Date.now() + this.clockOffsetMs,
        }),
      );
    }
    const answer = await this.#exchange({
      method: definition.method,
      url: `${this.baseUrl}${path}`,
      headers,
      body,
      timeoutMs: this.#timeoutMs,
    }).catch((cause: unknown) => {
      throw new NetworkError(
        'coordinator_unreachable',
        `The coordinator at ${this.baseUrl} did not answer ${name} (${describeError(cause)}); retry later.`,
        {
          cause,
        },
      );
    });
    if (answer.status < 200 || answer.status > 299) throw responseError(answer, name);
    if (isBinary(definition.response)) return new Uint8Array(answer.body) as RouteOutput<N>;
    let json: unknown;
    try {
      json = JSON.parse(answer.body.toString('utf8'));
    } catch {
      throw new NetworkError(
        'internal_error',
        `The coordinator's ${name} reply is not JSON; the URL may point at something other than an Idlehive coordinator.`,
      );
    }
    const parsed = definition.response.safeParse(json);
    if (!parsed.success) {
      throw new NetworkError(
        'internal_error',
        `The coordinator's ${name} reply does not match the protocol (${describeIssues(parsed.error)}); the coordinator and this client speak different versions.`,
      );
    }
    return parsed.data as RouteOutput<N>;
  }
}

function responseError(answer: HttpAnswer, name: string): NetworkError {
  try {
    const body = ApiErrorSchema.parse(JSON.parse(answer.body.toString('utf8')));
    const code = isNetworkErrorCode(body.error.code) ? body.error.code : 'internal_error';
    return new NetworkError(code, body.error.message);
  } catch {
    return new NetworkError(
      answer.status >= 500 ? 'coordinator_busy' : 'invalid_request',
      `The coordinator answered ${name} with HTTP ${answer.status} and no protocol error body.`,
    );
  }
}
