import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGES, MESSAGE_AREAS, errorStatus, joinMessages, msg, renderMessage, zhText } from '../src/messages/index';

const placeholders = (s: string) => [...s.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).sort();

test('every catalogue entry has a Chinese and an English text with the same placeholders', () => {
  for (const [code, d] of Object.entries(MESSAGES)) {
    assert.ok(d.zh.trim(), `${code}: Chinese text`);
    assert.ok(d.en.trim(), `${code}: English text`);
    assert.ok(!/[\u4e00-\u9fff]/.test(d.en), `${code}: the English text has no Chinese characters`);
    assert.deepEqual(placeholders(d.en), placeholders(d.zh), `${code}: same placeholders in both languages`);
    for (const p of placeholders(d.zh)) assert.match(p!, /^[A-Za-z][A-Za-z0-9_]*$/, `${code}: placeholder {${p}} is a name`);
  }
});

test('codes are unique across areas and each starts with its area', () => {
  const seen = new Map<string, string>();
  for (const [area, entries] of Object.entries(MESSAGE_AREAS)) {
    for (const code of Object.keys(entries)) {
      assert.ok(code.startsWith(`${area}.`), `${code} is in the area ${area}`);
      assert.ok(!seen.has(code), `${code} is defined in ${seen.get(code)} and ${area}`);
      seen.set(code, area);
    }
  }
  assert.equal(seen.size, Object.keys(MESSAGES).length);
});

test('errors carry a status and a kind', () => {
  for (const [code, d] of Object.entries(MESSAGES)) {
    const def = d as { status?: number; kind?: string };
    if (def.kind) assert.ok(def.status, `${code}: an error with a kind has a status`);
  }
  assert.deepEqual(errorStatus('import.busy'), { status: 409, kind: 'CONFLICT' });
  assert.deepEqual(errorStatus('http.unauthenticated'), { status: 401, kind: 'UNAUTHENTICATED' });
});

test('rendering fills params in the language, label pairs and nested messages included', () => {
  assert.equal(zhText('import.fileTooLarge', { name: 'a.xlsx', mb: 50 }), '文件“a.xlsx”超过 50 MB');
  assert.equal(renderMessage(msg('import.fileTooLarge', { name: 'a.xlsx', mb: 50 }), 'en'), 'The file “a.xlsx” is larger than 50 MB');
  const role = { zh: '村级工作人员', en: 'Village officer' };
  assert.equal(renderMessage(msg('users.roleDenied', { role }), 'en'), 'You may not manage users of the role “Village officer”');
  const weak = msg('auth.password.weak', { reason: msg('auth.password.reason.repeat') });
  assert.equal(renderMessage(weak, 'zh'), '密码太容易被猜到（含重复的字符或片段），请使用更长、更没有规律的密码');
  assert.equal(renderMessage(weak, 'en'), 'The password is too easy to guess (it repeats characters or parts); use a longer, less regular one');
  const list = joinMessages([msg('assistance.titleRequired'), msg('assistance.startInvalid')]);
  assert.deepEqual(list, { zh: '请填写措施内容；开始日期不正确', en: 'Describe the measure; The start date is not a valid date' });
  assert.equal(renderMessage({ code: 'no.such.code' }, 'en'), undefined);
});

test('params are type-checked against the placeholders', () => {
  // @ts-expect-error a missing parameter
  msg('import.fileTooLarge', { name: 'a' });
  // @ts-expect-error an unknown code
  msg('import.noSuchCode');
  msg('import.busy');
  assert.ok(true);
});

test('the registry validators report catalogue codes whose English names the field in English', async () => {
  const { validateHousehold, validateMember, validateIncome, validateYearStatus } = await import('../src/registry/validate');
  const opts = { referenceDate: '2026-06-30' };
  const bad = {
    householdNo: '', villageCode: 'x', countyCode: '1', address: 5, phone: 'abc', attribute: 'zz', isMilitaryFamily: 'y',
    identifiedYear: 1990, exitYear: 2.5, mainCause: '', otherCauses: ['a', 'a', 'b'], land: { cultivated: -1, forest: 'x', orchard: 1e9 },
    housingRating: '', housingArea: -2, relocated: false, relocationKeysReceived: true, safeWater: false, roadDistanceKm: 'far',
  } as never;
  const member = {
    idType: 'x', idNumber: 7, name: 'a1', relation: '', sex: 'q', birthDate: '2030-01-01', health: ['healthy', 'disabled', 'healthy'],
    disabilityCategory: 'q', workMonths: 13, employer: 4, medicalInsurance: '', labour: '',
  } as never;
  const problems = [
    ...validateHousehold(bad, opts), ...validateMember(member, opts),
    ...validateIncome({ year: 2000, otherWage: 1.234, pension: -1, operatingIncome: 'x' } as never, opts),
    ...validateYearStatus({ year: 2026, status: 'ordinary', exitYear: 2027, monitored: false, monitoredType: 'marginal', riskTypes: ['a', 'a', 'b', 'c', 'd', 'e'] } as never, opts),
  ];
  assert.ok(problems.length > 40, `${problems.length} problems`);
  for (const p of problems) {
    assert.ok(p.code, `${p.field} ${p.check}: ${p.message} has a code`);
    assert.equal(renderMessage({ code: p.code!, params: p.params }, 'zh'), p.message, `${p.code}: the message is the code's Chinese text`);
    const en = renderMessage({ code: p.code!, params: p.params }, 'en')!;
    assert.ok(!/[\u4e00-\u9fff]/.test(en), `${p.code}: “${en}” has no Chinese`);
  }
});

test('the ID-number parser reports catalogue messages, nested for a disability certificate', async () => {
  const { parseIdNumber, checkIdRegion } = await import('../src/registry/idnumber');
  const r = parseIdNumber('12345', { referenceDate: '2026-06-30' });
  assert.ok(!r.ok);
  assert.equal(r.error, '长度应为18位（当前5位）');
  assert.equal(renderMessage(r.problem, 'en'), 'An ID number has 18 characters (5 given)');
  const cert = parseIdNumber('21120419800101001011', { referenceDate: '2026-06-30' });
  assert.ok(!cert.ok);
  assert.equal(cert.error, renderMessage(cert.problem, 'zh'));
  assert.match(renderMessage(cert.problem, 'en')!, /^The ID number within the disability certificate number is wrong: Wrong check character/);
  const w = checkIdRegion('110101198001010019', '211204');
  assert.equal(w.warning, '证件号码前6位（110101）与所在地区（211204）不一致，请核实（户籍迁移的可忽略）');
  assert.ok(!/[\u4e00-\u9fff]/.test(renderMessage(w.warningMessage!, 'en')!));
});
