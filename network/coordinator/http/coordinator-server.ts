/**
 * The coordinator's HTTP server: Fastify routes registered from the protocol
 * contract (network/protocol.ts), so a path, method or schema is written only
 * there. Each request is authenticated from its exact bytes (bodies are read
 * raw so the signature covers what was sent), validated, handled, and its
 * reply validated against the response schema before it leaves. Every error
 * is `{"error": {"code", "message"}}` with the code's HTTP status. No answer
 * leaves before the store has committed what it reports (the store may group
 * the commits of one event-loop turn).
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { sha256Hex } from '../../auth/canonical-request.ts';
import type { VerifiedCaller } from '../../auth/request-signing.ts';
import { isBinary, protocolRoutes, ROUTE_NAMES, type RouteDefinition, type RouteName } from '../../protocol.ts';
import { describeIssues, type Role } from '../../wire/common.ts';
import { isNetworkError, NetworkError } from '../../wire/errors.ts';
import type { Delegation } from '../../wire/sessions.ts';
import type { CoordinatorContext } from '../coordinator-context.ts';
import { RequestAuthenticator } from './request-auth.ts';
import { type RouteHandler, routeHandlers } from './route-handlers.ts';
import { SignatureVerifier } from './signature-verifier.ts';

const ROLES: Record<'provider' | 'requester' | 'session', readonly Role[]> = {
  provider: ['provider'],
  requester: ['requester'],
  session: ['provider', 'requester'],
};

/** Fastify's own errors, as protocol errors. */
const FASTIFY_ERRORS: Record<string, [NetworkError['code'], string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    'body_too_large',
    'The request body is larger than this route accepts (see GET /v1/info limits).',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'unsupported_media_type',
    'Send JSON bodies as application/json and blobs as application/octet-stream.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'The Content-Length does not match the body.'],
};

function validate<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new NetworkError('invalid_request', `The request ${where} is invalid: ${describeIssues(parsed.error)}.`);
  }
  return parsed.data;
}

function jsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new NetworkError('invalid_request', 'This route needs a JSON body.');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new NetworkError('malformed_json', 'The request body is not valid JSON.');
  }
}

export function buildCoordinatorServer(ctx: CoordinatorContext, log: Logger): FastifyInstance {
  const { limits } = ctx.settings;
  const app = Fastify({ logger: false, bodyLimit: limits.maxJsonBytes, return503OnClosing: true });
  const handlers = routeHandlers(ctx);
  const verifier = new SignatureVerifier();
  const auth = new RequestAuthenticator(ctx, verifier);
  app.addHook('onClose', () => verifier.close());

  app.removeAllContentTypeParsers();
  for (const type of ['application/json', 'application/octet-stream']) {
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  }

  const handle = async (name: RouteName, definition: RouteDefinition, request: FastifyRequest) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const signed = { method: request.method, path: request.url, headers: request.headers, bodySha256: sha256Hex(raw) };
    let caller: VerifiedCaller | null = null;
    if (definition.auth !== 'none' && definition.auth !== 'delegation')
      caller = await auth.authenticate(signed, ROLES[definition.auth]);

    let body: unknown;
    if (definition.body && isBinary(definition.body)) {
      if (!(request.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
        throw new NetworkError('unsupported_media_type', 'Upload blob bytes as application/octet-stream.');
      }
      body = raw;
    } else if (definition.body) {
      body = validate(definition.body, jsonBody(raw), 'body');
    }
    if (definition.auth === 'delegation') {
      caller = await auth.authenticateRegistration(
        signed,
        (body as { delegation: Delegation }).delegation,
        definition.registers ?? 'provider',
      );
    }
    const params = definition.params ? validate(definition.params, request.params, 'path') : undefined;
    const query = definition.query ? validate(definition.query, request.query, 'query') : undefined;
    const handler = handlers[name] as RouteHandler<RouteName>;
    return handler({ params, query, body } as never, caller);
  };

  for (const name of ROUTE_NAMES) {
    const definition: RouteDefinition = protocolRoutes[name];
    const binaryBody = definition.body !== undefined && isBinary(definition.body);
    app.route({
      method: definition.method,
      url: definition.path,
      bodyLimit: binaryBody ? limits.maxBlobBytes : limits.maxJsonBytes,
      handler: async (request, reply) => {
        let result: unknown;
        try {
          result = await handle(name, definition, request);
        } finally {
          // Nothing leaves before what it reports is committed; a failed commit answers internal_error instead.
          await ctx.store.committed();
        }
        if (isBinary(definition.response)) {
          return reply.type('application/octet-stream').send(Buffer.from(result as unknown as Uint8Array));
        }
        const checked = definition.response.safeParse(result);
        if (!checked.success) {
          throw new Error(`the ${name} reply does not match its schema: ${describeIssues(checked.error)}`);
        }
        return reply.type('application/json').send(JSON.stringify(checked.data));
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({
      error: {
        code: 'route_not_found',
        message: `There is no route ${request.method} ${request.url.split('?')[0]}; see GET /v1/info.`,
      },
    });
  });

  app.setErrorHandler((error, request, reply) => {
    if (isNetworkError(error)) {
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    }
    const code = (error as { code?: string }).code;
    const known = code ? FASTIFY_ERRORS[code] : undefined;
    if (known) {
      const mapped = new NetworkError(known[0], known[1]);
      return reply.code(mapped.status).send({ error: { code: mapped.code, message: mapped.message } });
    }
    log.error({ err: error, method: request.method, url: request.url }, 'coordinator request failed');
    return reply.code(500).send({
      error: {
        code: 'internal_error',
        message: 'The coordinator failed to handle this request; it was logged. Retry later.',
      },
    });
  });

  return app;
}
