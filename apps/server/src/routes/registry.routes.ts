import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../app';
import { route } from '../http/route';

export function registryRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.householdList, ({ actor, query }) => s.registry.list(actor, query));
  route(app, s.auth, api.householdGet, ({ actor, params, query }) => s.registry.get(actor, params.countyCode, params.id, query.reveal ?? false));
}
