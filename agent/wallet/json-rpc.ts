/**
 * JSON-RPC to the configured chain endpoint, with a timeout per request and
 * retries with backoff for transport failures only. A chain that does not
 * answer becomes one error, `chain_unreachable`, that callers treat as
 * "wait", never as "failed". A JSON-RPC error answer (a revert, a known
 * transaction, a low nonce) is an answer, returned as `RpcAnswerError` at
 * once, never retried: retrying a rejection changes nothing.
 */
import { z } from 'zod';
import { IdlehiveError } from '../errors.ts';

export interface RpcOptions {
  timeoutMs?: number;
  /** Tries per request, including the first. */
  attempts?: number;
  backoffMs?: number;
}

export class RpcAnswerError extends Error {
  readonly rpcCode: number;
  readonly data: unknown;

  constructor(rpcCode: number, message: string, data: unknown) {
    super(message);
    this.name = 'RpcAnswerError';
    this.rpcCode = rpcCode;
    this.data = data;
  }
}

const ResponseSchema = z.union([
  z.object({ jsonrpc: z.literal('2.0'), id: z.number(), result: z.unknown() }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.number().nullable(),
    error: z.object({ code: z.number(), message: z.string(), data: z.unknown().optional() }),
  }),
]);

export interface JsonRpc {
  readonly url: string;
  request(method: string, params: unknown[]): Promise<unknown>;
}

export function jsonRpc(url: string, options: RpcOptions = {}): JsonRpc {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 300;
  let nextId = 1;

  async function once(method: string, params: unknown[]): Promise<unknown> {
    const id = nextId++;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    const body = ResponseSchema.safeParse(await response.json());
    if (!body.success) throw new Error(`an answer that is not JSON-RPC (HTTP ${response.status})`);
    if ('error' in body.data) {
      throw new RpcAnswerError(body.data.error.code, body.data.error.message, body.data.error.data);
    }
    return body.data.result;
  }

  return {
    url,
    async request(method, params) {
      let lastError: unknown;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          return await once(method, params);
        } catch (error) {
          if (error instanceof RpcAnswerError) throw error;
          lastError = error;
          if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
        }
      }
      const why =
        lastError instanceof Error
          ? lastError.cause instanceof Error
            ? lastError.cause.message
            : lastError.message
          : String(lastError);
      throw new IdlehiveError(
        'chain_unreachable',
        `The chain at ${url} did not answer (${why}). Withdrawals wait and continue when it answers again.`,
        { cause: lastError },
      );
    },
  };
}

export function isChainUnreachable(error: unknown): error is IdlehiveError {
  return error instanceof IdlehiveError && error.code === 'chain_unreachable';
}
