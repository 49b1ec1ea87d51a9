import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHINESE_COMMON_PASSWORDS, validatePassword } from '../src/password';

const WEAK = /^密码太容易被猜到（.+），请使用更长、更没有规律的密码/;

test('common and guessable passwords are refused with the reason (issue 10 item 20)', () => {
  for (const p of ['password1', 'Passw0rd', 'qwerty123', 'Passw0rd1', 'Admin12345', 'Initial123', 'Changed123', 'abc12345', 'iloveyou1']) {
    assert.match(validatePassword(p) ?? '', WEAK, p);
  }
  assert.equal(validatePassword('password1'), '密码太容易被猜到（是常见密码或由常见单词、拼音、姓名组成），请使用更长、更没有规律的密码');
  assert.match(validatePassword('1qaz2wsx3edc') ?? '', /键盘上相邻|常见密码/);
});

test('Chinese-context passwords and pinyin are refused', () => {
  for (const p of ['woaini1314', 'woaini520a', '5201314abc', '123456aa', 'aa123456', 'zhangsan123', 'Zhangsan2024', 'qwe123qwe', 'a1b2c3d4', 'fupin2026', 'tuopin2026', 'liaoning2026']) {
    assert.match(validatePassword(p) ?? '', WEAK, p);
  }
  assert.ok(CHINESE_COMMON_PASSWORDS.includes('5201314'));
});

test("the user's own names are guessable inputs", () => {
  // Strong in general, weak for this person: the display name's Latin part and the user name.
  assert.equal(validatePassword('Xiaofeng#2026', { username: 'wlz' }), null);
  assert.match(validatePassword('Xiaofeng#2026', { username: 'wlz', displayName: '王 xiaofeng' }) ?? '', /包含用户名、姓名或系统名称/);
  assert.equal(validatePassword('cheng-qiao-88', { username: 'zhang' }), null);
  assert.match(validatePassword('chengqiao88', { username: 'zx', displayName: 'chengqiao' }) ?? '', WEAK);
});

test('long irregular passwords pass; the old rules stay', () => {
  for (const p of ['Tl7#kq9Vx2', 'cheng-qiao-88', 'Hq7pWz4nR', 'Good2024pw', 'Qinghe2026ok']) assert.equal(validatePassword(p, { username: 'zhang' }), null, p);
  assert.equal(validatePassword('short1'), '密码长度不能少于 8 位');
  assert.equal(validatePassword('x1'.repeat(65)), '密码长度不能超过 128 位');
  assert.equal(validatePassword('onlylettersandmore'), '密码必须同时包含字母和数字');
  assert.equal(validatePassword('zhang2024x', { username: 'zhang' }), '密码不能包含用户名');
});
