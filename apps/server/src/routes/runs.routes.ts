import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

/** Background runs (services/runs.ts): any kind's run, polled by the web's useRun, and its retry. */
export function runsRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.runGet, ({ actor, params }) => s.runs.get(actor, params.id));
  route(app, s.auth, api.runRetry, ({ actor, params }) => s.runs.retry(actor, params.id));
}
