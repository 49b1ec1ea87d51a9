/**
 * The contract's household, member and rule-fact schemas are built from the domain's declarations: each has exactly
 * the declared fields, refuses an unknown key and a value of the wrong type, and keeps null apart from 0 and false.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from 'typebox/value';
import {
  api, columnsOutput, HOUSEHOLD_COLUMNS, HOUSEHOLD_FIELD_COLUMNS, HOUSEHOLD_FIELDS, HouseholdChanges, HouseholdFields, HouseholdRuleFacts, INCOME_FIELDS,
  INCOME_ITEMS, IncomeItemsBody,
  MEMBER_COLUMNS, MEMBER_FIELD_COLUMNS, MEMBER_FIELDS, MemberChanges, MemberRecord, NewHousehold, POLICY_FIELDS, type Column,
} from '../../src/index';

type Json = Record<string, unknown> & { properties?: Record<string, Json>; required?: string[] };
const json = (s: unknown) => s as Json;
const STATUS_KEYS = ['year', 'status', 'monitored', 'monitoredType', 'riskTypes', 'identifiedOn'];

/** The request keys of columns, derived from the keys alone: `land.x` nested under `land`. */
function inputKeys(cols: readonly Column[]): Record<string, string[] | null> {
  const out: Record<string, string[] | null> = {};
  for (const c of cols) {
    const [head, tail] = c.key.split('.');
    if (tail === undefined) out[head!] = null;
    else (out[head!] ??= []).push(tail);
  }
  return out;
}
function schemaKeys(s: Json): Record<string, string[] | null> {
  return Object.fromEntries(Object.entries(s.properties!).map(([k, v]) => [k, v.type === 'object' ? Object.keys(v.properties!) : null]));
}
const errorsOf = (schema: unknown, value: unknown) => [...Value.Errors(schema as never, value)].map((e) => `${e.keyword} ${e.instancePath}`);

test('each column set has exactly the declared columns', () => {
  const householdFields = HOUSEHOLD_COLUMNS.filter((c) => !['householdNo', 'villageCode', ...STATUS_KEYS].includes(c.key));
  assert.deepEqual(HOUSEHOLD_FIELD_COLUMNS.map((c) => c.key), householdFields.map((c) => c.key));
  assert.deepEqual(schemaKeys(json(HouseholdChanges)), inputKeys(householdFields));
  assert.deepEqual(schemaKeys(json(NewHousehold)), inputKeys(HOUSEHOLD_COLUMNS.filter((c) => !STATUS_KEYS.includes(c.key))));
  assert.deepEqual(schemaKeys(json(MemberChanges)), inputKeys(MEMBER_COLUMNS.filter((c) => c.key !== 'householdNo')));
  assert.deepEqual(MEMBER_FIELD_COLUMNS.map((c) => c.key), MEMBER_COLUMNS.filter((c) => c.key !== 'householdNo').map((c) => c.key));
  assert.ok('land' in json(HouseholdChanges).properties! && !('land.cultivated' in json(HouseholdChanges).properties!));

  // responses: every field present, land areas flat
  const flat = householdFields.map((c) => c.key.replace(/\.(\w)/, (_m, ch: string) => ch.toUpperCase()));
  assert.deepEqual(Object.keys(json(HouseholdFields).properties!), flat);
  assert.deepEqual(json(HouseholdFields).required, flat);
  const member = json(MemberRecord);
  assert.deepEqual(Object.keys(member.properties!).sort(), [
    ...MEMBER_FIELD_COLUMNS.map((c) => c.key), 'id', 'age', 'active', 'joinedOn', 'leftOn', 'leftReason',
  ].sort());
  assert.deepEqual([...member.required!].sort(), Object.keys(member.properties!).sort());

  // the contract uses them
  const body = (e: { body?: unknown }) => json(e.body).properties!;
  assert.equal(body(api.householdUpdate).changes, HouseholdChanges);
  assert.equal(body(api.memberUpdate).changes, MemberChanges);
  assert.equal(body(api.memberAdd).member, MemberChanges);
  assert.equal(body(api.householdCreate).household, NewHousehold);
  assert.deepEqual(schemaKeys(body(api.householdCreate).head!), schemaKeys(json(MemberChanges)));
  assert.equal(json(api.householdGet.response).properties!.fields, HouseholdFields);
});

test('an unknown key, a wrong type, a code outside its table and a value out of bounds are refused, with the field', () => {
  assert.deepEqual(errorsOf(HouseholdChanges, { attribute: 'none', land: { cultivated: 8.5 } }), []);
  assert.ok(errorsOf(HouseholdChanges, { salary: 1 }).includes('additionalProperties '));
  assert.ok(errorsOf(HouseholdChanges, { land: { garden: 1 } }).includes('additionalProperties /land'));
  assert.ok(errorsOf(HouseholdChanges, { householdNo: 'H1' }).includes('additionalProperties '), 'the number is not a field to change');
  assert.ok(errorsOf(HouseholdChanges, { status: 'poor' }).includes('additionalProperties '), "a year's status is not a household field");
  assert.deepEqual(errorsOf(HouseholdChanges, { housingArea: '80' }), ['type /housingArea']);
  assert.deepEqual(errorsOf(HouseholdChanges, { isMilitaryFamily: 'yes' }), ['type /isMilitaryFamily']);
  // a code outside its table is the domain validation's (with the record's other problems), the schema bounds it
  assert.deepEqual(errorsOf(HouseholdChanges, { attribute: 'rich', otherCauses: ['illness', 'luck'] }), []);
  assert.deepEqual(errorsOf(HouseholdChanges, { attribute: 'x'.repeat(41) }), ['maxLength /attribute']);
  assert.deepEqual(errorsOf(HouseholdChanges, { otherCauses: 'illness' }), ['type /otherCauses']);
  assert.match(String(json(json(HouseholdChanges).properties!.attribute).description), /general_poor \(一般贫困户\)/);
  assert.deepEqual(errorsOf(HouseholdChanges, { identifiedYear: 2016.5 }), ['type /identifiedYear']);
  assert.deepEqual(errorsOf(HouseholdChanges, { housingArea: -1 }), ['minimum /housingArea']);
  assert.deepEqual(errorsOf(HouseholdChanges, { land: { forest: 1e20 } }), ['maximum /land/forest']);
  assert.deepEqual(errorsOf(HouseholdChanges, { address: 'x'.repeat(201) }), ['maxLength /address']);
  assert.deepEqual(errorsOf(NewHousehold, { householdNo: 'H1', villageCode: '2112041012' }), ['pattern /villageCode']);

  assert.deepEqual(errorsOf(MemberChanges, { name: '张三', health: ['healthy'], disabilityGrade: '2', birthDate: '1970-01-01' }), []);
  assert.deepEqual(errorsOf(MemberChanges, { workMonths: 1.5 }), ['type /workMonths']);
  assert.deepEqual(errorsOf(MemberChanges, { workMonths: 13 }), ['maximum /workMonths']);
  assert.ok(errorsOf(MemberChanges, { disabilityGrade: 2 }).includes('type /disabilityGrade'), 'codes are text');
  assert.deepEqual(errorsOf(MemberChanges, { birthDate: '2025-02-29' }), ['format /birthDate']);
  assert.ok(errorsOf(MemberChanges, { householdNo: 'H1' }).includes('additionalProperties '));
  // required fields cannot be cleared; others can (null is "not recorded", stored as the column default when it has one)
  assert.deepEqual(errorsOf(MemberChanges, { name: null }), ['type /name']);
  assert.deepEqual(errorsOf(MemberChanges, { relation: null }), ['type /relation']);
  assert.deepEqual(errorsOf(MemberChanges, { sex: null, health: null, workMonths: null, medicalAid: null, idType: null }), []);
  assert.deepEqual(errorsOf(HouseholdChanges, { otherCauses: null, isMilitaryFamily: null, housingRating: null, land: { cultivated: null } }), []);
});

test('nullable fields are type lists, so that a coercing validator keeps null apart from 0 and false', () => {
  const walk = (s: Json, where: string): string[] => {
    if (s.anyOf || s.oneOf) return [`${where}: a union`];
    if (s.type === 'object') return Object.entries(s.properties!).flatMap(([k, v]) => walk(v, `${where}.${k}`));
    const t = Array.isArray(s.type) ? s.type : [s.type];
    const problems: string[] = [];
    if (t.includes('number') || t.includes('integer')) if (typeof s.minimum !== 'number' || typeof s.maximum !== 'number') problems.push(`${where}: no bounds`);
    if (t.includes('string') && typeof s.maxLength !== 'number' && s.format !== 'date') problems.push(`${where}: no length limit`);
    if (t.includes('array')) problems.push(...walk(s.items as Json, `${where}.0`));
    if (typeof s.title !== 'string' || !/[\u4e00-\u9fff]/.test(s.title)) problems.push(`${where}: no Chinese title`);
    return problems;
  };
  assert.deepEqual([...walk(json(NewHousehold), 'household'), ...walk(json(MemberChanges), 'member')], []);
  assert.deepEqual(json(json(HouseholdChanges).properties!.identifiedYear).type, ['integer', 'null']);
  assert.deepEqual(json(json(NewHousehold).properties!.householdNo).type, 'string');
});

test('income items: every item of INCOME_ITEMS, null kept apart from 0, unknown items refused', () => {
  assert.deepEqual(Object.keys(json(IncomeItemsBody).properties!), INCOME_ITEMS.map((i) => i.key));
  assert.deepEqual(errorsOf(IncomeItemsBody, { otherWage: 12000, pension: null, operatingIncome: -300 }), []);
  assert.ok(errorsOf(IncomeItemsBody, { salary: 1 }).includes('additionalProperties '));
  assert.deepEqual(errorsOf(IncomeItemsBody, { otherWage: '一万' }), ['type /otherWage']);
  assert.deepEqual(errorsOf(IncomeItemsBody, { otherWage: 1e20 }), ['maximum /otherWage']);
  assert.deepEqual(json(json(IncomeItemsBody).properties!.otherWage).type, ['number', 'null']);
});

test('a domain record as the response part: null read back as the column default, land areas flat', () => {
  const fields = columnsOutput(HOUSEHOLD_FIELD_COLUMNS, {
    householdNo: 'H1', attribute: 'none', isMilitaryFamily: null, otherCauses: null, dibao: null, land: { cultivated: 8.5, forest: null },
  });
  assert.equal(fields.isMilitaryFamily, false);
  assert.deepEqual(fields.otherCauses, []);
  assert.equal(fields.dibao, 'none');
  assert.equal(fields.landCultivated, 8.5);
  assert.equal(fields.landForest, null);
  assert.equal(fields.housingRating, null);
  assert.ok(!('householdNo' in fields) && !('land' in fields));
  assert.deepEqual(errorsOf(HouseholdFields, fields), []);
  const member = columnsOutput(MEMBER_FIELD_COLUMNS, { name: '张三', idNumber: 'x', relation: 'head', health: null, medicalAid: null });
  assert.deepEqual([member.health, member.medicalAid, member.idType, member.sex], [[], false, 'resident_id', null]);
});

test('the rule facts of the household endpoint: every fact field with its type', () => {
  const facts = json(json(HouseholdRuleFacts).properties!.facts);
  const props = facts.properties!;
  assert.deepEqual(Object.keys(json(props.household).properties!), HOUSEHOLD_FIELDS.map((f) => f.name));
  assert.deepEqual(Object.keys(json(json(props.members).items).properties!), MEMBER_FIELDS.map((f) => f.name));
  assert.deepEqual(Object.keys(json(props.policy).properties!), POLICY_FIELDS.map((f) => f.name));
  const income = json(props.income);
  const incomeObject = json((income.anyOf as Json[]).find((b) => b.type === 'object'));
  assert.deepEqual(Object.keys(incomeObject.properties!), INCOME_FIELDS.map((f) => f.name));
  const household = json(props.household).properties!;
  assert.deepEqual(household.size!.type, 'integer');
  assert.deepEqual(household.exitYear!.type, ['integer', 'null']);
  assert.deepEqual(household.riskTypes!.type, 'array');
  assert.ok((household.housingRating!.enum as unknown[]).includes('D'));
});
