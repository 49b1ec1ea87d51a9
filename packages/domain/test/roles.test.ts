import { test } from 'node:test';
import assert from 'node:assert/strict';
import { can, isReadOnlyRole, manageableRoles, permissionsOf, ROLE_REGION_LEVELS, ROLES, USERNAME_RE } from '../src/index';
import { validatePassword } from '../src/password';

test('permissions by role', () => {
  assert.ok(can('county_admin', 'users:write'));
  assert.ok(!can('township_officer', 'users:write'));
  assert.ok(!can('inspector', 'users:write'));
  assert.ok(can('inspector', 'audit:read'));
  assert.ok(!can('helper', 'users:read'));
  for (const r of ROLES) assert.ok(permissionsOf(r).includes('regions:read'), r);
});

test('who manages whom', () => {
  assert.deepEqual(manageableRoles('township_officer'), []);
  assert.ok(!manageableRoles('county_admin').includes('system_admin'));
  assert.ok(manageableRoles('system_admin').includes('system_admin'));
  assert.ok(isReadOnlyRole('inspector'));
  assert.ok(!isReadOnlyRole('county_admin'));
});

test('home region levels fit the role', () => {
  assert.deepEqual([...ROLE_REGION_LEVELS.township_officer], [4]);
  assert.deepEqual([...ROLE_REGION_LEVELS.village_officer], [5]);
  assert.ok(ROLE_REGION_LEVELS.system_admin.includes(0));
});

test('password rules', () => {
  assert.equal(validatePassword('short1'), '密码长度不能少于 8 位');
  assert.equal(validatePassword('onlyletters'), '密码必须同时包含字母和数字');
  assert.equal(validatePassword('12345678'), '密码必须同时包含字母和数字');
  assert.equal(validatePassword('zhang2024x', { username: 'zhang' }), '密码不能包含用户名');
  assert.equal(validatePassword('Good2024pw', { username: 'zhang' }), null);
  assert.ok(USERNAME_RE.test('zx_officer'));
  assert.ok(!USERNAME_RE.test('张三'));
  assert.ok(!USERNAME_RE.test('ab'));
});
