import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function rulesRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.rulesList, ({ actor }) => s.rules.list(actor));
  route(app, s.auth, api.householdRuleFacts, ({ actor, params, query }) => s.rules.householdFacts(actor, params.countyCode, params.id, query.year));
  route(app, s.auth, api.ruleVersions, ({ actor, params }) => s.rules.versions(actor, params.id));
  route(app, s.auth, api.ruleCreate, ({ actor, body }) => s.rules.create(actor, body));
  route(app, s.auth, api.ruleUpdate, ({ actor, params, body }) => s.rules.update(actor, params.id, body));
  route(app, s.auth, api.ruleDryRun, ({ actor, body }) => s.rules.dryRun(actor, body));
  route(app, s.auth, api.ruleRunStart, ({ actor, body }) => s.rules.start(actor, body));
  route(app, s.auth, api.ruleRunGet, ({ actor, params }) => s.rules.getRun(actor, params.id));
  route(app, s.auth, api.ruleRunList, ({ actor }) => s.rules.listRuns(actor));
}
