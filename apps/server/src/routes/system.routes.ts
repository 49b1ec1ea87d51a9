import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

const started = Date.now();

export function systemRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.health, async ({ reply }) => {
    try {
      const p = await s.db.ping();
      return { status: 'ok' as const, database: { ok: true, version: p.version, latencyMs: p.latencyMs }, uptimeS: (Date.now() - started) / 1000, version: s.version };
    } catch {
      reply.code(503);
      return { status: 'degraded' as const, database: { ok: false, version: null, latencyMs: null }, uptimeS: (Date.now() - started) / 1000, version: s.version };
    }
  });
  route(app, s.auth, api.auditList, ({ actor, query }) => s.audit.list(actor, query));
}
