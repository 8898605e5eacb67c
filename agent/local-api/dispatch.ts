/**
 * Turns one incoming frame into one reply frame. Every failure becomes an
 * error reply with a code and a sentence; nothing here closes the connection,
 * so one bad message never costs a client its session.
 */
import { describeError, isIdlehiveError } from '../errors.ts';
import {
  describeSchemaIssues,
  isMethodName,
  localApiMethods,
  MAX_MESSAGE_BYTES,
  METHOD_NAMES,
  type MethodName,
  type MethodParams,
  type MethodResult,
  RequestEnvelopeSchema,
  type ServerFrame,
} from './contract.ts';

export type MethodHandlers = {
  [M in MethodName]: (params: MethodParams<M>) => MethodResult<M> | Promise<MethodResult<M>>;
};

export interface DispatchHooks {
  /** Called with unexpected (non-Idlehive) errors, which the client sees only as `internal_error`. */
  onUnexpectedError(error: unknown, method: MethodName): void;
}

function errorFrame(id: string | number | null, code: string, message: string): ServerFrame {
  return { id, error: { code, message } };
}

export async function dispatchFrame(
  raw: string,
  byteLength: number,
  handlers: MethodHandlers,
  hooks: DispatchHooks,
): Promise<ServerFrame> {
  if (byteLength > MAX_MESSAGE_BYTES) {
    return errorFrame(
      null,
      'message_too_large',
      `Messages can be at most ${MAX_MESSAGE_BYTES} bytes; this one was ${byteLength}.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return errorFrame(null, 'malformed_json', 'The message is not valid JSON.');
  }
  const envelope = RequestEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    const id = typeof json === 'object' && json !== null && 'id' in json ? (json as { id: unknown }).id : null;
    const safeId = typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? id : null;
    return errorFrame(
      safeId,
      'malformed_request',
      `A request is {"id", "method", "params"}: ${describeSchemaIssues(envelope.error)}.`,
    );
  }
  const { id, method, params } = envelope.data;
  if (!isMethodName(method)) {
    return errorFrame(id, 'unknown_method', `There is no method "${method}". Methods: ${METHOD_NAMES.join(', ')}.`);
  }
  const parsed = localApiMethods[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    return errorFrame(id, 'invalid_params', `${method}: ${describeSchemaIssues(parsed.error)}.`);
  }
  try {
    const handler = handlers[method] as (p: unknown) => unknown;
    const result = await handler(parsed.data);
    return { id, result: localApiMethods[method].result.parse(result) };
  } catch (error) {
    if (isIdlehiveError(error)) return errorFrame(id, error.code, error.message);
    hooks.onUnexpectedError(error, method);
    return errorFrame(
      id,
      'internal_error',
      `The agent failed unexpectedly while handling ${method} (${describeError(error)}). Details are in the agent log.`,
    );
  }
}
