import type { FastifyInstance, FastifyReply } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

const attachment = (reply: FastifyReply, type: string, fileName: string) =>
  reply.type(type).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);

export function registryRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.householdList, ({ actor, query }) => s.registry.list(actor, query));
  // The four exports: one stream each, the same filter; the file's type from its format.
  const TYPES = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
  const exports = [
    [api.householdExport, 'households', 'csv'], [api.householdExportXlsx, 'households', 'xlsx'],
    [api.memberExport, 'members', 'csv'], [api.memberExportXlsx, 'members', 'xlsx'],
  ] as const;
  for (const [endpoint, list, format] of exports) {
    route(app, s.auth, endpoint, async ({ actor, query, reply }) => {
      const { stream, fileName } = list === 'households' ? await s.registry.export(actor, query, format) : await s.registry.exportMembers(actor, query, format);
      attachment(reply, TYPES[format], fileName);
      return stream as unknown as string;
    });
  }
  route(app, s.auth, api.householdCreate, ({ actor, body }) => s.registry.createHousehold(actor, body));
  route(app, s.auth, api.householdGet, ({ actor, params, query }) => s.registry.get(actor, params.countyCode, params.id, query.reveal ?? false));
  route(app, s.auth, api.householdHistory, ({ actor, params, query }) => s.registry.history(actor, params.countyCode, params.id, query));
  route(app, s.auth, api.householdUpdate, ({ actor, params, body }) => s.registry.updateHousehold(actor, params.countyCode, params.id, body.changes, body.reason));
  route(app, s.auth, api.memberUpdate, ({ actor, params, body }) =>
    s.registry.updateMember(actor, params.countyCode, params.id, params.memberId, body.changes, body.reason));
  route(app, s.auth, api.incomeUpsert, ({ actor, params, body }) =>
    s.registry.upsertIncome(actor, params.countyCode, params.id, params.year, body.items, body.reason));
  route(app, s.auth, api.statusUpsert, ({ actor, params, body }) => s.registry.upsertStatus(actor, params.countyCode, params.id, params.year, body));
  route(app, s.auth, api.memberAdd, ({ actor, params, body }) => s.registry.addMember(actor, params.countyCode, params.id, body));
  route(app, s.auth, api.memberMove, ({ actor, params, body }) => s.registry.moveMember(actor, params.countyCode, params.id, params.memberId, body));
}
