/**
 * The API contract. The server registers exactly these endpoints (with these schemas),
 * the OpenAPI document is generated from them, and the web client takes its types from them.
 */
import { Type } from 'typebox';
import { endpoint, Ok } from './endpoint';
import { registryApi } from './registry-routes';
import { qualityApi } from './quality-routes';
import { policyApi } from './policy-routes';
import { rulesApi } from './rules-routes';
import { runsApi } from './runs-routes';
import { monitoringApi } from './monitoring-routes';
import { exitApi } from './exit-routes';
import { assistanceApi } from './assistance-routes';
import { AuditEntry, Id, Me, RegionCode, RegionDetail, RegionNode, RoleSchema, SequenceCursor, User, UserStatus } from './schemas';

const Health = Type.Object({
  status: Type.Enum(['ok', 'degraded'] as const),
  database: Type.Object({
    ok: Type.Boolean(),
    version: Type.Union([Type.String(), Type.Null()]),
    latencyMs: Type.Union([Type.Number(), Type.Null()]),
  }),
  uptimeS: Type.Number(),
  version: Type.String(),
});

const Reason = Type.String({ maxLength: 500, description: 'Why the change is made (kept in the audit log)' });
const IdParams = Type.Object({ id: Id });
const CodeParams = Type.Object({ code: RegionCode });

export const api = {
  health: endpoint({
    method: 'GET', url: '/api/health', summary: 'Service and database status', tags: ['system'], access: 'public',
    response: Health,
  }),

  login: endpoint({
    method: 'POST', url: '/api/auth/login', summary: 'Log in with username and password', tags: ['auth'], access: 'public',
    body: Type.Object({
      username: Type.String({ minLength: 1, maxLength: 64 }),
      password: Type.String({ minLength: 1, maxLength: 128 }),
    }),
    response: Me,
  }),
  logout: endpoint({
    method: 'POST', url: '/api/auth/logout', summary: 'End the current session', tags: ['auth'], access: 'session',
    response: Ok,
  }),
  me: endpoint({
    method: 'GET', url: '/api/auth/me', summary: 'The logged-in user', tags: ['auth'], access: 'session',
    response: Me,
  }),
  changePassword: endpoint({
    method: 'POST', url: '/api/auth/password', summary: 'Change own password', tags: ['auth'], access: 'session',
    body: Type.Object({
      currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
      newPassword: Type.String({ minLength: 1, maxLength: 128 }),
    }),
    response: Ok,
  }),

  regionRoots: endpoint({
    method: 'GET', url: '/api/regions/roots', summary: 'Top of the region tree visible to the user', tags: ['regions'], access: 'regions:read',
    response: Type.Array(RegionNode),
  }),
  regionSearch: endpoint({
    method: 'GET', url: '/api/regions/search', summary: 'Search regions by name or code (as you type)', tags: ['regions'], access: 'regions:read',
    querystring: Type.Object({
      q: Type.String({ minLength: 1, maxLength: 50 }),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
      maxLevel: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    }),
    response: Type.Array(RegionNode),
  }),
  region: endpoint({
    method: 'GET', url: '/api/regions/:code', summary: 'One region with its path and descendant counts', tags: ['regions'], access: 'regions:read',
    params: CodeParams,
    response: RegionDetail,
  }),
  regionChildren: endpoint({
    method: 'GET', url: '/api/regions/:code/children', summary: 'Direct children of a region', tags: ['regions'], access: 'regions:read',
    params: CodeParams,
    response: Type.Array(RegionNode),
  }),

  dashboard: endpoint({
    method: 'GET', url: '/api/dashboard', summary: 'Overview of the user region', tags: ['dashboard'], access: 'dashboard:read',
    querystring: Type.Object({ regionCode: Type.Optional(RegionCode) }),
    response: Type.Object({
      region: RegionNode,
      descendants: RegionDetail.properties.descendants,
      children: Type.Array(Type.Object({ code: RegionCode, name: Type.String(), townships: Type.Integer(), villages: Type.Integer() })),
      users: Type.Object({ total: Type.Integer(), active: Type.Integer(), byRole: Type.Array(Type.Object({ role: RoleSchema, count: Type.Integer() })) }),
      recentChanges: Type.Integer({ description: 'Audit entries in the region during the last 7 days' }),
    }),
  }),

  userList: endpoint({
    method: 'GET', url: '/api/users', summary: 'Users in the region subtree', tags: ['users'], access: 'users:read',
    querystring: Type.Object({
      regionCode: Type.Optional(RegionCode),
      q: Type.Optional(Type.String({ maxLength: 50 })),
      role: Type.Optional(RoleSchema),
      status: Type.Optional(UserStatus),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
      pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
    }),
    response: Type.Object({ items: Type.Array(User), total: Type.Integer() }),
  }),
  userExport: endpoint({
    method: 'GET', url: '/api/users/export.csv', summary: 'The filtered user list as CSV (UTF-8 with BOM, opens in Excel), streamed', tags: ['users'], access: 'users:read',
    querystring: Type.Object({
      regionCode: Type.Optional(RegionCode),
      q: Type.Optional(Type.String({ maxLength: 50 })),
      role: Type.Optional(RoleSchema),
      status: Type.Optional(UserStatus),
    }),
    response: Type.String({ description: 'text/csv' }),
  }),
  userGet: endpoint({
    method: 'GET', url: '/api/users/:id', summary: 'One user', tags: ['users'], access: 'users:read',
    params: IdParams,
    response: User,
  }),
  userCreate: endpoint({
    method: 'POST', url: '/api/users', summary: 'Create a user', tags: ['users'], access: 'users:write', status: 201,
    body: Type.Object({
      username: Type.String({ minLength: 1, maxLength: 64 }),
      displayName: Type.String({ minLength: 1, maxLength: 64 }),
      role: RoleSchema,
      regionCode: RegionCode,
      phone: Type.Optional(Type.Union([Type.String({ pattern: '^1\\d{10}$|^$' }), Type.Null()])),
      password: Type.String({ minLength: 1, maxLength: 128 }),
      reason: Type.Optional(Reason),
    }),
    response: User,
  }),
  userUpdate: endpoint({
    method: 'PATCH', url: '/api/users/:id', summary: 'Change a user', tags: ['users'], access: 'users:write',
    params: IdParams,
    body: Type.Object({
      displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      role: Type.Optional(RoleSchema),
      regionCode: Type.Optional(RegionCode),
      phone: Type.Optional(Type.Union([Type.String({ pattern: '^1\\d{10}$|^$' }), Type.Null()])),
      status: Type.Optional(UserStatus),
      reason: Type.Optional(Reason),
    }),
    response: User,
  }),
  userResetPassword: endpoint({
    method: 'POST', url: '/api/users/:id/reset-password', summary: 'Set a new temporary password; the user must change it at next login', tags: ['users'], access: 'users:write',
    params: IdParams,
    body: Type.Object({ newPassword: Type.String({ minLength: 1, maxLength: 128 }), reason: Type.Optional(Reason) }),
    response: Ok,
  }),

  auditList: endpoint({
    method: 'GET', url: '/api/audit', summary: 'Audit log in the user region, newest first; ID numbers and phones masked unless revealed (logged)', tags: ['audit'], access: 'audit:read',
    querystring: Type.Object({
      reveal: Type.Optional(Type.Boolean({ description: 'Show full ID numbers and phones (roles that may reveal them; logged)' })),
      entity: Type.Optional(Type.String({ maxLength: 64 })),
      entityId: Type.Optional(Type.String({ maxLength: 64 })),
      regionCode: Type.Optional(RegionCode),
      before: Type.Optional(SequenceCursor),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    }),
    response: Type.Object({ items: Type.Array(AuditEntry), nextBefore: Type.Union([Type.String(), Type.Null()]) }),
  }),
  ...registryApi,
  ...qualityApi,
  ...policyApi,
  ...rulesApi,
  ...runsApi,
  ...monitoringApi,
  ...exitApi,
  ...assistanceApi,
} as const;

export type Api = typeof api;
