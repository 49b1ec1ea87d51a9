import { Type, type Static } from 'typebox';
import { ROLES } from '../roles';
import { PERMISSIONS } from '../roles';

export const RegionCode = Type.String({ pattern: '^\\d{12}$', description: '12-digit statistical division code' });
export const RoleSchema = Type.Enum(ROLES, { description: 'User role' });

/*
 * Bounds of request values, one definition for the whole contract (docs/architecture.md, "Limits of request values").
 * Every string of a request has a length limit, every number and integer a range; the server refuses anything
 * outside with a 400 naming the field, before a service or the database sees it.
 */

/**
 * Largest id a request may name. Ids are bigint in the database (up to 2^63−1), but a JSON number is exact only up to
 * 2^53−1, so the contract stops there: a larger id cannot name a row the server could find.
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;
/** A row id (path parameter or body field). */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });
/** The id part of a keyset cursor: at most 15 digits, so always below MAX_ID. */
export const CURSOR_ID = '\\d{1,15}';
/** A keyset cursor that is an id. */
export const IdCursor = Type.String({ pattern: `^${CURSOR_ID}$`, description: 'Keyset cursor (next from the previous page)' });
/** A bigint sequence number as a string (the audit log): at most 18 digits, so always a valid bigint. */
export const SequenceCursor = Type.String({ pattern: '^\\d{1,18}$', description: 'Keyset cursor: entries with a lower sequence number' });

/**
 * A date of a request: 'YYYY-MM-DD', a real calendar day from 1900 to 2100. The format `date` is the domain's isIsoDate
 * (registered by the server for its validator), so 2026-02-30, 2025-02-29 and 0000-01-01 are refused like a bad format.
 */
export const DateInput = Type.String({ format: 'date', maxLength: 10, description: 'YYYY-MM-DD (a real calendar day, 1900–2100)' });

/** Amounts of money in yuan: within what the registry's numeric(12,2) columns hold and any household could have. */
export const MAX_YUAN = 100_000_000;
export const Yuan = Type.Number({ minimum: -MAX_YUAN, maximum: MAX_YUAN });

/**
 * Length limits of text fields, in characters (documented in docs/architecture.md). Import cells have the same limits
 * (registry/limits.ts, TEXT_LIMITS).
 */
export const TEXT = {
  /** A code of a code table, a step or family code */
  code: 40,
  /** A search as you type */
  search: 50,
  /** A person's or a user's name */
  name: 50,
  /** A short title (a rule name, a measure's title) */
  title: 200,
  /** A reason kept in the audit log */
  reason: 500,
  /** Free text: a summary, findings, a note, a comment */
  free: 2000,
  /** A password (hashed; the strength check refuses short ones) */
  password: 128,
} as const;

/** A required text: at least one character that is not a space (a name of spaces is refused as empty). */
export const RequiredText = (maxLength: number, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...extra });
/** An optional free text of at most `maxLength` characters. */
export const Text = (maxLength: number, extra: Record<string, unknown> = {}) => Type.String({ maxLength, ...extra });

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

/** What an audit entry is about, in words: resolved by the server for the page of entries (within the reader's scope). */
export const AuditSubject = Type.Object(
  {
    household: Type.Union([
      Type.Object({
        countyCode: Type.String(),
        id: Type.Integer(),
        householdNo: Type.String(),
        headName: Type.Union([Type.String(), Type.Null()]),
        villageName: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ], { description: 'The household a registry or monitoring entry belongs to' }),
    kind: Type.Union([Type.String(), Type.Null()], { description: "A procedure's kind, a clue's channel, a measure's family" }),
    name: Type.Union([Type.String(), Type.Null()], { description: "A member's or user's name, a rule's name, an import's file, a policy key" }),
    username: Type.Union([Type.String(), Type.Null()]),
    year: Type.Union([Type.Integer(), Type.Null()]),
    period: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditSubject' },
);

/** A step of a monitoring procedure signed, sent back or rejected, as recorded in the entry. */
export const AuditSignature = Type.Object(
  {
    action: Type.String(),
    step: Type.String(),
    toStep: Type.Union([Type.String(), Type.Null()]),
    on: Type.String(),
    signerName: Type.String(),
    result: Type.Union([Type.String(), Type.Null()], { description: 'agree / disagree / approve / reject where the step has a result' }),
    comment: Type.Union([Type.String(), Type.Null()], { description: 'The comment, reason, findings or minutes given with it' }),
  },
  { title: 'AuditSignature' },
);

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
    actorDisplayName: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "The actor's display name (when the reader may see the user)" })),
    subject: Type.Optional(Type.Union([AuditSubject, Type.Null()])),
    signature: Type.Optional(Type.Union([AuditSignature, Type.Null()])),
  },
  { title: 'AuditEntry' },
);
export type AuditEntry = Static<typeof AuditEntry>;
