import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function monitoringRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.clueList, ({ actor, query }) => s.monitoring.clueList(actor, query));
  route(app, s.auth, api.clueCreate, ({ actor, body }) => s.monitoring.clueCreate(actor, body));
  route(app, s.auth, api.clueGet, ({ actor, params }) => s.monitoring.clueGet(actor, params.countyCode, params.id));
  route(app, s.auth, api.clueAssign, ({ actor, body }) => s.monitoring.clueAssign(actor, body));
  route(app, s.auth, api.clueDismiss, ({ actor, params, body }) => s.monitoring.clueDismiss(actor, params.countyCode, params.id, body.reason));
  route(app, s.auth, api.clueDismissBulk, ({ actor, body }) => s.monitoring.clueDismissBulk(actor, body));
  route(app, s.auth, api.clueVerifiers, ({ actor, query }) => s.monitoring.verifiers(actor, query.regionCode));
  route(app, s.auth, api.identificationStart, ({ actor, params }) => s.monitoring.identificationStart(actor, params.countyCode, params.id));
  route(app, s.auth, api.procedureGet, ({ actor, params }) => s.monitoring.procedureGet(actor, params.countyCode, params.id));
  route(app, s.auth, api.procedureSign, ({ actor, params, body }) => s.monitoring.procedureSign(actor, params.countyCode, params.id, body));
  route(app, s.auth, api.procedureSendBack, ({ actor, params, body }) => s.monitoring.procedureSendBack(actor, params.countyCode, params.id, body));
  route(app, s.auth, api.procedureList, ({ actor, query }) => s.monitoring.procedureList(actor, query));
  route(app, s.auth, api.procedureConfirm, ({ actor, params }) => s.monitoring.procedureConfirm(actor, params.countyCode, params.id));
  route(app, s.auth, api.householdMonitoring, ({ actor, params }) => s.monitoring.householdMonitoring(actor, params.countyCode, params.id));
  route(app, s.auth, api.eliminationStart, ({ actor, params }) => s.monitoring.eliminationStart(actor, params.countyCode, params.id));
  route(app, s.auth, api.publicityList, ({ actor, query }) => s.monitoring.publicity(actor, query.regionCode));
}
