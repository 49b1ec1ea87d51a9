import type { RegionLevel } from './regions';

export const ROLES = [
  'system_admin',
  'county_admin',
  'township_officer',
  'village_officer',
  'helper',
  'department_officer',
  'inspector',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  system_admin: { zh: '系统管理员', en: 'System administrator' },
  county_admin: { zh: '县级管理员', en: 'County administrator' },
  township_officer: { zh: '乡镇工作人员', en: 'Township officer' },
  village_officer: { zh: '村级工作人员', en: 'Village officer' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  department_officer: { zh: '行业部门数据专员', en: 'Department data officer' },
  inspector: { zh: '督查人员（只读）', en: 'Inspector (read-only)' },
};

/** Region levels at which a user of each role may have their home region. */
export const ROLE_REGION_LEVELS: Record<Role, readonly RegionLevel[]> = {
  system_admin: [0, 1],
  county_admin: [1, 2, 3],
  township_officer: [4],
  village_officer: [5],
  helper: [3, 4, 5],
  department_officer: [1, 2, 3],
  inspector: [0, 1, 2, 3, 4],
};

/**
 * The permissions, one vocabulary per workflow (`<workflow>:<action>`). Every endpoint of the API contract names the
 * one it needs (packages/domain/src/api), the server's auth hook checks it, services check further ones through
 * `can`, and the web's route table and buttons read them from the session (`Me.permissions`). A new workflow adds its
 * own permissions here and grants them in ROLE_PERMISSIONS below; nothing else names roles.
 *
 * Region-level limits are not permissions: every request is scoped to the user's region by the database, and a
 * permission applies inside that scope only (e.g. rules:write lets a county administrator write the county's rules;
 * the national rules need a user whose region is the nation; policy:write applies at national, province, city and
 * county level).
 */
export const PERMISSIONS = [
  // regions, dashboard, users, audit
  'regions:read',
  'dashboard:read',
  'users:read',
  'users:write',
  'audit:read',
  // the household registry
  'households:read',
  'households:write',
  'members:write',
  /** full ID numbers and phones on request (household page, audit log) and in exports; always logged */
  'households:reveal',
  'imports:read',
  'imports:run',
  // data quality
  'quality:read',
  'quality:run',
  // policy settings
  'policy:read',
  'policy:write',
  // warning rules and their runs
  'rules:read',
  'rules:write',
  'rules:run',
  // the clue inbox
  'clues:read',
  'clues:create',
  'clues:assign',
  /** may be assigned clues to verify and be named as a verifier of a home visit */
  'clues:verify',
  'clues:dismiss',
  // identification and risk-elimination procedures, publicity, exit assessment
  'procedures:read',
  /** start an identification (from a clue) or a risk elimination: the first step is the village's or township's */
  'procedures:start',
  /** sign or send back a step; which step is the domain's (a step belongs to one level, see monitoring/procedure.ts) */
  'procedures:sign',
  /** confirm a home verification in which the user is named as verifier */
  'procedures:verify',
  'publicity:read',
  'exit:read',
  // assistance measures
  'measures:read',
  'measures:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Permissions that change data (every other one only reads). A read-only role has none of them. */
export const WRITE_PERMISSIONS: readonly Permission[] = [
  'users:write', 'households:write', 'members:write', 'imports:run', 'quality:run', 'policy:write', 'rules:write', 'rules:run',
  'clues:create', 'clues:assign', 'clues:dismiss', 'procedures:start', 'procedures:sign', 'procedures:verify', 'measures:write',
];

/** What every role reads: the registry and all monitoring pages of its region. */
const READ: readonly Permission[] = [
  'regions:read', 'dashboard:read', 'households:read', 'imports:read', 'quality:read', 'policy:read', 'rules:read', 'clues:read',
  'procedures:read', 'publicity:read', 'exit:read', 'measures:read',
];
/** Writing the registry of the region and running its checks. */
const REGISTRY_WRITE: readonly Permission[] = [
  'households:write', 'members:write', 'imports:run', 'quality:run', 'rules:run', 'clues:create', 'clues:dismiss', 'measures:write',
];
/** What the township and village officers do in the procedures: start them, sign their level's steps, verify at home. */
const OFFICER: readonly Permission[] = ['procedures:start', 'procedures:sign', 'clues:verify', 'procedures:verify'];
const ADMIN: readonly Permission[] = ['users:read', 'users:write', 'audit:read', 'households:reveal', 'policy:write', 'rules:write', 'clues:assign'];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // A national system administrator signs no procedure step (each belongs to the village, township or county).
  system_admin: [...READ, ...REGISTRY_WRITE, ...ADMIN],
  // rules:write, policy:write: of their own region only (row-level security); national rules need the national scope
  county_admin: [...READ, ...REGISTRY_WRITE, ...ADMIN, 'procedures:sign'],
  township_officer: [...READ, ...REGISTRY_WRITE, ...OFFICER, 'users:read', 'audit:read', 'households:reveal', 'clues:assign'],
  village_officer: [...READ, ...REGISTRY_WRITE, ...OFFICER, 'users:read'],
  helper: READ,
  department_officer: READ,
  inspector: [...READ, 'users:read', 'audit:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** The permissions of a role, in the order of PERMISSIONS (what the session's Me.permissions lists). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => ROLE_PERMISSIONS[role].includes(p));
}

/** The roles that have a permission (e.g. who may be assigned a clue: rolesWith('clues:verify')). */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((r) => can(r, permission));
}

/** Read-only roles never write business data; the database transaction is opened READ ONLY for them. */
export function isReadOnlyRole(role: Role): boolean {
  return role === 'inspector';
}

/** Roles that a user of `role` may create or manage (always inside their own region). */
export function manageableRoles(role: Role): Role[] {
  if (role === 'system_admin') return [...ROLES];
  if (role === 'county_admin') return ROLES.filter((r) => r !== 'system_admin');
  return [];
}
