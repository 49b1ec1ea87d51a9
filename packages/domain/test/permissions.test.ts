/**
 * The per-workflow permissions (issue 11, item 6): the role → permission table, and that it grants every role exactly
 * what it could do with the ten coarse permissions it replaced (registry:read/write/reveal guarded every registry,
 * monitoring, rules and quality endpoint; the finer limits were role lists inside the services and pages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, can, PERMISSIONS, permissionsOf, PROCEDURE_STEPS, ROLES, rolesWith, WRITE_PERMISSIONS, type Permission, type Role } from '../src/index';

/** The coarse table before the change (kept here as the reference for "no behaviour change"). */
const LEGACY: Record<Role, readonly string[]> = {
  system_admin: ['regions:read', 'users:read', 'users:write', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal', 'policy:write', 'rules:write'],
  county_admin: ['regions:read', 'users:read', 'users:write', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal', 'policy:write', 'rules:write'],
  township_officer: ['regions:read', 'users:read', 'audit:read', 'dashboard:read', 'registry:read', 'registry:write', 'registry:reveal'],
  village_officer: ['regions:read', 'users:read', 'dashboard:read', 'registry:read', 'registry:write'],
  helper: ['regions:read', 'dashboard:read', 'registry:read'],
  department_officer: ['regions:read', 'dashboard:read', 'registry:read'],
  inspector: ['regions:read', 'users:read', 'audit:read', 'dashboard:read', 'registry:read'],
};

/** What each coarse permission guarded, in the new vocabulary (endpoints and page guards). */
const EXPANSION: Record<string, readonly Permission[]> = {
  'regions:read': ['regions:read', 'policy:read'],
  'users:read': ['users:read'],
  'users:write': ['users:write'],
  'audit:read': ['audit:read'],
  'dashboard:read': ['dashboard:read'],
  'registry:read': ['households:read', 'imports:read', 'quality:read', 'rules:read', 'clues:read', 'procedures:read', 'publicity:read', 'exit:read', 'measures:read'],
  'registry:write': ['households:write', 'members:write', 'imports:run', 'quality:run', 'rules:run', 'clues:create', 'clues:dismiss', 'measures:write'],
  'registry:reveal': ['households:reveal'],
  'policy:write': ['policy:write'],
  'rules:write': ['rules:write'],
};

/**
 * Abilities that registry:write alone did not give: the services and pages narrowed them by role lists, now permissions.
 * Each is registry:write ∧ (the roles of the old inline list).
 */
const REFINED: Record<string, readonly Role[]> = {
  // monitoring.service clueAssign: ['township_officer', 'county_admin', 'system_admin']
  'clues:assign': ['system_admin', 'county_admin', 'township_officer'],
  // the first step of both procedures is the village's or the township's (roleProblem at the start)
  'procedures:start': ['township_officer', 'village_officer'],
  // the roles of the steps: village, township, county (a national system administrator signs none)
  'procedures:sign': ['county_admin', 'township_officer', 'village_officer'],
  // assignees and named verifiers: `u.role in ('township_officer', 'village_officer')`
  'clues:verify': ['township_officer', 'village_officer'],
  'procedures:verify': ['township_officer', 'village_officer'],
};

test('every role keeps exactly what the coarse table gave it', () => {
  for (const role of ROLES) {
    const expected = new Set<Permission>(LEGACY[role].flatMap((p) => EXPANSION[p]!));
    for (const [p, roles] of Object.entries(REFINED)) {
      if (roles.includes(role)) {
        assert.ok(LEGACY[role].includes('registry:write'), `${role} gets ${p} only with what was registry:write`);
        expected.add(p as Permission);
      }
    }
    assert.deepEqual(permissionsOf(role), PERMISSIONS.filter((p) => expected.has(p)), role);
  }
  for (const [p, roles] of Object.entries(REFINED)) assert.deepEqual(rolesWith(p as Permission), ROLES.filter((r) => roles.includes(r)), p);
});

test('the inspector never has a write permission; helpers and department officers only read', () => {
  for (const p of WRITE_PERMISSIONS) assert.ok(!can('inspector', p), p);
  for (const role of ['helper', 'department_officer'] as const) {
    assert.deepEqual(permissionsOf(role).filter((p) => WRITE_PERMISSIONS.includes(p)), [], role);
    // nothing of users, audit or private fields
    for (const p of ['users:read', 'audit:read', 'households:reveal'] as const) assert.ok(!can(role, p), `${role} ${p}`);
  }
  assert.ok(!can('village_officer', 'households:reveal'));
  assert.ok(!can('village_officer', 'clues:assign'));
  assert.ok(!can('township_officer', 'users:write'));
  assert.ok(!can('township_officer', 'rules:write') && !can('township_officer', 'policy:write'));
});

test('the vocabulary: workflow:action, every permission granted to some role, writes named', () => {
  assert.equal(new Set(PERMISSIONS).size, PERMISSIONS.length);
  for (const p of PERMISSIONS) {
    assert.match(p, /^[a-z]+:[a-z]+$/, p);
    assert.ok(rolesWith(p).length > 0, `${p} is granted to no role`);
  }
  for (const p of WRITE_PERMISSIONS) assert.ok(PERMISSIONS.includes(p), p);
  // a read permission is one that is not a write permission, by name too
  for (const p of PERMISSIONS) if (p.endsWith(':read')) assert.ok(!WRITE_PERMISSIONS.includes(p), p);
  // every role reads the regions (the region picker of every page)
  for (const r of ROLES) assert.ok(can(r, 'regions:read'), r);
});

test('the procedures: whoever a step belongs to may sign, whoever the first step belongs to may start', () => {
  for (const steps of Object.values(PROCEDURE_STEPS)) {
    for (const s of steps) for (const r of s.roles) assert.ok(can(r, 'procedures:sign'), `${s.code}: ${r}`);
    assert.deepEqual([...steps[0]!.roles].sort(), rolesWith('procedures:start').sort());
  }
  const signing = new Set(Object.values(PROCEDURE_STEPS).flatMap((steps) => steps.flatMap((s) => s.roles)));
  assert.deepEqual(rolesWith('procedures:sign').sort(), [...signing].sort());
});

test('every endpoint of the contract names its access deliberately', () => {
  const GENERAL = new Set(['public', 'session', 'user']);
  for (const [name, e] of Object.entries(api)) {
    assert.ok(GENERAL.has(e.access) || (PERMISSIONS as readonly string[]).includes(e.access), `${name}: ${e.access}`);
    // a read needs no write permission; a change needs one (the dry run of a rule only reads, in a POST for its body)
    if (e.method === 'GET') assert.ok(!WRITE_PERMISSIONS.includes(e.access as Permission), `${name} is a GET guarded by ${e.access}`);
    else if (!GENERAL.has(e.access) && name !== 'ruleDryRun') assert.ok(WRITE_PERMISSIONS.includes(e.access as Permission), `${name} changes data but is guarded by ${e.access}`);
  }
});
