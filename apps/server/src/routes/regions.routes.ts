import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function regionRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.regionRoots, ({ actor }) => s.regions.roots(actor));
  route(app, s.auth, api.regionSearch, ({ actor, query }) => s.regions.search(actor, query.q, query.limit ?? 20, query.maxLevel));
  route(app, s.auth, api.region, ({ actor, params }) => s.regions.detail(actor, params.code));
  route(app, s.auth, api.regionChildren, ({ actor, params }) => s.regions.children(actor, params.code));
  route(app, s.auth, api.dashboard, ({ actor, query }) => s.regions.dashboard(actor, query.regionCode));
}
