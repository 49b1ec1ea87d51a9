import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function qualityRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.qualityRunStart, ({ actor, body }) => s.quality.start(actor, body));
  route(app, s.auth, api.qualityRunGet, ({ actor, params }) => s.quality.get(actor, params.id));
  route(app, s.auth, api.qualityLatest, ({ actor, query }) => s.quality.latest(actor, query));
  route(app, s.auth, api.qualitySummary, ({ actor, params, query }) => s.quality.summary(actor, params.id, query.area));
  route(app, s.auth, api.qualityFindings, ({ actor, params, query }) => s.quality.findings(actor, params.id, query));
  route(app, s.auth, api.qualityFindingsCsv, async ({ actor, params, query, reply }) => {
    const { stream, fileName } = await s.quality.findingsCsv(actor, params.id, query);
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    return stream as unknown as string;
  });
  route(app, s.auth, api.qualityHousehold, ({ actor, params, query }) => s.quality.household(actor, params.countyCode, params.id, query.year));
}
