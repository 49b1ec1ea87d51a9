import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, ErrorBody, type Endpoint, type EndpointBody, type EndpointParams, type EndpointQuery, type EndpointResponse } from '@tuopin/domain';
import type { Actor } from '../db/database';
import { appError } from '../errors';
import type { Session } from '../services/auth.service';
import type { AuthService } from '../services/auth.service';

export const SESSION_COOKIE = 'tuopin_sid';
export const CSRF_COOKIE = 'tuopin_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface Call<E extends Endpoint, A> {
  params: EndpointParams<E>;
  query: EndpointQuery<E>;
  body: EndpointBody<E>;
  actor: A;
  session: A extends Actor ? Session : Session | null;
  ip: string | null;
  request: FastifyRequest;
  reply: FastifyReply;
}

type ActorFor<E extends Endpoint> = E['access'] extends 'public' ? Actor | null : Actor;

declare module 'fastify' {
  interface FastifyRequest {
    tuopinSession: Session | null;
  }
}

const errorResponses = Object.fromEntries([400, 401, 403, 404, 409, 423, 429, 500].map((s) => [s, ErrorBody]));

/**
 * Registers one endpoint of the contract. Authentication, the access rule, the password-change gate and
 * CSRF are checked here, for every endpoint, before the request body is even validated.
 */
export function route<E extends Endpoint>(
  app: FastifyInstance,
  auth: AuthService,
  e: E,
  handler: (c: Call<E, ActorFor<E>>) => Promise<EndpointResponse<E>>,
): void {
  const status = e.status ?? 200;
  app.route({
    method: e.method,
    url: e.url,
    schema: {
      summary: e.summary,
      tags: [...e.tags],
      ...(e.params && { params: e.params }),
      ...(e.querystring && { querystring: e.querystring }),
      ...(e.body && { body: e.body }),
      response: { [status]: e.response, ...errorResponses },
      ...(e.access !== 'public' && { security: [{ session: [] }] }),
    },
    config: e.url === '/api/auth/login' ? { rateLimit: { max: app.tuopinLoginLimit, timeWindow: 60_000 } } : {},
    onRequest: async (request) => {
      request.tuopinSession = null;
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.tuopinSession = await auth.session(token);
      if (e.access === 'public') return;
      const s = request.tuopinSession;
      if (!s) throw appError('http.unauthenticated');
      if (e.method !== 'GET' && request.headers[CSRF_HEADER] !== s.csrfToken) {
        throw appError('http.csrf');
      }
      if (e.access === 'session') return;
      if (s.mustChangePassword) throw appError('http.passwordChangeRequired');
      if (e.access !== 'user' && !can(s.actor.role, e.access)) throw appError('http.forbidden');
    },
    handler: async (request, reply) => {
      const s = request.tuopinSession;
      const ip = request.ip ?? null;
      const result = await handler({
        params: request.params as EndpointParams<E>,
        query: request.query as EndpointQuery<E>,
        body: request.body as EndpointBody<E>,
        actor: (s ? { ...s.actor, ip } : null) as ActorFor<E>,
        session: s as Call<E, ActorFor<E>>['session'],
        ip,
        request,
        reply,
      });
      if (reply.statusCode === 200) reply.code(status);
      return result;
    },
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    tuopinLoginLimit: number;
  }
}
