import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function exitRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.exitRegion, ({ actor, query }) => s.exit.region(actor, query));
  route(app, s.auth, api.exitHouseholds, ({ actor, query }) => s.exit.households(actor, query));
  route(app, s.auth, api.exitHousehold, ({ actor, params, query }) => s.exit.household(actor, params.countyCode, params.id, query.year));
}
