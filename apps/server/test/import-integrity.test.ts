/**
 * Import integrity: a past year checked as at its own year end (main thread and worker threads alike), household
 * numbers of another township found by the validation, a commit that refuses a staging that is not what the
 * validation counted, and state transitions that two simultaneous requests cannot both take.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { api, idCheckCharacter, SHEETS } from '@tuopin/domain';
import { currentYearInChina, todayInChina } from '../src/clock';
import { openUpload } from '../src/import/source';
import { sheetRows, type StageContext } from '../src/import/stage';
import { StagePool } from '../src/import/stage-pool';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv, importFinished, uploadImport } from './helpers';

const V_ZX = '211204101200'; // a village of 张相镇
const V_YM = '211204102200'; // a village of 杨木林子镇
const YEAR = currentYearInChina();
const PAST = YEAR - 6;

function id(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
const row = (sheet: keyof typeof SHEETS, values: Record<string, string>) => SHEETS[sheet].columns.map((c) => values[c.header] ?? '');
const person = (no: string, idn: string, name: string, rel: string, sex: string, birth: string, extra: Record<string, string> = {}) =>
  row('members', {
    户编号: no, 证件号码: idn, 姓名: name, 与户主关系: rel, 性别: sex, 出生日期: birth, 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生',
    健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险', ...extra,
  });

/** One household of `year` in `village`: a head and a child born on 1 January of `year - 4` marked 学龄前. */
function household(no: string, village: string, year: number, seq: number) {
  const head = id(`${year - 36}-03-15`, seq * 10 + 1); // odd 17th digit: male
  const child = id(`${year - 4}-01-01`, seq * 10 + 2); // even: female
  return {
    households: csv([headers('households'), row('households', { 户编号: no, 所在村代码: village, 户属性: '一般农户', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(year), 户状态: '一般农户' })]),
    members: csv([
      headers('members'),
      person(no, head, '周建国', '户主', '男', `${year - 36}-03-15`),
      person(no, child, '周小雨', '之女', '女', `${year - 4}-01-01`, { 文化程度: '', 在校生状况: '学龄前', 劳动技能: '无劳动力' }),
    ]),
    income: csv([headers('income'), row('income', { 户编号: no, 年度: String(year), '其他工资性收入（元）': '24000' })]),
  };
}
const asFiles = (h: ReturnType<typeof household>) => [
  { name: '户信息.csv', content: h.households },
  { name: '成员信息.csv', content: h.members },
  { name: '收入信息.csv', content: h.income },
];

const finished = importFinished;
const upload = uploadImport;

describe('import integrity', () => {
  let env: TestEnv;
  let township: TestClient;
  let county: TestClient;
  const count = async (table: string) => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(env.db.kysely)).rows[0]!.n;

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'integ_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: county } = await userClient(env, admin, { username: 'integ_qh', role: 'county_admin', regionCode: QINGHE }));
  });
  after(() => env.close());

  test(`a file of ${PAST} is checked as at 31 December ${PAST}: a child born ${PAST - 4} marked 学龄前 is accepted`, async () => {
    const h = household('PAST-0001', V_ZX, PAST, 1);
    // The same child in a file of this year is ten or more today: refused as 学龄前, as before.
    const now = household('PAST-0002', V_ZX, YEAR, 2);
    now.members = now.members.replaceAll(String(YEAR - 4), String(PAST - 4));
    const refused = await upload(township, asFiles(now));
    assert.equal(refused.import.status, 'invalid');
    assert.ok(refused.problems.some((p) => p.sheet === '成员信息' && p.row === 3 && p.column === '在校生状况' && p.severity === 'error'), JSON.stringify(refused.problems));

    const r = await upload(township, asFiles(h));
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    assert.equal(r.problems.filter((p) => p.severity === 'error').length, 0);
    await township.ok(api.importCommit, { params: { id: r.import.id } });
    assert.equal((await finished(township, r.import.id)).import.status, 'committed');
    const years = (await sql<{ year: number }>`select s.year from household_year_status s join households h on h.county_code = s.county_code and h.id = s.household_id
                                                where h.household_no = 'PAST-0001'`.execute(env.db.kysely)).rows;
    assert.deepEqual(years, [{ year: PAST }]);

    // The worker threads stage the same file with the same reference dates (stage-pool.ts).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-integ-'));
    try {
      const files = asFiles(household('PAST-0003', V_ZX, PAST, 3)).map((f, i) => {
        const p = path.join(dir, String(i));
        fs.writeFileSync(p, f.content);
        return { name: f.name, path: p, bytes: fs.statSync(p).size };
      });
      const ctx = (): StageContext => ({
        importId: 1, referenceDate: todayInChina(), problems: [], rowsRead: { households: 0, members: 0, income: 0 }, villages: new Map(), years: new Map(), fileYear: null,
      });
      const local = ctx();
      const parallel = ctx();
      const pool = new StagePool(1);
      try {
        for (const [c, p] of [[local, null], [parallel, pool]] as const) {
          const { sources } = await openUpload(files);
          for (const sheet of ['households', 'members', 'income'] as const) {
            const src = sources.find((s) => s.sheet === sheet)!;
            if (p) for await (const _ of p.sheetText(src, c)) void _;
            else for await (const _ of sheetRows(src, c)) void _;
            if (sheet === 'households') p?.setVillages(c);
          }
        }
      } finally {
        await pool.close();
      }
      assert.deepEqual(local.problems.filter((p) => p.severity === 'error'), []);
      assert.deepEqual(parallel.problems, local.problems);
      assert.equal(parallel.fileYear, PAST);
      assert.deepEqual(parallel.rowsRead, { households: 1, members: 2, income: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a household number of another township is found by the validation, without saying where it is', async () => {
    const there = await upload(county, asFiles(household('DUP-0001', V_YM, YEAR, 4)));
    assert.equal(there.import.status, 'validated', JSON.stringify(there.problems));
    await county.ok(api.importCommit, { params: { id: there.import.id } });
    assert.equal((await finished(county, there.import.id)).import.status, 'committed');

    const r = await upload(township, asFiles(household('DUP-0001', V_ZX, YEAR, 5)));
    assert.equal(r.import.status, 'invalid', JSON.stringify(r.problems));
    const p = r.problems.find((x) => x.sheet === '户信息' && x.row === 2 && x.column === '户编号' && x.severity === 'error');
    assert.ok(p, JSON.stringify(r.problems));
    assert.match(p.message, /DUP-0001/);
    assert.match(p.message, /不在您的管辖范围/);
    assert.doesNotMatch(JSON.stringify(r.problems), /杨木林子|211204102|YANGMULINZI/);
    assert.ok(YANGMULINZI.startsWith('211204102'));
    assert.equal((await township.call(api.importCommit, { params: { id: r.import.id } })).status, 409);
    // The county sees the whole county: the same file is an update of that household there, not a conflict.
    const mine = await upload(county, asFiles(household('DUP-0001', V_YM, YEAR, 4)));
    assert.equal(mine.import.status, 'validated', JSON.stringify(mine.problems));
    assert.deepEqual(mine.import.counts.households, { new: 0, changed: 0, unchanged: 1 });
  });

  test('a staging emptied since the validation (crash recovery of unlogged tables) is refused and asks for a new validation', async () => {
    const before = await count('households');
    const r = await upload(township, asFiles(household('LOST-0001', V_ZX, YEAR, 6)));
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    // what crash recovery does to the unlogged staging tables
    for (const t of ['import_households', 'import_statuses', 'import_members', 'import_income']) {
      await sql`delete from ${sql.table(t)} where import_id = ${r.import.id}`.execute(env.db.kysely);
    }
    const refused = await township.call(api.importCommit, { params: { id: r.import.id } });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    const message = (refused.body as unknown as { message: string }).message;
    assert.match(message, /校验时 1 户、2 名成员、1 条收入/);
    assert.match(message, /现在暂存 0 户、0 名成员、0 条收入/);
    assert.match(message, /请重新校验/);
    const after = await township.ok(api.importGet, { params: { id: r.import.id } });
    assert.equal(after.import.status, 'failed');
    assert.equal(after.import.message, message);
    assert.equal(await count('households'), before);
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'import' and entity_id = ${String(r.import.id)}`.execute(env.db.kysely)).rows[0]!.n, 0);

    // The same staging lost between the accepted request and the commit job: the job refuses it too.
    await township.ok(api.importRevalidate, { params: { id: r.import.id } });
    const again = await finished(township, r.import.id);
    assert.equal(again.import.status, 'validated', JSON.stringify(again.problems));
    await env.db.kysely.transaction().execute(async (tx) => {
      await sql`update imports set status = 'committing' where id = ${r.import.id}`.execute(tx);
      await sql`delete from import_members where import_id = ${r.import.id}`.execute(tx);
    });
    await env.services.jobs.enqueue('import.commit', { id: r.import.id });
    const job = await finished(township, r.import.id);
    assert.equal(job.import.status, 'failed');
    assert.match(job.import.message ?? '', /现在暂存 1 户、0 名成员、1 条收入.*请重新校验/);
    assert.equal(await count('households'), before);

    // A new validation, then the commit writes the file.
    await township.ok(api.importRevalidate, { params: { id: r.import.id } });
    assert.equal((await finished(township, r.import.id)).import.status, 'validated');
    await township.ok(api.importCommit, { params: { id: r.import.id } });
    const done = await finished(township, r.import.id);
    assert.equal(done.import.status, 'committed', done.import.message ?? '');
    assert.equal(await count('households'), before + 1);
    assert.equal((await township.call(api.importRevalidate, { params: { id: r.import.id } })).status, 409, 'a committed import is not validated again');
  });

  test('two simultaneous commit requests: exactly one is accepted, one audit row, one job', async () => {
    const r = await upload(township, asFiles(household('RACE-0001', V_ZX, YEAR, 7)));
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    const results = await Promise.all([1, 2, 3].map(() => township.call(api.importCommit, { params: { id: r.import.id } })));
    assert.deepEqual(results.map((x) => x.status).sort(), [200, 409, 409], JSON.stringify(results.map((x) => x.body)));
    assert.equal((await finished(township, r.import.id)).import.status, 'committed');
    const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'import' and entity_id = ${String(r.import.id)}`.execute(env.db.kysely);
    assert.equal(audit.rows[0]!.n, 1);
    const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'import.commit' and data->>'id' = ${String(r.import.id)}`.execute(env.db.kysely);
    assert.equal(jobs.rows[0]!.n, 1);
    // and two simultaneous re-validations of a validated import: one queued, one refused
    const v = await upload(township, asFiles(household('RACE-0002', V_ZX, YEAR, 8)));
    const twice = await Promise.all([1, 2].map(() => township.call(api.importRevalidate, { params: { id: v.import.id } })));
    assert.deepEqual(twice.map((x) => x.status).sort(), [200, 409]);
    assert.equal((await finished(township, v.import.id)).import.status, 'validated');
  });
});
