/**
 * Registry forms and exports through the HTTP API: creating a household, editing and moving members (refused
 * changes name their field, history survives), the household history, household size by year, and the XLSX/CSV
 * export with masking by role, audit and region scoping.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { api, idCheckCharacter, type MemberChanges, type NewHousehold } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { currentYearInChina } from '../src/clock';

const ZX_VILLAGE = '211204101200'; // 大孟屯村, 张相镇
const ZX_VILLAGE_2 = '211204101202';
const YM_VILLAGE = '211204102200'; // 前杨木林子村, 杨木林子镇
const YEAR = currentYearInChina();

let seq = 0;
/** A valid resident ID of 清河区 for the birth date; the 17th digit gives the sex. */
function idNumber(birth: string, sex: 'male' | 'female'): string {
  const n = 100 + ((seq++ * 2) % 800) + (sex === 'male' ? 1 : 0);
  const body = `211204${birth.replace(/-/g, '')}${String(n).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

function person(name: string, birth: string, sex: 'male' | 'female', extra: MemberChanges = {}): MemberChanges & { idNumber: string } {
  const adult = Number(birth.slice(0, 4)) <= YEAR - 16;
  return {
    idNumber: idNumber(birth, sex), name, sex, birthDate: birth, ethnicity: '01', education: adult ? 'junior' : null,
    schoolStatus: adult ? 'not_in_school' : 'preschool', health: ['healthy'], labour: adult ? 'ordinary' : 'none', medicalInsurance: 'resident',
    ...extra,
  };
}

function household(no: string, village: string, extra: NewHousehold = {}): NewHousehold {
  return { householdNo: no, villageCode: village, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', phone: '13812345678', ...extra };
}

type ErrBody = { code: string; message: string; details?: { field: string; message: string }[] };
const err = (b: unknown) => b as ErrBody;

async function workbook(raw: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(raw as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  ws.eachRow((row) => rows.push(((row.values as unknown[]) ?? []).slice(1).map((v) => (v === undefined ? null : (v as string | number)))));
  return { name: ws.name, header: rows[0]!, data: rows.slice(1) };
}

describe('registry forms and exports', () => {
  let env: TestEnv;
  let admin: TestClient;
  let county: TestClient;
  let township: TestClient;
  let village: TestClient;
  let inspector: TestClient;
  let hid: number;
  let headId: string;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'f_county', role: 'county_admin', regionCode: QINGHE }));
    ({ client: township } = await userClient(env, admin, { username: 'f_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: village } = await userClient(env, admin, { username: 'f_vil', role: 'village_officer', regionCode: ZX_VILLAGE }));
    ({ client: inspector } = await userClient(env, admin, { username: 'f_insp', role: 'inspector', regionCode: ZHANGXIANG }));
  });
  after(() => env.close());

  test('create a household with its head: validated, scoped, audited', async () => {
    const head = person('孙建国', '1968-04-12', 'male', { phone: '13900001111' });
    headId = head.idNumber;
    const created = await village.call(api.householdCreate, {
      body: { household: household('F0001', ZX_VILLAGE, { land: { cultivated: 8.5 } }), head, reason: '新识别农户' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    hid = created.body.id;
    assert.equal(created.body.householdNo, 'F0001');
    assert.equal(created.body.countyCode, '211204');
    assert.equal(created.body.village.code, ZX_VILLAGE);
    assert.equal(created.body.fields.landCultivated, 8.5);
    assert.equal(created.body.fields.isMilitaryFamily, false); // the column default, not null
    assert.equal(created.body.members.length, 1);
    assert.equal(created.body.members[0]!.relation, 'head');
    assert.equal(created.body.members[0]!.name, '孙建国');
    assert.match(created.body.members[0]!.idNumber, /^211204\*{8}\w{4}$/); // masked for a village officer
    assert.equal(created.body.fields.phone, '138****5678');

    const list = await township.ok(api.householdList, { query: { q: 'F0001' } });
    assert.deepEqual(list.items.map((h) => [h.householdNo, h.headName, h.size]), [['F0001', '孙建国', 1]]);
    const log = await admin.ok(api.auditList, { query: { entity: 'households', entityId: String(hid) } });
    assert.equal(log.items.at(-1)!.action, 'insert');
    assert.equal(log.items.at(-1)!.reason, '新识别农户');
    assert.equal(log.items.at(-1)!.actorName, 'f_vil');

    // the same household number in the county
    const dup = await township.call(api.householdCreate, {
      body: { household: household('F0001', ZX_VILLAGE_2), head: person('周一', '1970-01-01', 'male'), reason: 'x' },
    });
    assert.equal(dup.status, 409);
    assert.equal(err(dup.body).details![0]!.field, 'body.household.householdNo');
    // the same ID number as a member of another household
    const dupId = await township.call(api.householdCreate, {
      body: { household: household('F0099', ZX_VILLAGE_2), head: { ...person('孙建国', '1968-04-12', 'male'), idNumber: headId }, reason: 'x' },
    });
    assert.equal(dupId.status, 409);
    assert.equal(err(dupId.body).details![0]!.field, 'body.head.idNumber');
    // a bad head: the field is named, in Chinese, and nothing is written
    const bad = await township.call(api.householdCreate, {
      body: { household: household('F0098', ZX_VILLAGE_2), head: { ...person('周二', '1970-01-01', 'male'), sex: 'female' }, reason: 'x' },
    });
    assert.equal(bad.status, 400);
    assert.equal(err(bad.body).details![0]!.field, 'body.head.sex');
    assert.match(err(bad.body).details![0]!.message, /性别与证件号码不符/);
    const badHousehold = await township.call(api.householdCreate, {
      body: { household: household('F0097', ZX_VILLAGE_2, { housingRating: 'E' as never, attribute: undefined }), head: person('周三', '1971-01-01', 'male'), reason: 'x' },
    });
    assert.equal(badHousehold.status, 400);
    assert.deepEqual(err(badHousehold.body).details!.map((d) => d.field).sort(), ['body.household.attribute', 'body.household.housingRating']);
    assert.equal((await township.ok(api.householdList, { query: { q: 'F009' } })).total, 0);
  });

  test('create is scoped: a village outside the region, a township instead of a village, read-only roles', async () => {
    const outside = await township.call(api.householdCreate, {
      body: { household: household('F0100', YM_VILLAGE), head: person('吴一', '1975-01-01', 'male'), reason: 'x' },
    });
    assert.equal(outside.status, 400);
    assert.equal(err(outside.body).details![0]!.field, 'body.household.villageCode');
    assert.ok(!JSON.stringify(outside.body).includes('杨木林子'));
    const notVillage = await county.call(api.householdCreate, {
      body: { household: household('F0101', '211204101000'), head: person('吴二', '1975-02-01', 'male'), reason: 'x' },
    });
    assert.equal(notVillage.status, 400);
    assert.equal(err(notVillage.body).details![0]!.field, 'body.household.villageCode');
    const ro = await inspector.call(api.householdCreate, {
      body: { household: household('F0102', ZX_VILLAGE), head: person('吴三', '1975-03-01', 'male'), reason: 'x' },
    });
    assert.equal(ro.status, 403);
    const head = { ...person('吴四', '1975-04-01', 'male'), relation: 'spouse' as const };
    const notHead = await township.call(api.householdCreate, { body: { household: household('F0103', ZX_VILLAGE), head, reason: 'x' } });
    assert.equal(err(notHead.body).details![0]!.field, 'body.head.relation');
  });

  test('editing a member: a new validation error is refused with the field named; old errors do not block', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    const head = d.members[0]!;
    const badId = await township.call(api.memberUpdate, {
      params: { countyCode: '211204', id: hid, memberId: head.id }, body: { changes: { idNumber: `${headId.slice(0, 17)}0` === headId ? `${headId.slice(0, 17)}1` : `${headId.slice(0, 17)}0` }, reason: '更正证件号码' },
    });
    assert.equal(badId.status, 400);
    assert.equal(err(badId.body).details![0]!.field, 'body.changes.idNumber');
    assert.match(err(badId.body).message, /校验.*字段：body\.changes\.idNumber/);
    const minor = await township.call(api.memberUpdate, {
      params: { countyCode: '211204', id: hid, memberId: head.id }, body: { changes: { workMonths: 13 }, reason: 'x' },
    });
    assert.equal(err(minor.body).details![0]!.field, 'body.changes.workMonths');
    assert.equal(err(minor.body).details![0]!.message, '务工时间（月）不能大于12');

    // a record that already has an error (written by hand, as old data would be) can still be corrected elsewhere
    await env.db.system({ name: 'fixture' }, (tx) => sql`update members set labour = null where id = ${head.id}`.execute(tx));
    const ok = await township.ok(api.memberUpdate, {
      params: { countyCode: '211204', id: hid, memberId: head.id },
      body: { changes: { health: ['disabled'], disabilityCategory: '4', disabilityGrade: '2', workMonths: 6, workPlace: 'county' }, reason: '残疾人证办理' },
    });
    const after = ok.members.find((m) => m.id === head.id)!;
    assert.deepEqual([after.disabilityCategory, after.disabilityGrade, after.workMonths], ['4', '2', 6]); // codes, not integers
    assert.equal(after.labour, null);
  });

  test('household history: household, members and moves; private values masked; reveal entries present', async () => {
    const wife = person('钱秀梅', '1970-09-09', 'female', { relation: 'spouse', phone: '13700002222' });
    const added = await township.ok(api.memberAdd, { params: { countyCode: '211204', id: hid }, body: { member: wife, kind: 'marriage_in', date: '2024-05-01', reason: '结婚迁入' } });
    const wifeRow = added.members.find((m) => m.name === '钱秀梅')!;
    assert.equal(wifeRow.joinedOn, '2024-05-01');
    await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid }, query: { reveal: true } });
    await township.ok(api.householdUpdate, { params: { countyCode: '211204', id: hid }, body: { changes: { housingRating: 'B' }, reason: '住房鉴定' } });

    const h = await village.ok(api.householdHistory, { params: { countyCode: '211204', id: hid } });
    const kinds = h.items.map((e) => `${e.entity}.${e.action}`);
    assert.deepEqual(kinds.slice(0, 4), ['households.update', 'households.reveal', 'member_moves.insert', 'members.insert']);
    assert.ok(kinds.includes('households.insert'));
    assert.ok(kinds.filter((k) => k === 'members.update').length >= 1);
    const wifeInsert = h.items.find((e) => e.entity === 'members' && e.action === 'insert' && e.entityId === String(wifeRow.id))!;
    assert.match(String(wifeInsert.changes.find((c) => c.field === 'id_number')!.after), /^211204\*{8}\w{4}$/);
    assert.equal(wifeInsert.changes.find((c) => c.field === 'phone')!.after, '137****2222');
    assert.equal(wifeInsert.reason, '婚入：结婚迁入');
    const reveal = h.items.find((e) => e.action === 'reveal')!;
    assert.equal(reveal.actorName, 'f_zx');
    assert.deepEqual(reveal.changes, [{ field: 'fields', before: null, after: ['idNumber', 'phone'] }]);

    // paging
    const p1 = await village.ok(api.householdHistory, { params: { countyCode: '211204', id: hid }, query: { limit: 2 } });
    assert.equal(p1.items.length, 2);
    const p2 = await village.ok(api.householdHistory, { params: { countyCode: '211204', id: hid }, query: { limit: 2, before: p1.nextBefore! } });
    assert.deepEqual(p2.items.map((e) => e.id), h.items.slice(2, 4).map((e) => e.id));

    // scoping: a household outside the region is not found; read-only roles may read it
    const ym = await admin.ok(api.householdCreate, { body: { household: household('Y0001', YM_VILLAGE), head: person('郑一', '1966-06-06', 'male'), reason: 'x' } });
    assert.equal((await township.call(api.householdHistory, { params: { countyCode: '211204', id: ym.id } })).status, 404);
    assert.equal((await inspector.call(api.householdHistory, { params: { countyCode: '211204', id: hid } })).status, 200);
  });

  test('a member move keeps the member and its history; the household size of each year follows the moves', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    const wife = d.members.find((m) => m.name === '钱秀梅')!;
    const baby = person('孙小雨', '2025-02-03', 'female', { relation: 'granddaughter' });
    const born = await township.ok(api.memberAdd, { params: { countyCode: '211204', id: hid }, body: { member: baby, kind: 'birth', date: '2025-02-03', reason: '出生' } });
    assert.equal(born.members.find((m) => m.name === '孙小雨')!.relation, 'granddaughter');
    const moved = await township.ok(api.memberMove, {
      params: { countyCode: '211204', id: hid, memberId: wife.id }, body: { kind: 'marriage_out', date: `${YEAR}-01-10`, reason: '离婚后再婚迁出' },
    });
    const gone = moved.members.find((m) => m.id === wife.id)!;
    assert.deepEqual([gone.active, gone.leftOn, gone.name], [false, `${YEAR}-01-10`, '钱秀梅']);
    assert.match(gone.leftReason!, /^婚出：/);
    const wifeHistory = (await admin.ok(api.auditList, { query: { entity: 'members', entityId: String(wife.id) } })).items.map((e) => e.action).reverse();
    assert.deepEqual(wifeHistory, ['insert', 'update']);
    const still = await township.ok(api.householdHistory, { params: { countyCode: '211204', id: hid } });
    assert.ok(still.items.some((e) => e.entity === 'members' && e.entityId === String(wife.id) && e.action === 'insert'));

    // income of four years, written as the import would
    await env.db.system({ name: 'fixture' }, async (tx) => {
      for (const y of [2023, 2024, 2025, YEAR]) {
        await sql`insert into income_records (county_code, household_id, year, village_code, other_wage) values ('211204', ${hid}, ${y}, ${ZX_VILLAGE}, 12000)`.execute(tx);
      }
    });
    // members at each year end: 2023 head; 2024 head + wife (married in 2024-05); 2025 + granddaughter; now wife left
    const detail = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    const sizes = Object.fromEntries(detail.incomes.map((i) => [i.year, [i.size, i.perCapitaNetIncome]]));
    assert.deepEqual(sizes, { 2023: [1, 12000], 2024: [2, 6000], 2025: [3, 4000], [YEAR]: [2, 6000] });
    for (const year of [2023, 2024, 2025, YEAR]) {
      const row = (await township.ok(api.householdList, { query: { year, q: 'F0001' } })).items[0]!;
      assert.deepEqual([row.size, row.perCapitaNetIncome], sizes[year], String(year));
    }
    const band = await township.ok(api.householdList, { query: { year: 2025, incomeMax: 4500, q: 'F0001' } });
    assert.equal(band.total, 1);
  });

  test('XLSX export: Chinese headers, every row, full numbers only for roles that may reveal them, logged, scoped', async () => {
    // 2,100 more households in one village: the export reads them in more than one keyset batch
    await env.db.system({ name: 'fixture' }, async (tx) => {
      await sql`insert into households (county_code, household_no, village_code, attribute, main_cause, phone)
                select '211204', 'B' || lpad(g::text, 5, '0'), ${ZX_VILLAGE_2}, 'dibao', 'disability', '13600003333' from generate_series(1, 2100) g`.execute(tx);
    });
    const r = await county.call(api.householdExportXlsx, { query: { regionCode: ZHANGXIANG } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /spreadsheetml/);
    assert.match(decodeURIComponent(String(r.headers['content-disposition'])), /农户列表-张相镇-\d{4}\.xlsx/);
    const full = await workbook(r.raw);
    assert.equal(full.name, '农户列表');
    assert.deepEqual(full.header, [
      '户编号', '户主', '户主证件号码', '所在村', '村代码', '人口', '户属性', '户状态', '是否监测', '主要致贫原因', '住房安全等级', '人均纯收入（元）', '未参保人数', '联系电话',
    ]);
    assert.equal(full.data.length, 1 + 2100);
    const f1 = full.data.find((row) => row[0] === 'F0001')!;
    assert.equal(f1[1], '孙建国');
    assert.equal(f1[2], headId);
    assert.equal(f1[13], '13812345678');
    assert.equal(f1[6], '一般贫困户');
    assert.equal(f1[10], 'B级');
    assert.equal(f1[11], 6000);
    const b = full.data.find((row) => row[0] === 'B02100')!;
    assert.deepEqual([b[6], b[9], b[5]], ['低保户', '因残', 0]);

    for (const [who, client] of [['f_vil', village], ['f_insp', inspector]] as const) {
      const masked = await workbook((await client.call(api.householdExportXlsx, { query: {} })).raw);
      const row = masked.data.find((x) => x[0] === 'F0001')!;
      assert.match(String(row[2]), /^211204\*{8}\w{4}$/, who);
      assert.equal(row[13], '138****5678', who);
    }
    const vil = await workbook((await village.call(api.householdExportXlsx, { query: {} })).raw);
    assert.equal(vil.data.length, 1); // 大孟屯村 only

    // filters apply as in the list
    const filtered = await workbook((await county.call(api.householdExportXlsx, { query: { regionCode: ZHANGXIANG, attribute: 'general_poor' } })).raw);
    assert.deepEqual(filtered.data.map((x) => x[0]), ['F0001']);

    // every export is logged, for read-only roles too, with whether full numbers were included
    const log = await admin.ok(api.auditList, { query: { entity: 'households', limit: 20 } });
    const exports = log.items.filter((e) => e.action === 'export');
    const byInspector = exports.find((e) => e.actorName === 'f_insp')!;
    assert.deepEqual(byInspector.changes.find((c) => c.field === 'fields')!.after, []);
    assert.equal(byInspector.changes.find((c) => c.field === 'format')!.after, 'xlsx');
    const byCounty = exports.find((e) => e.actorName === 'f_county')!;
    assert.deepEqual(byCounty.changes.find((c) => c.field === 'fields')!.after, ['idNumber', 'phone']);
    assert.equal(byCounty.regionCode, ZHANGXIANG);

    // scoping
    assert.equal((await township.call(api.householdExportXlsx, { query: { regionCode: YANGMULINZI } })).status, 404);
    const ymRows = await workbook((await county.call(api.householdExportXlsx, { query: { regionCode: YANGMULINZI } })).raw);
    assert.deepEqual(ymRows.data.map((x) => x[0]), ['Y0001']);
  });
});
