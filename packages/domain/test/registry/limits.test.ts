/**
 * Limits of registry values: one date check, text lengths and number bounds in the forms' validation and the same
 * limits on import cells; text no field may hold (NUL, unpaired surrogates).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hasBadText, HOUSEHOLD_COLUMNS, INCOME_COLUMNS, isIsoDate, MEMBER_COLUMNS, NUMBER_LIMITS, parseCell, TEXT_LIMITS, validateHousehold,
  validateIncome, validateMember, type Column,
} from '../../src/index';

const col = (cols: readonly Column[], key: string) => cols.find((c) => c.key === key)!;
const REF = { referenceDate: '2025-06-30' };
const field = (problems: { field: string; severity: string; message: string; check: string }[], f: string) => problems.filter((p) => p.field === f && p.severity === 'error');

test('isIsoDate: a real calendar day from 1900 to 2100', () => {
  for (const d of ['2024-02-29', '2000-02-29', '1900-01-01', '2100-12-31', '2026-12-31']) assert.equal(isIsoDate(d), true, d);
  for (const d of ['2025-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '0000-01-01', '1899-12-31', '2101-01-01', '2026-1-01', '2026-01-01T00:00', '', null, 20260101]) {
    assert.equal(isIsoDate(d), false, String(d));
  }
});

test('hasBadText: NUL and unpaired surrogates, not paired ones', () => {
  assert.equal(hasBadText('ab\u0000'), true);
  assert.equal(hasBadText('\ud800'), true);
  assert.equal(hasBadText('a\udc00b'), true);
  assert.equal(hasBadText('\udc00\ud800'), true);
  assert.equal(hasBadText('张三😀𠀀'), false);
  assert.equal(hasBadText(''), false);
});

test('text limits in the household and member validation', () => {
  const long = (n: number) => '路'.repeat(n);
  assert.equal(field(validateHousehold({ address: long(TEXT_LIMITS.address) }, REF), 'address').length, 0);
  assert.deepEqual(field(validateHousehold({ address: long(TEXT_LIMITS.address + 1) }, REF), 'address').map((p) => p.message), ['详细地址不能超过200个字符']);
  assert.deepEqual(field(validateHousehold({ phone: '1'.repeat(100_000) }, REF), 'phone').map((p) => p.message), ['联系电话不能超过20个字符']);
  assert.deepEqual(field(validateMember({ name: '张'.repeat(51) }, REF), 'name').map((p) => p.message), ['姓名不能超过50个字符']);
  assert.deepEqual(field(validateMember({ employer: 'x'.repeat(101) }, REF), 'employer').map((p) => p.message), ['务工企业名称不能超过100个字符']);
  // A runaway code is not echoed back in full
  const code = field(validateHousehold({ housingRating: 'Z'.repeat(10_000) as never }, REF), 'housingRating')[0]!;
  assert.ok(code.message.length < 60, code.message);
});

test('number bounds: what the columns hold; months are whole', () => {
  assert.deepEqual(field(validateHousehold({ housingArea: 1e308 }, REF), 'housingArea').map((p) => p.message), [`住房面积不能大于${NUMBER_LIMITS.housingArea}`]);
  assert.equal(field(validateHousehold({ land: { cultivated: 1e20 } as never }, REF), 'land.cultivated').length, 1);
  assert.equal(field(validateHousehold({ roadDistanceKm: 1e4 }, REF), 'roadDistanceKm').length, 1);
  assert.deepEqual(field(validateMember({ workMonths: 1.5 }, REF), 'workMonths').map((p) => p.message), ['务工时间（月）应为整数']);
  assert.equal(field(validateMember({ publicWelfareMonths: 2.5 }, REF), 'publicWelfareMonths').length, 1);
  assert.equal(field(validateMember({ monthlyWorkIncome: 1e20 }, REF), 'monthlyWorkIncome').length, 1);
  assert.equal(field(validateIncome({ year: 2025, otherWage: 1e20 }, REF), 'otherWage').length, 1);
  assert.equal(field(validateIncome({ year: 2025, operatingIncome: -1e20 }, REF), 'operatingIncome').length, 1);
  assert.equal(field(validateIncome({ year: 2025, otherWage: 99_999_999.99, operatingIncome: -5000 }, REF), 'otherWage').length, 0);
});

test('a blank text in an optional code is refused (null means not recorded)', () => {
  assert.deepEqual(field(validateHousehold({ housingRating: '' as never }, REF), 'housingRating').map((p) => p.check), ['code']);
  assert.equal(field(validateHousehold({ housingRating: null }, REF), 'housingRating').length, 0);
});

test('import cells: the same text limits, and bad text refused', () => {
  const address = col(HOUSEHOLD_COLUMNS, 'address');
  assert.deepEqual(parseCell(address, '路'.repeat(200)), { value: '路'.repeat(200) });
  assert.deepEqual(parseCell(address, '路'.repeat(10_000_000)), { problem: '内容过长（10000000 个字符，最多 200 个）', code: 'import.cell.tooLong', params: { length: 10_000_000, max: 200 } });
  assert.deepEqual(parseCell(col(HOUSEHOLD_COLUMNS, 'phone'), '1'.repeat(100_000)), { problem: '内容过长（100000 个字符，最多 20 个）', code: 'import.cell.tooLong', params: { length: 100_000, max: 20 } });
  assert.deepEqual(parseCell(col(MEMBER_COLUMNS, 'name'), '张'.repeat(51)), { problem: '内容过长（51 个字符，最多 50 个）', code: 'import.cell.tooLong', params: { length: 51, max: 50 } });
  // Cells of other types: a runaway cell is refused before it is parsed or quoted
  assert.deepEqual(parseCell(col(INCOME_COLUMNS, 'otherWage'), '9'.repeat(300)), { problem: '内容过长（300 个字符，最多 200 个）', code: 'import.cell.tooLong', params: { length: 300, max: 200 } });
  assert.ok('problem' in parseCell(col(MEMBER_COLUMNS, 'employer'), 'a\u0000b'));
  assert.ok('problem' in parseCell(col(MEMBER_COLUMNS, 'employer'), 'a\ud800b'));
});

test('cells exported as ="…" (text kept by spreadsheets) are read back as their text', () => {
  const id = MEMBER_COLUMNS.find((c) => c.key === 'idNumber')!;
  assert.deepEqual(parseCell(id, '="211204197203150011"'), { value: '211204197203150011' });
  const address = HOUSEHOLD_COLUMNS.find((c) => c.key === 'address')!;
  assert.deepEqual(parseCell(address, '="东""华""村"'), { value: '东"华"村' });
  assert.deepEqual(parseCell(address, '=1+1'), { value: '=1+1' });
});
