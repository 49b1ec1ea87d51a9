/**
 * Bad input never makes a 5xx: a probe of every route of the API contract (packages/domain/src/api/routes.ts) as a
 * logged-in national admin (a village officer for the procedure steps, which no national admin may sign), with the classes of bad input a careless client or an attacker sends — a NUL character
 * and an unpaired surrogate in each string, an id of 2^63+1, numbers of 1e20 and 1e308, over-long strings, impossible
 * dates — each of which must be a 400 naming the field (`params.id`, `querystring.q`, `body.household.address`).
 *
 * Request values are generated from each endpoint's TypeBox schemas; the free-form parts of a body (household and
 * member changes, income items, a procedure step's data) get the domain's fields. A schema the generator does not
 * know (a new pattern) fails the test, so a new route is probed as soon as it is added.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, can, idCheckCharacter, type Endpoint } from '@tuopin/domain';
import { currentYearInChina, todayInChina } from '../src/clock';
import { QINGHE, setup, userClient, ZHANGXIANG, type Res, type TestClient, type TestEnv } from './helpers';

const ZX_VILLAGE = '211204101200';
const YEAR = currentYearInChina();
const TODAY = todayInChina();

type Json = Record<string, unknown>;
type ErrBody = { code?: string; message?: string; details?: { field: string; message: string }[] };
type Context = 'params' | 'querystring' | 'body';
type Kind = 'string' | 'integer' | 'number' | 'date' | 'other';

const NUL = 'ab\u0000c';
const SURROGATE = 'ab\ud800c';
const HUGE_ID = '9223372036854775809'; // 2^63 + 1
const BIG = 1e308;

let idSeq = 0;
function idNumber(birth: string, sex: 'male' | 'female'): string {
  const n = 300 + ((idSeq++ * 2) % 600) + (sex === 'male' ? 1 : 0);
  const body = `211204${birth.replace(/-/g, '')}${String(n).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

interface Fixtures {
  countyCode: string;
  householdId: number;
  memberId: number;
  userId: number;
  ruleId: string;
  clueId: number;
  procedureId: number;
  qualityRunId: number;
  measureId: number;
}

/** The type of a schema; of a nullable type list (`["integer", "null"]`, the registry's column schemas) the one not null. */
const typeOf = (s: Json): unknown => (Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : s.type);

/** A valid value for a schema: samples by pattern, format, enum, type; objects with every property. */
function sample(schema: Json, name: string, fx: Fixtures): unknown {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as Json[];
    const nonNull = branches.find((b) => b.type !== 'null');
    return sample(nonNull ?? branches[0]!, name, fx);
  }
  switch (typeOf(schema)) {
    case 'string': {
      if (schema.format === 'date') return TODAY;
      const p = schema.pattern as string | undefined;
      if (p === undefined) {
        if (name === 'expression') return 'household.size > 0';
        if (name === 'family') return 'industry';
        if (name === 'startedOn' || name === 'endedOn') return TODAY;
        if (name === 'relation') return 'spouse';
        if (name === 'step') return 'village_verification';
        if (name === 'toStep') return 'village_verification';
        if (name === 'riskType') return 'illness';
        if (name === 'password' || name === 'newPassword' || name === 'currentPassword') return 'Hq7#tuopin-probe-Wx2';
        if (name === 'username') return 'probe_user';
        return '测试';
      }
      const known: Record<string, unknown> = {
        '^\\d{12}$': name === 'regionCode' && fx ? QINGHE : QINGHE,
        '^\\d{6}$': fx.countyCode,
        '^\\d{4}-\\d{2}-\\d{2}$': TODAY,
        '^\\d+$': '1',
        '^\\d{1,15}$': '1',
        '^\\d{1,18}$': '1',
        '^\\d{12}:\\d+$': `${ZX_VILLAGE}:1`,
        '^\\d{12}:\\d{1,15}$': `${ZX_VILLAGE}:1`,
        '^\\d{6}:\\d+$': `${fx.countyCode}:1`,
        '^\\d{6}:\\d{1,15}$': `${fx.countyCode}:1`,
        '^[a-z][a-z0-9_]{2,60}$': fx.ruleId,
        '^[a-z][a-z0-9_.]*$': 'validate.required',
        '^\\d{4}-\\d{2}$': `${YEAR}-01`,
        '^[a-zA-Z]{1,60}$': 'monitoringLine',
        '^1\\d{10}$|^$': '13800001111',
        '\\S': '测试',
      };
      if (p in known) return known[p];
      throw new Error(`no sample for the pattern ${p} (${name}): add one to the probe`);
    }
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      if (min >= 2000) return YEAR;
      if (name === 'id' || name === 'householdId') return fx.householdId;
      if (name === 'memberId') return fx.memberId;
      if (name === 'measureId') return fx.measureId;
      if (name === 'assigneeId') return fx.userId;
      return Math.max(min, 1);
    }
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array': {
      const n = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length: Math.max(n, 1) }, () => sample(schema.items as Json, name, fx));
    }
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const out: Json = {};
      for (const [k, s] of Object.entries(props)) out[k] = sample(s, k, fx);
      return out;
    }
    default:
      return undefined; // Unknown: filled per endpoint
  }
}

interface Position {
  context: Context;
  path: string[];
  kind: Kind;
  maxLength?: number;
}

function kindOf(s: Json): Kind {
  const type = typeOf(s);
  if (type === 'string') return s.format === 'date' || s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ? 'date' : 'string';
  if (type === 'integer') return 'integer';
  if (type === 'number') return 'number';
  if (Array.isArray(s.enum)) return 'string';
  return 'other';
}

/** Every leaf of a schema (arrays at index 0, a union at its first non-null branch). */
function positions(schema: Json, context: Context, path: string[] = []): Position[] {
  if (Array.isArray(schema.anyOf)) {
    const b = (schema.anyOf as Json[]).find((x) => x.type !== 'null');
    return b ? positions(b, context, path) : [];
  }
  if (typeOf(schema) === 'object' && schema.properties) {
    return Object.entries(schema.properties as Record<string, Json>).flatMap(([k, s]) => positions(s, context, [...path, k]));
  }
  if (typeOf(schema) === 'array') return positions(schema.items as Json, context, [...path, '0']);
  const kind = kindOf(schema);
  if (kind === 'other') return [];
  return [{ context, path, kind, ...(typeof schema.maxLength === 'number' && { maxLength: schema.maxLength }) }];
}

/** The free-form parts of bodies: fields of the domain that the service validates. */
const DOMAIN_FIELDS: Record<string, { path: string[]; kind: Kind; maxLength?: number }[]> = {
  householdUpdate: [
    { path: ['changes', 'address'], kind: 'string', maxLength: 200 },
    { path: ['changes', 'phone'], kind: 'string', maxLength: 20 },
    { path: ['changes', 'housingArea'], kind: 'number' },
    { path: ['changes', 'roadDistanceKm'], kind: 'number' },
    { path: ['changes', 'land', 'cultivated'], kind: 'number' },
    { path: ['changes', 'identifiedYear'], kind: 'integer' },
  ],
  memberUpdate: [
    { path: ['changes', 'name'], kind: 'string', maxLength: 50 },
    { path: ['changes', 'employer'], kind: 'string', maxLength: 100 },
    { path: ['changes', 'phone'], kind: 'string', maxLength: 20 },
    { path: ['changes', 'workMonths'], kind: 'integer' },
    { path: ['changes', 'monthlyWorkIncome'], kind: 'number' },
    { path: ['changes', 'birthDate'], kind: 'date' },
  ],
  incomeUpsert: [
    { path: ['items', 'otherWage'], kind: 'number' },
    { path: ['items', 'operatingIncome'], kind: 'number' },
  ],
  statusUpsert: [{ path: ['exitYear'], kind: 'integer' }],
  householdCreate: [
    { path: ['household', 'address'], kind: 'string', maxLength: 200 },
    { path: ['household', 'phone'], kind: 'string', maxLength: 20 },
    { path: ['household', 'housingArea'], kind: 'number' },
    { path: ['household', 'land', 'forest'], kind: 'number' },
  ],
  memberAdd: [
    { path: ['member', 'name'], kind: 'string', maxLength: 50 },
    { path: ['member', 'employer'], kind: 'string', maxLength: 100 },
    { path: ['member', 'publicWelfareMonths'], kind: 'integer' },
    { path: ['member', 'birthDate'], kind: 'date' },
  ],
};

function setPath(target: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(target);
  let o = copy as Json;
  path.slice(0, -1).forEach((k, i) => {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = /^\d+$/.test(path[i + 1]!) ? [] : {};
    o = o[k] as Json;
  });
  o[path[path.length - 1]!] = value;
  return copy;
}

interface Probe {
  label: string;
  value: unknown;
  /** Raw text for a URL position (params, query) */
  url?: string;
}

function probesFor(p: Position): Probe[] {
  const over = (n: number) => 'x'.repeat(n);
  switch (p.kind) {
    case 'string':
      return [
        { label: 'NUL', value: NUL, url: 'ab%00c' },
        { label: 'lone surrogate', value: SURROGATE, url: 'ab%ED%A0%80c' },
        { label: 'invalid UTF-8', value: SURROGATE, url: 'ab%FFc' },
        { label: 'over-long', value: over((p.maxLength ?? 100_000) + 1) },
      ];
    case 'date':
      return [
        { label: 'NUL', value: NUL, url: 'ab%00c' },
        { label: '2025-02-29', value: '2025-02-29' },
        { label: '2026-02-30', value: '2026-02-30' },
        { label: '0000-01-01', value: '0000-01-01' },
      ];
    case 'integer':
      return [
        { label: '2^63+1', value: Number(HUGE_ID), url: HUGE_ID },
        { label: '1e308', value: BIG, url: '1e308' },
        { label: '1.5', value: 1.5, url: '1.5' },
      ];
    case 'number':
      return [
        { label: '1e308', value: BIG, url: '1e308' },
        { label: '1e20', value: 1e20, url: '1e20' },
      ];
    default:
      return [];
  }
}

function urlOf(e: Endpoint, params: Json, query: Json, raw?: { context: Context; key: string; text: string }): string {
  let url = e.url;
  for (const [k, v] of Object.entries(params)) {
    const text = raw?.context === 'params' && raw.key === k ? raw.text : encodeURIComponent(String(v));
    url = url.replace(`:${k}`, text);
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    const text = raw?.context === 'querystring' && raw.key === k ? raw.text : encodeURIComponent(String(v));
    parts.push(`${k}=${text}`);
  }
  return parts.length ? `${url}?${parts.join('&')}` : url;
}

/** Endpoints the probe leaves out, with why. */
const SKIP = new Set(['logout']); // ends the probe's own session; takes no input

describe('bad input on every route: a 400 naming the field, never a 5xx', () => {
  let env: TestEnv;
  let admin: TestClient;
  let fx: Fixtures;
  let villageOfficer: TestClient;
  const causes: string[] = [];

  before(async () => {
    env = await setup();
    // The cause of any 5xx, for the report of a failing probe (the server logs it; the test app has no logger).
    env.app.addHook('onError', async (request, _reply, error) => {
      if (!(error as { statusCode?: number }).statusCode && !(error as { status?: number }).status) causes.push(`${request.method} ${request.url.slice(0, 120)}: ${String(error).slice(0, 300)}`);
    });
    admin = await env.admin();
    const { id: userId } = await admin.ok(api.userCreate, {
      body: { username: 'probe_target', displayName: '探针用户', role: 'village_officer', regionCode: ZX_VILLAGE, password: 'Hq7#tuopin-probe-Wx2' },
    });
    const birth = `${YEAR - 40}-03-04`;
    const created = await admin.ok(api.householdCreate, {
      body: {
        household: { householdNo: 'P0001', villageCode: ZX_VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', phone: '13812345678' },
        head: {
          idNumber: idNumber(birth, 'male'), name: '探针户主', sex: 'male', birthDate: birth, ethnicity: '01', education: 'junior',
          schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
        },
        reason: '探针测试',
      },
    });
    const rules = await admin.ok(api.rulesList);
    process.on("exit", () => causes.length && console.error(causes.join("\n")));
    const clue = await admin.ok(api.clueCreate, {
      body: { countyCode: created.countyCode, householdId: created.id, channel: 'cadre', foundOn: TODAY, summary: '探针线索' },
    });
    // A procedure, started by an officer of the village (the verification is the village's or township's step)
    ({ client: villageOfficer } = await userClient(env, admin, { username: 'probe_village', role: 'village_officer', regionCode: ZX_VILLAGE }));
    const proc = await villageOfficer.ok(api.identificationStart, { params: { countyCode: created.countyCode, id: clue.id } });
    const run = await admin.ok(api.qualityRunStart, { body: { regionCode: ZHANGXIANG, year: YEAR } });
    const measure = await admin.ok(api.measureCreate, {
      params: { countyCode: created.countyCode, id: created.id },
      body: { family: 'industry', title: '探针措施', startedOn: TODAY },
    });
    fx = {
      countyCode: created.countyCode, householdId: created.id, memberId: created.members[0]!.id, userId,
      ruleId: rules[0]!.id, clueId: clue.id, procedureId: proc.id, qualityRunId: run.id, measureId: measure.id,
    };
  });
  after(() => env.close());

  const base = () => `/api/households/${fx.countyCode}/${fx.householdId}`;
  const err = (r: Res) => r.body as ErrBody;
  const fieldsOf = (r: Res) => (err(r).details ?? []).map((d) => d.field);

  test('the values of the issue: workMonths 1.5, housingRating "", otherCauses null, a rule name of spaces', async () => {
    const months = await admin.raw('PATCH', `${base()}/members/${fx.memberId}`, { body: { changes: { workMonths: 1.5 }, reason: '测试' } });
    assert.equal(months.status, 400);
    assert.deepEqual(err(months).details, [{
      field: 'body.changes.workMonths', message: '务工时间（月）应为整数',
      code: 'common.field.type', params: { label: '务工时间（月）', type: { code: 'common.type.integer', params: {} } },
    }]);

    const rating = await admin.raw('PATCH', base(), { body: { changes: { housingRating: '' }, reason: '测试' } });
    assert.equal(rating.status, 400);
    assert.deepEqual(fieldsOf(rating), ['body.changes.housingRating']);

    // null for a list is "none": stored as the empty list, not refused by the database
    const causes = await admin.raw('PATCH', base(), { body: { changes: { otherCauses: null, isMilitaryFamily: null }, reason: '测试' } });
    assert.equal(causes.status, 200, JSON.stringify(causes.body));
    const fields = (causes.body as { fields: Record<string, unknown> }).fields;
    assert.deepEqual(fields.otherCauses, []);
    assert.equal(fields.isMilitaryFamily, false);

    const rule = { id: 'probe_spaces', name: '   ', severity: 'low', riskType: 'other', expression: 'household.size > 0', active: false };
    const spaces = await admin.raw('POST', '/api/rules', { body: rule });
    assert.equal(spaces.status, 400);
    assert.deepEqual(err(spaces).details, [{ field: 'body.name', message: '不能为空（不能只有空格）', code: 'common.blank' }]);
    const { id: _id, ...update } = rule;
    const spacesUpdate = await admin.raw('PUT', `/api/rules/${fx.ruleId}`, { body: { ...update, name: '\u3000 \t' } });
    assert.equal(spacesUpdate.status, 400);
    assert.deepEqual(fieldsOf(spacesUpdate), ['body.name']);
  });

  test('impossible dates are refused by the one date check, valid ones pass', async () => {
    for (const date of ['2026-02-30', '2025-02-29', '0000-01-01', '2024-13-01', '1899-12-31']) {
      const r = await admin.raw('POST', '/api/monitoring/clues', {
        body: { countyCode: fx.countyCode, householdId: fx.householdId, channel: 'cadre', foundOn: date, summary: '日期测试' },
      });
      assert.equal(r.status, 400, date);
      assert.deepEqual(err(r).details, [{ field: 'body.foundOn', message: '应为有效日期（YYYY-MM-DD）', code: 'common.dateFormat' }], date);
      const m = await admin.raw('PATCH', `${base()}/members/${fx.memberId}`, { body: { changes: { birthDate: date }, reason: '测试' } });
      assert.equal(m.status, 400, date);
      assert.ok(fieldsOf(m).includes('body.changes.birthDate'), `${date}: ${JSON.stringify(m.body)}`);
    }
    // 2024 is a leap year: 29 February is a real day (the measure starts then, in the past, and is valid)
    const leap = await admin.raw('POST', `${base()}/measures`, { body: { family: 'industry', title: '闰日开始的措施', startedOn: '2024-02-29' } });
    assert.equal(leap.status, 201, JSON.stringify(leap.body));
  });

  test("a procedure step's texts are bounded at any depth", async () => {
    const r = await villageOfficer.raw('POST', `/api/monitoring/procedures/${fx.countyCode}/${fx.procedureId}/sign`, {
      body: { step: 'verification', data: { findings: '查'.repeat(2001), objections: [{ content: '异'.repeat(3000) }] } },
    });
    assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 300));
    const fields = fieldsOf(r);
    assert.ok(fields.some((f) => /findings$/.test(f)), JSON.stringify(fields));
    assert.ok(fields.some((f) => /objections\.0\.content$/.test(f)), JSON.stringify(fields));
    assert.ok(err(r).details!.some((d) => d.message === '内容不能超过 2000 个字（2001 个字）'));
  });

  test('a dry run that overflows is a rule error, not a server error', async () => {
    for (const expression of ['9223372036854775807 + 1 > 0', 'household.size + 9223372036854775807 > 0']) {
      const r = await admin.raw('POST', '/api/rules/dry-run', { body: { expression, regionCode: ZHANGXIANG, year: YEAR } });
      assert.equal(r.status, 400, `${expression}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(err(r).details, [{
        field: 'body.expression', message: '规则在计算时出错：数值超出允许范围（整数溢出）',
        code: 'rules.computeOverflow', params: { reason: { code: 'common.numberOutOfRange', params: {} } },
      }]);
    }
  });

  test('a constraint the validation did not catch is a 400 naming the column, a duplicate a 409', async () => {
    const { constraintViolation } = await import('../src/errors');
    const violate = async (statement: string) => {
      try {
        await sqlRun(statement);
      } catch (e) {
        return constraintViolation(e);
      }
      throw new Error(`no error: ${statement}`);
    };
    const sqlRun = (statement: string) => env.db.system({ name: 'test' }, (tx) => sql.raw(statement).execute(tx));
    const check = await violate(`update households set housing_rating = 'Z' where id = ${fx.householdId}`);
    assert.equal(check?.status, 400);
    assert.deepEqual(check?.details, [{ field: 'body.housingRating', message: '取值不符合要求', code: 'common.invalidValue' }]);
    const notNull = await violate(`update households set other_causes = null where id = ${fx.householdId}`);
    assert.deepEqual(notNull?.details, [{ field: 'body.otherCauses', message: '不能为空', code: 'common.empty' }]);
    const range = await violate(`update households set housing_area = 1e10 where id = ${fx.householdId}`);
    assert.equal(range?.status, 400);
    assert.deepEqual(range?.details, [{ field: 'body', message: '数值超出允许范围', code: 'common.numberOutOfRange' }]);
    const dup = await violate(`insert into households (county_code, household_no, village_code) select county_code, household_no, village_code from households where id = ${fx.householdId}`);
    assert.equal(dup?.status, 409);
    assert.deepEqual(dup?.details, [{ field: 'body.householdNo', message: '已存在相同的记录', code: 'common.duplicate' }]);
  });

  test('file names of an upload, a session cookie, the user agent and a CSV export with bad text', async () => {
    const nul = await admin.upload('/api/imports', [{ name: 'hu\u0000.csv', content: '户编号\r\n' }]);
    assert.equal(nul.status, 400, JSON.stringify(nul.body));
    assert.deepEqual(fieldsOf(nul), ['body.files.0.filename']);
    const long = await admin.upload('/api/imports', [{ name: `${'户'.repeat(300)}.csv`, content: '户编号\r\n' }]);
    assert.equal(long.status, 400, JSON.stringify(long.body));
    assert.deepEqual(fieldsOf(long), ['body.files.0.filename']);

    // A session cookie with bad text is no session: 401, and logging in again works
    const c = env.client();
    c.cookies.set('tuopin_sid', 'ab%00c');
    assert.equal((await c.raw('GET', '/api/auth/me')).status, 401);
    c.cookies.set('tuopin_sid', 'ab%ED%A0%80c');
    assert.equal((await c.raw('GET', '/api/auth/me')).status, 401);
    const ua = await c.raw('POST', '/api/auth/login', { body: { username: 'admin', password: 'x' }, headers: { 'user-agent': 'probe\u0000' } });
    assert.equal(ua.status, 400);
    assert.deepEqual(fieldsOf(ua), ['headers.user-agent']);

    // The export is refused before a byte of CSV is written
    const csv = await admin.raw('GET', '/api/households/export.csv?q=ab%00c');
    assert.equal(csv.status, 400);
    assert.match(String(csv.headers['content-type']), /application\/json/);
    assert.deepEqual(fieldsOf(csv), ['querystring.q']);
  });

  test('every string of the contract has a length limit, every number and integer a bound', () => {
    const missing: string[] = [];
    for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
      const walk = (s: Json, where: string) => {
        if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).forEach((b) => walk(b, where));
        const type = typeOf(s);
        if (type === 'object' && s.properties) return Object.entries(s.properties as Record<string, Json>).forEach(([k, v]) => walk(v, `${where}.${k}`));
        if (type === 'array') return walk(s.items as Json, `${where}.0`);
        if (type === 'string' && typeof s.maxLength !== 'number' && typeof s.pattern !== 'string' && s.format !== 'date') missing.push(`${name} ${where}: maxLength`);
        if (type === 'string' && /(On|Date|\.date)$/.test(where) && s.format !== 'date') missing.push(`${name} ${where}: format date`);
        if ((type === 'integer' || type === 'number') && (typeof s.maximum !== 'number' || typeof s.minimum !== 'number')) missing.push(`${name} ${where}: minimum/maximum`);
      };
      for (const c of ['params', 'querystring', 'body'] as const) if (e[c]) walk(e[c] as unknown as Json, c);
    }
    assert.deepEqual(missing, []);
  });

  test('NUL, unpaired surrogates, 2^63+1, 1e308, over-long text and impossible dates in every field of every route', async () => {
    const failures: string[] = [];
    let sent = 0;
    const record = (what: string, r: Res | Error, field: string) => {
      sent++;
      if (r instanceof Error) {
        failures.push(`${what}: the response was cut (${r.message})`);
        return;
      }
      const b = r.body as ErrBody;
      if (r.status >= 500) failures.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      else if (r.status !== 400) failures.push(`${what}: expected 400, got ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
      else if (!b.details?.some((d) => d.field === field)) failures.push(`${what}: 400 without the field ${field}: ${JSON.stringify(b).slice(0, 200)}`);
      else if (b.details.some((d) => !/[\u4e00-\u9fff]/.test(d.message))) failures.push(`${what}: message not in Chinese: ${JSON.stringify(b.details)}`);
    };

    for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
      if (SKIP.has(name)) continue;
      // Each route is probed by a user allowed to call it: the national administrator, or the village officer for the
      // procedure steps (which belong to the village, township and county, never to the nation).
      const caller = e.access === 'public' || e.access === 'session' || e.access === 'user' || can('system_admin', e.access) ? admin : villageOfficer;
      const params = (e.params ? sample(e.params as unknown as Json, 'params', fx) : {}) as Json;
      if (name.startsWith('clue') || name === 'identificationStart') if ('id' in params) params.id = fx.clueId;
      if (name.startsWith('procedure') && 'id' in params) params.id = fx.procedureId;
      if (name.startsWith('quality') && name !== 'qualityHousehold' && 'id' in params) params.id = fx.qualityRunId;
      if (name.startsWith('user') && 'id' in params) params.id = fx.userId;
      const query = (e.querystring ? sample(e.querystring as unknown as Json, 'query', fx) : {}) as Json;
      const body = (e.body ? sample(e.body as unknown as Json, 'body', fx) : undefined) as Json | undefined;
      if (body && name === 'householdCreate') {
        body.household = { householdNo: 'P0002', villageCode: ZX_VILLAGE, attribute: 'none' };
        body.head = {};
      }
      if (body && (name === 'householdUpdate' || name === 'memberUpdate')) body.changes = {};
      if (body && name === 'memberAdd') body.member = {};
      if (body && name === 'incomeUpsert') body.items = {};
      if (body && name === 'procedureSign') body.data = {};

      const all: Position[] = [
        ...(e.params ? positions(e.params as unknown as Json, 'params') : []),
        ...(e.querystring ? positions(e.querystring as unknown as Json, 'querystring') : []),
        ...(e.body ? positions(e.body as unknown as Json, 'body') : []),
        ...(DOMAIN_FIELDS[name] ?? []).map((d) => ({ ...d, context: 'body' as const })),
      ];
      for (const pos of all) {
        for (const probe of probesFor(pos)) {
          const field = [pos.context, ...pos.path].join('.');
          const what = `${name} ${e.method} ${e.url} ${field} = ${probe.label}`;
          let r: Res | Error;
          if (pos.context === 'body') {
            r = await caller.raw(e.method, urlOf(e, params, query), { body: setPath(body ?? {}, pos.path, probe.value) }).catch((x: Error) => x);
          } else {
            const key = pos.path[0]!;
            const text = probe.url ?? encodeURIComponent(String(probe.value));
            r = await caller.raw(e.method, urlOf(e, params, query, { context: pos.context, key, text }), body === undefined ? {} : { body }).catch((x: Error) => x);
          }
          record(what, r, field);
        }
      }
      // A NUL or a lone surrogate at any depth of a free-form body part, in an object key too.
      if (body && ['householdCreate', 'householdUpdate', 'memberUpdate', 'memberAdd', 'incomeUpsert', 'procedureSign'].includes(name)) {
        const part = name === 'householdCreate' ? 'household' : name === 'memberAdd' ? 'member' : name === 'incomeUpsert' ? 'items' : name === 'procedureSign' ? 'data' : 'changes';
        for (const [label, value] of [['NUL', NUL], ['lone surrogate', SURROGATE]] as const) {
          const deep = setPath(body, [part, 'nested', '0', 'text'], value);
          record(`${name} ${part}.nested.0.text = ${label}`, await caller.raw(e.method, urlOf(e, params, query), { body: deep }).catch((x: Error) => x), `body.${part}.nested.0.text`);
          const key = setPath(body, [part, `k${value}`], 'x');
          record(`${name} ${part} key = ${label}`, await caller.raw(e.method, urlOf(e, params, query), { body: key }).catch((x: Error) => x), `body.${part}`);
        }
      }
    }
    assert.ok(sent > 500, `only ${sent} probes sent`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} probes failed:\n${failures.join('\n')}\ncauses of errors:\n${[...new Set(causes)].slice(0, 200).join('\n')}`);
  });
});
