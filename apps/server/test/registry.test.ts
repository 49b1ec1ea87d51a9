import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, idCheckCharacter, INCOME_ITEMS, perCapitaNetIncome, type IncomeValues } from '@tuopin/domain';
import { setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const ZX_VILLAGE = '211204101200'; // 大孟屯村, 张相镇
const YM_VILLAGE = '211204102200'; // 前杨木林子村, 杨木林子镇
const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

let seq = 0;
function idNumber(birth: string, county = '211204'): string {
  const body = `${county}${birth.replace(/-/g, '')}${String(100 + (seq++ % 900)).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

/** Test fixture written as the owner (the import path comes with the import feature). */
async function addHousehold(
  env: TestEnv,
  h: { no: string; village: string; rating?: string; members: { name: string; relation: string; birth: string; insurance?: string | null }[]; income?: IncomeValues; year?: number },
): Promise<number> {
  const county = h.village.slice(0, 6);
  return env.db.system({ name: 'fixture' }, async (tx) => {
    const r = await sql<{ id: number }>`insert into households (county_code, household_no, village_code, housing_rating, attribute, main_cause)
      values (${county}, ${h.no}, ${h.village}, ${h.rating ?? 'A'}, 'general_poor', 'illness') returning id`.execute(tx);
    const hid = r.rows[0]!.id;
    for (const m of h.members) {
      const idn = idNumber(m.birth, county);
      const mr = await sql<{ id: number }>`insert into members (county_code, household_id, village_code, id_number, name, relation, birth_date, medical_insurance)
        values (${county}, ${hid}, ${h.village}, ${idn}, ${m.name}, ${m.relation}, ${m.birth}, ${m.insurance === undefined ? 'resident' : m.insurance}) returning id`.execute(tx);
      await sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${idn}, ${county}, ${h.village}, ${hid}, ${mr.rows[0]!.id})`.execute(tx);
    }
    if (h.income) {
      const keys = INCOME_ITEMS.map((it) => it.key);
      await sql`insert into income_records (county_code, household_id, year, village_code, ${sql.join(keys.map((k) => sql.ref(snake(k))))})
        values (${county}, ${hid}, ${h.year ?? 2026}, ${h.village}, ${sql.join(keys.map((k) => h.income![k] ?? null))})`.execute(tx);
    }
    await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year)
      values (${county}, ${hid}, ${h.year ?? 2026}, ${h.village}, 'exited', 2019)`.execute(tx);
    return hid;
  });
}

describe('registry: reads, scoping, masking, income parity', () => {
  let env: TestEnv;
  let admin: TestClient;
  let township: TestClient;
  let village: TestClient;
  let zxId: number;
  let ymId: number;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'reg_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: village } = await userClient(env, admin, { username: 'reg_vil', role: 'village_officer', regionCode: ZX_VILLAGE }));
    zxId = await addHousehold(env, {
      no: 'ZX0001', village: ZX_VILLAGE, rating: 'C',
      members: [{ name: '王大山', relation: 'head', birth: '1960-03-01' }, { name: '李秀兰', relation: 'spouse', birth: '1962-05-09', insurance: null }],
      income: { otherWage: 6000, operatingIncome: -500, pension: 2400, operatingExpense: 1000 },
    });
    ymId = await addHousehold(env, { no: 'YM0001', village: YM_VILLAGE, members: [{ name: '赵铁柱', relation: 'head', birth: '1970-01-01' }] });
    for (let i = 2; i <= 5; i++) {
      await addHousehold(env, { no: `ZX000${i}`, village: ZX_VILLAGE, members: [{ name: `户主${i}`, relation: 'head', birth: '1980-01-01' }], income: { otherWage: 3000 * i } });
    }
  });
  after(() => env.close());

  test('an ID number belongs to at most one household, enforced by the database', async () => {
    const someone = (await sql<{ id_number: string }>`select id_number from persons limit 1`.execute(env.db.kysely)).rows[0]!.id_number;
    await assert.rejects(
      sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${someone}, '211204', ${ZX_VILLAGE}, ${ymId}, 1)`.execute(env.db.kysely),
      (e: { code?: string }) => e.code === '23505',
    );
  });

  test('the list shows the scope only, with keyset paging and totals', async () => {
    const all = await township.ok(api.householdList, { query: { year: 2026 } });
    assert.equal(all.total, 5);
    assert.ok(all.items.every((h) => h.village.code.startsWith('211204101')));
    const p1 = await township.ok(api.householdList, { query: { year: 2026, limit: 2 } });
    const p2 = await township.ok(api.householdList, { query: { year: 2026, limit: 2, after: p1.next! } });
    const p3 = await township.ok(api.householdList, { query: { year: 2026, limit: 2, after: p2.next! } });
    assert.equal(p3.next, null);
    const nos = [...p1.items, ...p2.items, ...p3.items].map((h) => h.householdNo);
    assert.deepEqual(nos.sort(), ['ZX0001', 'ZX0002', 'ZX0003', 'ZX0004', 'ZX0005']);
    const adminAll = await admin.ok(api.householdList, { query: { year: 2026 } });
    assert.equal(adminAll.total, 6);
    assert.equal((await township.call(api.householdGet, { params: { countyCode: '211204', id: ymId } })).status, 404);
    assert.equal((await township.call(api.householdList, { query: { regionCode: YANGMULINZI } })).status, 404);
  });

  test('export: the filtered list as CSV, masked per role, scoped', async () => {
    const r = await township.call(api.householdExport, { query: { year: 2026 } });
    assert.equal(r.status, 200);
    const lines = String(r.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0]!.split(',')[0], '户编号');
    assert.equal(lines.length, 1 + 5);
    const first = lines.find((l) => l.startsWith('ZX0001,'))!.split(',');
    // a township officer may reveal ID numbers, so the export has them in full (as ="…", text for Excel); a village officer's is masked
    assert.match(first[2]!, /^"=""211204196003\d{5}[\dX]"""$/);
    const vil = String((await village.call(api.householdExport, { query: { year: 2026 } })).body).split('\r\n').find((l) => l.startsWith('ZX0001,'))!.split(',');
    assert.match(vil[2]!, /^211204\*{8}\w{4}$/);
    assert.equal(first[6], '一般贫困户');
    assert.equal(first[9], '因病');
    const dangerous = await township.call(api.householdExport, { query: { year: 2026, dangerousHouse: true } });
    assert.equal(String(dangerous.body).trim().split('\r\n').length, 2);
    assert.equal((await township.call(api.householdExport, { query: { regionCode: YANGMULINZI } })).status, 404);
  });

  test('filters: dangerous house, uninsured member, income band, search', async () => {
    const c = await township.ok(api.householdList, { query: { year: 2026, dangerousHouse: true } });
    assert.deepEqual(c.items.map((h) => h.householdNo), ['ZX0001']);
    const u = await township.ok(api.householdList, { query: { year: 2026, uninsured: true } });
    assert.deepEqual(u.items.map((h) => [h.householdNo, h.uninsuredMembers]), [['ZX0001', 1]]);
    const poor = await township.ok(api.householdList, { query: { year: 2026, incomeMax: 7000 } });
    assert.deepEqual(poor.items.map((h) => h.householdNo).sort(), ['ZX0001', 'ZX0002']);
    const byName = await township.ok(api.householdList, { query: { year: 2026, q: '李秀兰' } });
    assert.deepEqual(byName.items.map((h) => h.householdNo), ['ZX0001']);
    const bad = await township.call(api.householdList, { query: { incomeMin: 10, incomeMax: 5 } });
    assert.equal(bad.status, 400);
  });

  test('search: the beginning of a household number finds its households (in scope only); % and _ are literal', async () => {
    const byPrefix = await township.ok(api.householdList, { query: { q: 'ZX000' } });
    assert.deepEqual(byPrefix.items.map((h) => h.householdNo).sort(), ['ZX0001', 'ZX0002', 'ZX0003', 'ZX0004', 'ZX0005']);
    assert.deepEqual((await township.ok(api.householdList, { query: { q: ' ZX0001 ' } })).items.map((h) => h.householdNo), ['ZX0001']);
    assert.equal((await township.ok(api.householdList, { query: { q: 'YM' } })).items.length, 0); // 杨木林子镇 is outside
    assert.deepEqual((await admin.ok(api.householdList, { query: { regionCode: '211204000000', q: 'YM' } })).items.map((h) => h.householdNo), ['YM0001']);
    assert.equal((await township.ok(api.householdList, { query: { q: 'ZX%' } })).items.length, 0);
    assert.equal((await township.ok(api.householdList, { query: { q: 'ZX_001' } })).items.length, 0);
    assert.equal((await township.ok(api.householdList, { query: { q: '0001' } })).items.length, 0); // the beginning, not any part
  });

  test('ID numbers and phones are masked; revealing is limited by role and logged', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId } });
    assert.equal(d.members.length, 2);
    assert.match(d.members[0]!.idNumber, /^211204\*{8}\w{4}$/);
    assert.equal(d.members[0]!.relation, 'head');
    const full = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId }, query: { reveal: true } });
    assert.match(full.members[0]!.idNumber, /^211204196003\d{5}[\dX]$/);
    const log = await admin.ok(api.auditList, { query: { entity: 'households', entityId: String(zxId) } });
    assert.equal(log.items[0]!.action, 'reveal');
    assert.equal(log.items[0]!.actorName, 'reg_zx');
    const vil = await village.ok(api.householdGet, { params: { countyCode: '211204', id: zxId }, query: { reveal: true } });
    assert.match(vil.members[0]!.idNumber, /\*{8}/);
  });

  test('income: the household page shows the computation; size 2, negative operating income', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId } });
    const y = d.incomes[0]!;
    assert.equal(y.year, 2026);
    assert.equal(y.size, 2);
    assert.equal(y.perCapitaNetIncome, 3450); // (6000 − 500 + 2400 − 1000) / 2
    assert.ok(y.explanation.some((l) => l.includes('3,450.00')));
    const row = (await township.ok(api.householdList, { query: { year: 2026, q: 'ZX0001' } })).items[0]!;
    assert.equal(row.perCapitaNetIncome, 3450);
  });

  test('the SQL per-capita income equals the domain computation on random households', async () => {
    let rnd = 12345;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    const expected = new Map<string, number | null>();
    for (let i = 0; i < 60; i++) {
      const size = 1 + Math.floor(next() * 6);
      const income: IncomeValues = {};
      for (const it of INCOME_ITEMS) {
        const r = next();
        income[it.key] = r < 0.25 ? null : Math.round((it.key === 'operatingIncome' ? next() * 40000 - 15000 : next() * 20000) * 100) / 100;
      }
      const no = `RND${String(i).padStart(4, '0')}`;
      await addHousehold(env, {
        no, village: '211204101202',
        members: Array.from({ length: size }, (_, k) => ({ name: `成员${k}`, relation: k === 0 ? 'head' : 'son', birth: '1990-01-01' })),
        income,
      });
      expected.set(no, perCapitaNetIncome(income, size));
    }
    let after: string | null = null;
    let seen = 0;
    do {
      const page: Awaited<ReturnType<typeof admin.ok<typeof api.householdList>>> = await admin.ok(api.householdList, {
        query: { year: 2026, regionCode: '211204101202', limit: 25, ...(after ? { after } : {}) },
      });
      for (const h of page.items) {
        assert.equal(h.perCapitaNetIncome, expected.get(h.householdNo), h.householdNo);
        seen++;
      }
      after = page.next;
    } while (after);
    assert.equal(seen, 60);
  });

  test('changing a member: validated as typed, audited with reason and before/after', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId } });
    const spouse = d.members.find((m) => m.relation === 'spouse')!;
    const bad = await township.call(api.memberUpdate, {
      params: { countyCode: '211204', id: zxId, memberId: spouse.id },
      body: { changes: { idNumber: '211204196205091230' }, reason: '更正' },
    });
    assert.equal(bad.status, 400);
    const detail = (bad.body as unknown as { details: { field: string; message: string }[] }).details[0]!;
    assert.equal(detail.field, 'body.changes.idNumber');
    assert.match(detail.message, /校验/);
    const unknownField = await township.call(api.memberUpdate, {
      params: { countyCode: '211204', id: zxId, memberId: spouse.id }, body: { changes: { salary: 1 } as never, reason: 'x' },
    });
    assert.equal((unknownField.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.changes.salary');
    const ok = await township.ok(api.memberUpdate, {
      params: { countyCode: '211204', id: zxId, memberId: spouse.id },
      body: { changes: { medicalInsurance: 'resident', name: '李秀英' }, reason: '已参加城乡居民医保，更正姓名' },
    });
    assert.equal(ok.members.find((m) => m.id === spouse.id)!.name, '李秀英');
    const h = await admin.ok(api.auditList, { query: { entity: 'members', entityId: String(spouse.id) } });
    assert.equal(h.items[0]!.reason, '已参加城乡居民医保，更正姓名');
    assert.deepEqual(h.items[0]!.changes.find((c) => c.field === 'name'), { field: 'name', before: '李秀兰', after: '李秀英' });
  });

  test('an ID number already in another household (even outside the scope) is refused', async () => {
    const ymIdNumber = (await sql<{ id_number: string }>`select id_number from persons where household_id = ${ymId}`.execute(env.db.kysely)).rows[0]!.id_number;
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId }, query: { reveal: true } });
    const head = d.members.find((m) => m.relation === 'head')!;
    const r = await township.call(api.memberAdd, {
      params: { countyCode: '211204', id: zxId },
      body: { member: { idNumber: ymIdNumber, name: '赵铁柱', relation: 'son', sex: sexOf(ymIdNumber), birthDate: '1970-01-01', medicalInsurance: 'resident', ethnicity: '01', education: 'primary', schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', }, kind: 'other_in', date: '2026-01-05', reason: '投靠' },
    });
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.ok(!JSON.stringify(r.body).includes('杨木林子'));
    const change = await township.call(api.memberUpdate, {
      params: { countyCode: '211204', id: zxId, memberId: head.id }, body: { changes: { idNumber: ymIdNumber, birthDate: '1970-01-01' }, reason: 'x' },
    });
    assert.equal(change.status, 409);
    const still = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId }, query: { reveal: true } });
    assert.equal(still.members.find((m) => m.id === head.id)!.idNumber, head.idNumber);
  });

  test('member moves: birth, death and transfer keep every record and the history', async () => {
    const baby = idNumber('2025-12-01');
    const born = await township.ok(api.memberAdd, {
      params: { countyCode: '211204', id: zxId },
      body: { member: { idNumber: baby, name: '王小宝', relation: 'grandson', sex: sexOf(baby), birthDate: '2025-12-01', medicalInsurance: 'resident', schoolStatus: 'preschool', ethnicity: '01', health: ['healthy'], labour: 'none' }, kind: 'birth', date: '2025-12-01', reason: '新生儿落户' },
    });
    const babyRow = born.members.find((m) => m.name === '王小宝')!;
    assert.equal(babyRow.active, true);
    const before = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId } });
    const headRow = before.members.find((m) => m.relation === 'head')!;
    const died = await township.ok(api.memberMove, {
      params: { countyCode: '211204', id: zxId, memberId: headRow.id },
      body: { kind: 'death', date: '2026-02-01', reason: '病故' },
    });
    const gone = died.members.find((m) => m.id === headRow.id)!;
    assert.equal(gone.active, false);
    assert.equal(gone.leftOn, '2026-02-01');
    assert.match(gone.leftReason!, /死亡：病故/);
    assert.equal(died.incomes[0]!.size, 2); // spouse and baby
    const again = await township.call(api.memberUpdate, { params: { countyCode: '211204', id: zxId, memberId: headRow.id }, body: { changes: { name: 'x' }, reason: 'x' } });
    assert.equal(again.status, 409);

    // transfer the baby to another household of the township: same ID number, new membership, old one kept
    const target = (await township.ok(api.householdList, { query: { year: 2026, q: 'ZX0003' } })).items[0]!;
    // a relation that is not a code of RELATIONS is refused by the contract, the field named
    const badRelation = await township.call(api.memberMove, {
      params: { countyCode: '211204', id: zxId, memberId: babyRow.id },
      body: { kind: 'transfer', date: '2026-03-01', reason: '随母分户', target: { countyCode: '211204', householdId: target.id, relation: 'nephew' as never } },
    });
    assert.equal(badRelation.status, 400);
    const badDetail = (badRelation.body as unknown as { details: { field: string; message: string }[] }).details[0]!;
    assert.equal(badDetail.field, 'body.target.relation');
    assert.match(badDetail.message, /与新户主关系/);
    const moved = await township.ok(api.memberMove, {
      params: { countyCode: '211204', id: zxId, memberId: babyRow.id },
      body: { kind: 'transfer', date: '2026-03-01', reason: '随母分户', target: { countyCode: '211204', householdId: target.id, relation: 'grandson' } },
    });
    assert.equal(moved.members.find((m) => m.id === babyRow.id)!.active, false);
    const t = await township.ok(api.householdGet, { params: { countyCode: '211204', id: target.id } });
    assert.ok(t.members.some((m) => m.name === '王小宝' && m.active));
    const person = (await sql<{ household_id: number }>`select household_id from persons where id_number = ${baby}`.execute(env.db.kysely)).rows[0]!;
    assert.equal(person.household_id, target.id);
    const movesRows = (await sql<{ kind: string }>`select kind from member_moves where id_number = ${baby} order by id`.execute(env.db.kysely)).rows.map((r) => r.kind);
    assert.deepEqual(movesRows, ['birth', 'transfer_in', 'transfer']);
    // the old membership's audit history is still there
    const hist = await admin.ok(api.auditList, { query: { entity: 'members', entityId: String(babyRow.id) } });
    assert.deepEqual(hist.items.map((e) => e.action).reverse(), ['insert', 'update']);
    const future = await township.call(api.memberMove, {
      params: { countyCode: '211204', id: target.id, memberId: t.members.find((m) => m.name === '王小宝')!.id },
      body: { kind: 'other_out', date: '2099-01-01', reason: 'x' },
    });
    assert.equal((future.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.date');
  });

  test('changing a household: validated and scoped', async () => {
    const bad = await township.call(api.householdUpdate, { params: { countyCode: '211204', id: zxId }, body: { changes: { housingRating: 'E' as never }, reason: '鉴定' } });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.changes.housingRating');
    await township.ok(api.householdUpdate, { params: { countyCode: '211204', id: zxId }, body: { changes: { housingRating: 'B', land: { cultivated: 6.5 } }, reason: '危房改造完成' } });
    const c = await township.ok(api.householdList, { query: { year: 2026, dangerousHouse: true } });
    assert.equal(c.total, 0);
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: zxId } });
    assert.equal(d.fields.landCultivated, 6.5);
    const outside = await village.call(api.householdUpdate, { params: { countyCode: '211204', id: ymId }, body: { changes: { housingRating: 'B' }, reason: 'x' } });
    assert.equal(outside.status, 404);
    const inspector = await userClient(env, admin, { username: 'reg_insp', role: 'inspector', regionCode: ZHANGXIANG });
    const ro = await inspector.client.call(api.householdUpdate, { params: { countyCode: '211204', id: zxId }, body: { changes: { housingRating: 'A' }, reason: 'x' } });
    assert.equal(ro.status, 403);
  });
});

function sexOf(id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}
