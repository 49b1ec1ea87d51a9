import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, FUELS, HEALTH_CONDITIONS,
  HOUSEHOLD_ATTRIBUTES, HOUSEHOLD_STATUSES, HOUSING_RATINGS, INCOME_ITEMS, isCode, LABOUR_SKILLS, MEDICAL_INSURANCES, MONITORED_TYPES,
  parseIdNumber, perCapitaNetIncome, POVERTY_CAUSES, RELATIONS, RISK_TYPES, ROAD_TYPES, SCHOOL_STATUSES, SEXES, TEKUN_TYPES,
  WATER_PROBLEMS, WORK_PLACES, type CodeTable, type IncomeValues,
} from '@tuopin/domain';
import { DEMO_PERSONS, generateIntoDatabase, loadDemoData } from '../src/generate/index';
import { setup, type TestEnv } from './helpers';

const YEAR = 2026;
const REGION = '211204';
const PERSONS = 5000;
const SEED = 7;

type Row = Record<string, unknown>;

async function rows<T = Row>(env: TestEnv, text: string, params: unknown[] = []): Promise<T[]> {
  return (await env.db.pool.query(text, params)).rows as T[];
}

async function one<T = Row>(env: TestEnv, text: string, params: unknown[] = []): Promise<T> {
  return (await rows<T>(env, text, params))[0]!;
}

/** A hash of the registry content without ids and timestamps (so two loads can be compared). */
async function contentHash(env: TestEnv): Promise<string> {
  const r = await one<{ h: string }>(env, `
    select md5(
      (select coalesce(string_agg((to_jsonb(h) - 'id' - 'created_at' - 'updated_at')::text, E'\\n' order by h.household_no), '') from households h) ||
      (select coalesce(string_agg((to_jsonb(m) - 'id' - 'household_id' - 'created_at' - 'updated_at')::text || h.household_no, E'\\n' order by m.id_number), '')
         from members m join households h on h.county_code = m.county_code and h.id = m.household_id) ||
      (select coalesce(string_agg((to_jsonb(i) - 'household_id' - 'updated_at')::text || h.household_no, E'\\n' order by h.household_no, i.year), '')
         from income_records i join households h on h.county_code = i.county_code and h.id = i.household_id) ||
      (select coalesce(string_agg((to_jsonb(s) - 'household_id' - 'updated_at')::text || h.household_no, E'\\n' order by h.household_no, s.year), '')
         from household_year_status s join households h on h.county_code = s.county_code and h.id = s.household_id)
    ) as h`);
  return r.h;
}

function assertCodes(table: CodeTable, values: unknown[], what: string): void {
  const bad = values.filter((v) => v !== null && !isCode(table, v));
  assert.deepEqual([...new Set(bad)], [], `${what}: values not in the code table`);
}

describe('generate: synthetic registry data', () => {
  let env: TestEnv;
  before(async () => {
    env = await setup();
  });
  after(async () => {
    await env.close();
  });

  test('loadDemoData fills an empty registry once', async () => {
    const r = await loadDemoData(env.db, { year: YEAR });
    assert.ok(r);
    assert.equal(r.persons, DEMO_PERSONS);
    assert.equal((await one<{ n: number }>(env, 'select count(*)::int as n from persons')).n, DEMO_PERSONS);
    assert.equal(await loadDemoData(env.db, { year: YEAR }), null);
  });

  test('generates, replaces without duplicating, and is deterministic', async () => {
    await assert.rejects(generateIntoDatabase(env.db, { region: REGION, persons: 100, seed: SEED, year: YEAR }), /--replace/);
    const first = await generateIntoDatabase(env.db, { region: REGION, persons: PERSONS, seed: SEED, year: YEAR, replace: true });
    assert.equal(first.persons, PERSONS);
    assert.ok(first.deleted > 0, 'the demo households were replaced');
    const counts = await one<{ h: number; m: number; p: number; i: number; s: number }>(env, `
      select (select count(*)::int from households) as h, (select count(*)::int from members) as m, (select count(*)::int from persons) as p,
             (select count(*)::int from income_records) as i, (select count(*)::int from household_year_status) as s`);
    assert.deepEqual(counts, { h: first.households, m: PERSONS, p: PERSONS, i: 2 * first.households, s: 2 * first.households });
    const hash1 = await contentHash(env);

    const again = await generateIntoDatabase(env.db, { region: REGION, persons: PERSONS, seed: SEED, year: YEAR, replace: true });
    assert.equal(again.deleted, first.households);
    assert.equal((await one<{ n: number }>(env, 'select count(*)::int as n from members')).n, PERSONS, 'no duplicates after --replace');
    assert.equal(await contentHash(env), hash1, 'same seed, same data');

    const audit = await rows<{ after: { seed: number; persons: number } }>(env, `select after from audit_log where action = 'generate' order by id`);
    assert.equal(audit.length, 3);
    assert.equal(audit[2]!.after.seed, SEED);
    assert.equal(audit[2]!.after.persons, PERSONS);

    // a different seed gives different data
    await generateIntoDatabase(env.db, { region: REGION, persons: PERSONS, seed: SEED + 1, year: YEAR, replace: true });
    assert.notEqual(await contentHash(env), hash1);
    await generateIntoDatabase(env.db, { region: REGION, persons: PERSONS, seed: SEED, year: YEAR, replace: true });
    assert.equal(await contentHash(env), hash1);
  });

  test('ID numbers are valid, unique, and match county and birth date', async () => {
    const ms = await rows<{ id_number: string; sex: string; birth: string; county_code: string }>(
      env, `select id_number, sex, to_char(birth_date, 'YYYY-MM-DD') as birth, county_code from members`);
    assert.equal(ms.length, PERSONS);
    assert.equal(new Set(ms.map((m) => m.id_number)).size, PERSONS);
    let native = 0;
    for (const m of ms) {
      const p = parseIdNumber(m.id_number, { referenceDate: `${YEAR}-01-01` });
      assert.ok(p.ok, `${m.id_number}: ${p.ok ? '' : p.error}`);
      assert.equal(p.kind, 'resident_id');
      assert.equal(p.birthDate, m.birth);
      assert.equal(p.sex, m.sex);
      if (p.regionPrefix === m.county_code) native++;
    }
    assert.ok(native / PERSONS > 0.85 && native / PERSONS < 0.99, `native share ${native / PERSONS}`);
  });

  test('every code is in its table; members live in their household’s village', async () => {
    const hs = await rows(env, 'select * from households');
    assertCodes(HOUSEHOLD_ATTRIBUTES, hs.map((h) => h.attribute), 'attribute');
    assertCodes(POVERTY_CAUSES, hs.flatMap((h) => [h.main_cause, ...(h.other_causes as string[])]), 'causes');
    assertCodes(HOUSING_RATINGS, hs.map((h) => h.housing_rating), 'housing');
    assertCodes(WATER_PROBLEMS, hs.map((h) => h.water_problem), 'water');
    assertCodes(ROAD_TYPES, hs.map((h) => h.road_type), 'road');
    assertCodes(FUELS, hs.map((h) => h.fuel), 'fuel');
    assertCodes(DIBAO_TYPES, hs.map((h) => h.dibao), 'dibao');
    assertCodes(TEKUN_TYPES, hs.map((h) => h.tekun), 'tekun');
    const ms = await rows(env, 'select * from members');
    const codes: [CodeTable, string][] = [
      [RELATIONS, 'relation'], [SEXES, 'sex'], [ETHNICITIES, 'ethnicity'], [EDUCATION_LEVELS, 'education'], [SCHOOL_STATUSES, 'school_status'],
      [DROPOUT_REASONS, 'dropout_reason'], [LABOUR_SKILLS, 'labour'], [WORK_PLACES, 'work_place'], [MEDICAL_INSURANCES, 'medical_insurance'],
      [DIBAO_TYPES, 'dibao'], [TEKUN_TYPES, 'tekun'],
    ];
    for (const [table, col] of codes) assertCodes(table, ms.map((m) => m[col]), col);
    assertCodes(HEALTH_CONDITIONS, ms.flatMap((m) => m.health as string[]), 'health');
    assertCodes(DISABILITY_CATEGORIES, ms.map((m) => (m.disability_category === null ? null : String(m.disability_category))), 'disability category');
    assertCodes(DISABILITY_GRADES, ms.map((m) => (m.disability_grade === null ? null : String(m.disability_grade))), 'disability grade');
    const ss = await rows(env, 'select * from household_year_status');
    assertCodes(HOUSEHOLD_STATUSES, ss.map((s) => s.status), 'status');
    assertCodes(MONITORED_TYPES, ss.map((s) => s.monitored_type), 'monitored type');
    assertCodes(RISK_TYPES, ss.flatMap((s) => s.risk_types as string[]), 'risk types');
    assert.ok(ss.every((s) => (s.monitored ? (s.risk_types as string[]).length >= 1 : (s.risk_types as string[]).length === 0)));

    const misplaced = await one<{ n: number }>(env, `
      select count(*)::int as n from members m
        join households h on h.county_code = m.county_code and h.id = m.household_id
        left join regions r on r.code = h.village_code and r.level = 5
       where m.village_code <> h.village_code or r.code is null or h.village_code not like $1 || '%'`, [REGION]);
    assert.equal(misplaced.n, 0);
    const heads = await one<{ bad: number }>(env, `
      select count(*)::int as bad from households h
       where (select count(*) from members m where m.county_code = h.county_code and m.household_id = h.id and m.relation = 'head') <> 1`);
    assert.equal(heads.bad, 0, 'exactly one head per household');
    const minors = await one<{ n: number }>(env, `
      select count(*)::int as n from members where birth_date > make_date(${YEAR - 16}, 1, 1) and labour in ('ordinary', 'skilled', 'weak')`);
    assert.equal(minors.n, 0, 'nobody under 16 has labour capacity');
  });

  test('distributions are within the calibrated bounds', async () => {
    const hh = await rows<{ status: string; n: number; size: number; main_cause: string | null }>(env, `
      select s.status, h.main_cause, (select count(*)::int from members m where m.county_code = h.county_code and m.household_id = h.id) as size
        from households h join household_year_status s on s.county_code = h.county_code and s.household_id = h.id and s.year = ${YEAR}`);
    const share = (pred: (r: (typeof hh)[number]) => boolean) => hh.filter(pred).length / hh.length;
    const exited = share((r) => r.status === 'exited');
    assert.ok(exited > 0.85 && exited < 0.98, `exited share ${exited}`);
    const poor = share((r) => r.status === 'poor');
    assert.ok(poor > 0.002 && poor < 0.06, `poor share ${poor}`);
    const meanSize = PERSONS / hh.length;
    assert.ok(meanSize > 2.0 && meanSize < 2.6, `mean size ${meanSize}`);
    assert.ok(hh.every((r) => r.size >= 1 && r.size <= 7));

    const causes = new Map<string, number>();
    for (const r of hh) if (r.main_cause) causes.set(r.main_cause, (causes.get(r.main_cause) ?? 0) + 1);
    const ranked = [...causes].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    assert.deepEqual(ranked.slice(0, 2), ['illness', 'disability'], `causes ${ranked.join(',')}`);
    assert.ok(ranked.indexOf('lack_labour') <= 3, 'lack of labour is common');
    const illness = causes.get('illness')! / hh.filter((r) => r.main_cause).length;
    assert.ok(illness > 0.3 && illness < 0.46, `illness share ${illness}`);

    // exited people under the 5,000-yuan warning line: a few per cent
    const inc = await rows<Row & { size: number; status: string }>(env, `
      select i.*, s.status, (select count(*)::int from members m where m.county_code = i.county_code and m.household_id = i.household_id) as size
        from income_records i join household_year_status s using (county_code, household_id, year) where i.year = ${YEAR}`);
    let exitedPeople = 0;
    let below = 0;
    let poorAbove = 0;
    for (const r of inc) {
      const values: IncomeValues = {};
      for (const it of INCOME_ITEMS) values[it.key] = r[it.column] === null ? null : Number(r[it.column]);
      const pc = perCapitaNetIncome(values, r.size)!;
      if (r.status === 'exited') {
        exitedPeople += r.size;
        if (pc < 5000) below += r.size;
      }
      if (r.status === 'poor' && pc >= 4400) poorAbove++;
    }
    const belowShare = below / exitedPeople;
    assert.ok(belowShare > 0.01 && belowShare < 0.12, `exited under 5,000: ${belowShare}`);
    assert.equal(poorAbove, 0, 'remaining poor households are under the exit standard');

    const health = await one<{ disabled: number; uninsured: number; dropouts: number }>(env, `
      select avg(('disabled' = any(health))::int)::float as disabled,
             avg((medical_insurance = 'none')::int)::float as uninsured,
             count(*) filter (where school_status = 'not_in_school' and dropout_reason is null
                              and birth_date > make_date(${YEAR - 16}, 1, 1) and birth_date <= make_date(${YEAR - 6}, 1, 1))::int as dropouts
        from members`);
    assert.ok(health.disabled > 0.08 && health.disabled < 0.17, `disabled ${health.disabled}`);
    assert.ok(health.uninsured > 0 && health.uninsured < 0.02, `uninsured ${health.uninsured}`);
    assert.ok(health.dropouts < 10, `dropouts without a reason ${health.dropouts}`);
  });
});
