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

export const PERMISSIONS = [
  'regions:read',
  'users:read',
  'users:write',
  'audit:read',
  'dashboard:read',
  'registry:read',
  'registry:write',
  'registry:reveal',
  'policy:write',
  'rules:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  system_admin: ['regions:read', 'users:read', 'users:write', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal', 'policy:write', 'rules:write'],
  // rules:write: the rules of their own region only (row-level security on rules); national rules need the national scope
  county_admin: ['regions:read', 'users:read', 'users:write', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal', 'policy:write', 'rules:write'],
  township_officer: ['regions:read', 'users:read', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal'],
  village_officer: ['regions:read', 'users:read', 'dashboard:read', 'registry:read', 'registry:write'],
  helper: ['regions:read', 'dashboard:read', 'registry:read'],
  department_officer: ['regions:read', 'dashboard:read', 'registry:read'],
  inspector: ['regions:read', 'users:read', 'audit:read', 'dashboard:read', 'registry:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...ROLE_PERMISSIONS[role]];
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
