import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function policyRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.policyEffective, ({ actor, query }) => s.policy.effective(actor, query.regionCode, query.year));
  route(app, s.auth, api.policySet, ({ actor, body }) => s.policy.set(actor, body));
  route(app, s.auth, api.policyClear, ({ actor, body }) => s.policy.clear(actor, body));
  route(app, s.auth, api.policyHistory, ({ actor, query }) => s.policy.history(actor, query.regionCode, query.key));
}
