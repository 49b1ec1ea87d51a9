import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkIdRegion, convertId15To18, idCheckCharacter, isValidIdNumber, isValidProvinceCode, maskIdNumber, maskPhone, parseIdNumber,
} from '../../src/index';
import { breakCheck, makeId, REF, testCheckChar } from './fixtures';

const opts = { referenceDate: REF };

function parseOk(raw: string) {
  const r = parseIdNumber(raw, opts);
  if (!r.ok) assert.fail(`expected ${raw} to parse, got ${r.error}`);
  return r;
}
function parseErr(raw: string): string {
  const r = parseIdNumber(raw, opts);
  if (r.ok) assert.fail(`expected ${raw} to be rejected`);
  return r.error;
}

test('check character agrees with an independent implementation on 2,000 numbers', () => {
  let seed = 20250630;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const seen = new Set<string>();
  for (let n = 0; n < 2000; n++) {
    const first17 = Array.from({ length: 17 }, () => String(rnd() % 10)).join('');
    const c = idCheckCharacter(first17);
    assert.equal(c, testCheckChar(first17), first17);
    seen.add(c);
  }
  assert.equal(seen.size, 11, 'all eleven check characters occur');
  assert.throws(() => idCheckCharacter('123'), /17 digits/);
});

test('a published example number (GB 11643) parses', () => {
  const r = parseOk('11010519491231002X');
  assert.equal(r.kind, 'resident_id');
  assert.equal(r.normalized, '11010519491231002X');
  assert.equal(r.residentId, '11010519491231002X');
  assert.equal(r.birthDate, '1949-12-31');
  assert.equal(r.sex, 'female', '17th digit 2 is even');
  assert.equal(r.provinceCode, '11');
  assert.equal(r.regionPrefix, '110105');
  assert.equal(r.converted15, false);
  assert.equal(r.disabilityCategory, undefined);
});

test('constructed numbers: sex from the 17th digit, birth date from digits 7–14', () => {
  const male = parseOk(makeId('211204', '19900307', '123'));
  assert.equal(male.sex, 'male');
  assert.equal(male.birthDate, '1990-03-07');
  const female = parseOk(makeId('211204', '19900307', '124'));
  assert.equal(female.sex, 'female');
  assert.equal(makeId('211204', '19900307', '123'), '211204199003071232');
});

test('lower-case x is accepted and normalised, white space and full-width digits tolerated', () => {
  const r = parseOk('11010519491231002x');
  assert.equal(r.normalized, '11010519491231002X');
  assert.equal(parseOk(' 110105 19491231 002X ').normalized, '11010519491231002X');
  assert.equal(parseOk('１１０１０５１９４９１２３１００２Ｘ').normalized, '11010519491231002X');
  assert.equal(parseOk("'11010519491231002X").normalized, '11010519491231002X', 'Excel text prefix');
});

test('wrong check character names the expected one', () => {
  const id = makeId('211204', '19900307', '123');
  assert.equal(parseErr(breakCheck(id)), `校验位错误（应为${id[17]}）`);
  assert.equal(parseErr('110105194912310021'), '校验位错误（应为X）');
  assert.equal(isValidIdNumber('110105194912310021', opts), false);
  assert.equal(isValidIdNumber('11010519491231002X', opts), true);
});

test('length and format errors', () => {
  assert.equal(parseErr('11010519491231002'), '长度应为18位（当前17位）');
  assert.equal(parseErr('1101051949123100211'), '长度应为18位（当前19位）');
  assert.equal(parseErr(''), '证件号码不能为空');
  assert.equal(parseErr('   '), '证件号码不能为空');
  assert.match(parseErr('1101051949123100X2'), /^格式错误/);
  assert.match(parseErr('11010519491231A02X'), /^格式错误/);
});

test('birth dates: 29 February only in leap years, not before 1900, not in the future', () => {
  assert.equal(parseOk(makeId('211204', '20000229', '002')).birthDate, '2000-02-29');
  assert.equal(parseOk(makeId('211204', '20240229', '002')).birthDate, '2024-02-29');
  assert.equal(parseErr(makeId('211204', '20010229', '002')), '出生日期无效：20010229不是有效日期');
  assert.equal(parseErr(makeId('211204', '19000229', '002')), '出生日期无效：19000229不是有效日期', '1900 is not a leap year');
  assert.match(parseErr(makeId('211204', '19901301', '002')), /^出生日期无效/);
  assert.match(parseErr(makeId('211204', '19900431', '002')), /^出生日期无效/);
  // the standard's own example has a valid check character but was born in 1880
  assert.equal(parseErr('440524188001010014'), '出生日期无效：18800101早于1900年');
  assert.equal(parseErr(makeId('211204', '20250701', '002')), '出生日期无效：20250701晚于当前日期');
  assert.equal(parseOk(makeId('211204', '20250630', '002')).birthDate, '2025-06-30', 'born on the reference date');
});

test('province code must be valid', () => {
  assert.equal(parseErr(makeId('991204', '19900307', '123')), '地区码错误：前两位“99”不是有效的省级代码');
  assert.match(parseErr(makeId('241204', '19900307', '123')), /地区码错误/);
  for (const p of ['11', '15', '21', '23', '31', '37', '41', '46', '50', '54', '61', '65', '71', '81', '82']) assert.ok(isValidProvinceCode(p), p);
  for (const p of ['10', '16', '20', '24', '30', '38', '40', '47', '49', '55', '60', '66', '70', '72', '80', '84', '99']) assert.ok(!isValidProvinceCode(p), p);
});

test('old 15-digit numbers are converted to 18', () => {
  assert.equal(convertId15To18('110105491231002'), '11010519491231002X');
  const r = parseOk('110105491231002');
  assert.equal(r.normalized, '11010519491231002X');
  assert.equal(r.converted15, true);
  assert.equal(r.birthDate, '1949-12-31');
  const r2 = parseOk('211204800315011');
  assert.equal(r2.normalized, makeId('211204', '19800315', '011'));
  assert.equal(r2.sex, 'male');
  assert.match(parseErr('110105490231002'), /^出生日期无效/);
  assert.match(parseErr('11010549123100X'), /^格式错误/);
  assert.equal(convertId15To18('12345'), null);
});

test('disability certificates: 20 and 22 characters', () => {
  const id = makeId('211204', '19751102', '013');
  const r = parseOk(`${id}42`);
  assert.equal(r.kind, 'disability_cert');
  assert.equal(r.normalized, `${id}42`);
  assert.equal(r.residentId, id);
  assert.equal(r.disabilityCategory, '4');
  assert.equal(r.disabilityGrade, '2');
  assert.equal(r.birthDate, '1975-11-02');
  assert.equal(r.sex, 'male');

  const re = parseOk(`${id}71b1`);
  assert.equal(re.normalized, `${id}71B1`);
  assert.equal(re.disabilityCategory, '7');
  assert.equal(re.disabilityGrade, '1');

  const withX = parseOk('11010519491231002x63');
  assert.equal(withX.normalized, '11010519491231002X63');
  assert.equal(withX.residentId, '11010519491231002X');

  assert.match(parseErr(`${id}82`), /^残疾人证号格式错误/, 'category 8 does not exist');
  assert.match(parseErr(`${id}05`), /^残疾人证号格式错误/, 'category 0, grade 5');
  assert.match(parseErr(`${id}45`), /^残疾人证号格式错误/, 'grade 5 does not exist');
  assert.match(parseErr(`${id}42B`), /^长度应为18位/, '21 characters');
  assert.match(parseErr(`${id}42B-`), /^残疾人证号格式错误/);
  assert.equal(parseErr(`${breakCheck(id)}42`), `残疾人证号中的身份证号有误：校验位错误（应为${id[17]}）`);
});

test('region prefix: a warning when the ID was issued elsewhere', () => {
  const local = makeId('211204', '19900307', '123');
  assert.deepEqual(checkIdRegion(local, '211204'), { provinceValid: true, matchesRegion: true, warning: null, warningMessage: null });
  assert.equal(checkIdRegion(local, '211204101200').matchesRegion, true, 'village code compared at county level');
  assert.equal(checkIdRegion(local, '21').matchesRegion, true, 'province');
  assert.equal(checkIdRegion(local, '211200').matchesRegion, true, 'city given as 6 digits');
  const other = checkIdRegion(makeId('211202', '19900307', '123'), '211204');
  assert.equal(other.matchesRegion, false);
  assert.equal(other.provinceValid, true);
  assert.match(other.warning ?? '', /前6位（211202）与所在地区（211204）不一致/);
  assert.equal(checkIdRegion('991204199003071234', '211204').provinceValid, false);
  assert.equal(checkIdRegion(local, '2112').matchesRegion, true, 'city as 4 digits');
  assert.throws(() => checkIdRegion(local, '211'), /invalid region code/);
});

test('masking', () => {
  assert.equal(maskIdNumber('211204199003071234'), '211204********1234');
  assert.equal(maskIdNumber('11010519491231002X63'), '110105**********2X63');
  assert.equal(maskIdNumber('12345'), '*****');
  assert.equal(maskIdNumber(null), '');
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('138 1234 5678'), '138****5678');
  assert.equal(maskPhone('0410-7654321'), '041****4321');
  assert.equal(maskPhone('12345'), '*****');
  assert.equal(maskPhone(undefined), '');
});
