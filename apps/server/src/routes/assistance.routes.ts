import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function assistanceRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.measureList, ({ actor, params }) => s.assistance.list(actor, params.countyCode, params.id));
  route(app, s.auth, api.measureCreate, ({ actor, params, body }) => s.assistance.create(actor, params.countyCode, params.id, body));
  route(app, s.auth, api.measureEnd, ({ actor, params, body }) => s.assistance.end(actor, params.countyCode, params.id, params.measureId, body));
}
