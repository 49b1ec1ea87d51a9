import type { FastifyInstance } from 'fastify';
import { api } from '@tuopin/domain';
import type { Services } from '../services/container';
import { route } from '../http/route';

export function userRoutes(app: FastifyInstance, s: Services) {
  route(app, s.auth, api.userList, ({ actor, query }) => s.users.list(actor, query));
  route(app, s.auth, api.userExport, async ({ actor, query, reply }) => {
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('用户列表.csv')}`);
    return (await s.users.exportCsv(actor, query)) as unknown as string;
  });
  route(app, s.auth, api.userGet, ({ actor, params }) => s.users.get(actor, params.id));
  route(app, s.auth, api.userCreate, ({ actor, body }) => s.users.create(actor, body));
  route(app, s.auth, api.userUpdate, ({ actor, params, body }) => s.users.update(actor, params.id, body));
  route(app, s.auth, api.userResetPassword, async ({ actor, params, body }) => {
    await s.users.resetPassword(actor, params.id, body);
    return { ok: true as const };
  });
}
