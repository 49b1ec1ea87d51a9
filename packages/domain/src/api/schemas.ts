import { Type, type Static } from 'typebox';
import { ROLES } from '../roles';
import { PERMISSIONS } from '../roles';

export const RegionCode = Type.String({ pattern: '^\\d{12}$', description: '12-digit statistical division code' });
export const RoleSchema = Type.Enum(ROLES, { description: 'User role' });

export const RegionNode = Type.Object(
  {
    code: RegionCode,
    name: Type.String(),
    fullName: Type.String({ description: 'Names from the province down, separated by spaces' }),
    level: Type.Integer({ minimum: 0, maximum: 5 }),
    parentCode: Type.Union([RegionCode, Type.Null()]),
    childCount: Type.Integer(),
  },
  { title: 'RegionNode' },
);
export type RegionNode = Static<typeof RegionNode>;

export const RegionDetail = Type.Object(
  {
    region: RegionNode,
    path: Type.Array(RegionNode, { description: 'Visible ancestors from the top of the user scope down to the region itself' }),
    descendants: Type.Object({
      cities: Type.Integer(),
      counties: Type.Integer(),
      townships: Type.Integer(),
      villages: Type.Integer(),
    }),
  },
  { title: 'RegionDetail' },
);
export type RegionDetail = Static<typeof RegionDetail>;

export const RegionRef = Type.Object({ code: RegionCode, name: Type.String(), fullName: Type.String(), level: Type.Integer() });

export const Me = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    region: RegionRef,
    permissions: Type.Array(Type.Enum(PERMISSIONS)),
    mustChangePassword: Type.Boolean(),
    csrfToken: Type.String({ description: 'Send as the x-csrf-token header on every write' }),
  },
  { title: 'Me' },
);
export type Me = Static<typeof Me>;

export const UserStatus = Type.Enum(['active', 'disabled'] as const);

export const User = Type.Object(
  {
    id: Type.Integer(),
    username: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    region: RegionRef,
    phone: Type.Union([Type.String(), Type.Null()]),
    status: UserStatus,
    mustChangePassword: Type.Boolean(),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastLoginAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'User' },
);
export type User = Static<typeof User>;

export const AuditEntry = Type.Object(
  {
    id: Type.String({ description: 'Sequence number (bigint as string)' }),
    at: Type.String({ format: 'date-time' }),
    actorId: Type.Union([Type.Integer(), Type.Null()]),
    actorName: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    action: Type.String(),
    entity: Type.String(),
    entityId: Type.Union([Type.String(), Type.Null()]),
    regionCode: Type.Union([Type.String(), Type.Null()]),
    changes: Type.Array(
      Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() }),
    ),
    reason: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;
