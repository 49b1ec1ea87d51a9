/**
 * Reading the audit log: private values masked as on the household page (a reveal only for roles that may, and
 * logged), and every entry in words — the household (number, head, village) of registry and monitoring entries, the
 * actor's display name, the reason, a procedure step's signature — resolved within the reader's scope.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, idCheckCharacter, maskIdNumber, maskPhone, type AuditEntry } from '@tuopin/domain';
import { QINGHE, setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { currentYearInChina, todayInChina } from '../src/clock';

const ZX_VILLAGE = '211204101200'; // 大孟屯村民委员会, 张相镇
const YEAR = currentYearInChina();
const HEAD_ID = (() => {
  const body = `211204${YEAR - 50}0301123`;
  return body + idCheckCharacter(body);
})();
const PHONE = '13912345678';

describe('audit log: masking and entries in words', () => {
  let env: TestEnv;
  let admin: TestClient;
  let county: TestClient;
  let township: TestClient;
  let inspector: TestClient;
  let hid: number;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'aud_county', role: 'county_admin', regionCode: QINGHE, displayName: '县管理员' }));
    ({ client: township } = await userClient(env, admin, { username: 'aud_zx', role: 'township_officer', regionCode: ZHANGXIANG, displayName: '张乡镇' }));
    ({ client: inspector } = await userClient(env, admin, { username: 'aud_insp', role: 'inspector', regionCode: QINGHE, displayName: '督查员' }));
    const created = await township.call(api.householdCreate, {
      body: {
        household: { householdNo: 'AUD0001', villageCode: ZX_VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', phone: PHONE },
        head: {
          idNumber: HEAD_ID, name: '王审计', sex: 'male', birthDate: `${YEAR - 50}-03-01`, ethnicity: '01', education: 'junior', schoolStatus: 'not_in_school',
          health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', phone: PHONE,
        },
        reason: '新识别农户',
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    hid = created.body.id;
  });
  after(() => env.close());

  const memberInsert = (items: AuditEntry[]) => items.find((e) => e.entity === 'members' && e.action === 'insert')!;
  const revealsOf = async () =>
    (await sql<{ actor_name: string; after: { entries: string[] } }>`select actor_name, after from audit_log where action = 'reveal' and entity = 'audit_log' order by id`
      .execute(env.db.kysely)).rows;

  test('an inspector reads ID numbers and phones masked, as on the household page, and cannot reveal them', async () => {
    for (const reveal of [undefined, true]) {
      const r = await inspector.call(api.auditList, { query: { regionCode: ZHANGXIANG, ...(reveal && { reveal }) } });
      assert.equal(r.status, 200);
      const text = r.raw.toString('utf8');
      assert.equal(text.includes(HEAD_ID), false, 'no full ID number');
      assert.equal(text.includes(PHONE), false, 'no full phone');
      const m = memberInsert(r.body.items);
      assert.equal(m.changes.find((c) => c.field === 'id_number')!.after, maskIdNumber(HEAD_ID));
      assert.equal(m.changes.find((c) => c.field === 'phone')!.after, maskPhone(PHONE));
      const h = r.body.items.find((e) => e.entity === 'households' && e.action === 'insert')!;
      assert.equal(h.changes.find((c) => c.field === 'phone')!.after, maskPhone(PHONE));
    }
    // the household page says the same
    const page = await inspector.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    assert.equal(page.members[0]!.idNumber, maskIdNumber(HEAD_ID));
    assert.equal((await revealsOf()).length, 0, 'nothing was revealed');
  });

  test('a role that may reveal sees them masked by default and in full on request; the reveal is logged with the entries it showed', async () => {
    const plain = await county.ok(api.auditList, { query: { regionCode: ZHANGXIANG } });
    assert.equal(memberInsert(plain.items).changes.find((c) => c.field === 'id_number')!.after, maskIdNumber(HEAD_ID));
    assert.equal((await revealsOf()).length, 0);

    const full = await county.ok(api.auditList, { query: { regionCode: ZHANGXIANG, reveal: true } });
    const m = memberInsert(full.items);
    assert.equal(m.changes.find((c) => c.field === 'id_number')!.after, HEAD_ID);
    assert.equal(m.changes.find((c) => c.field === 'phone')!.after, PHONE);
    const logged = await revealsOf();
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.actor_name, 'aud_county');
    const household = full.items.find((e) => e.entity === 'households' && e.action === 'insert')!;
    assert.deepEqual(logged[0]!.after.entries.sort(), [m.id, household.id].sort());
    // and the reveal shows in the log itself
    const again = await county.ok(api.auditList, { query: { entity: 'audit_log' } });
    assert.equal(again.items[0]!.action, 'reveal');
    assert.equal(again.items[0]!.actorDisplayName, '县管理员');
    // a page without private values reveals nothing and logs nothing
    await county.ok(api.auditList, { query: { entity: 'users', reveal: true } });
    assert.equal((await revealsOf()).length, 1);
  });

  test('entries name their household, village, actor and reason; names resolve only within the reader\'s scope', async () => {
    const r = await county.ok(api.auditList, { query: { regionCode: ZHANGXIANG } });
    for (const entity of ['households', 'members']) {
      const e = r.items.find((x) => x.entity === entity && x.action === 'insert')!;
      assert.deepEqual(e.subject?.household, { countyCode: '211204', id: hid, householdNo: 'AUD0001', headName: '王审计', villageName: '大孟屯村民委员会' }, entity);
      assert.equal(e.actorName, 'aud_zx');
      assert.equal(e.actorDisplayName, '张乡镇');
      assert.equal(e.reason, '新识别农户');
    }
    assert.equal(r.items.find((x) => x.entity === 'members' && x.action === 'insert')!.subject?.name, '王审计');
    // a user entry names the user; the national admin who created them is out of the county's scope: user name only
    const users = await county.ok(api.auditList, { query: { entity: 'users' } });
    const insert = users.items.find((e) => e.action === 'insert' && e.subject?.username === 'aud_zx')!;
    assert.equal(insert.subject?.name, '张乡镇');
    assert.equal(insert.actorName, 'admin');
    assert.equal(insert.actorDisplayName, null);
    const byAdmin = await admin.ok(api.auditList, { query: { entity: 'users', entityId: insert.entityId! } });
    const adminName = (await sql<{ n: string }>`select display_name as n from users where id = 1`.execute(env.db.kysely)).rows[0]!.n;
    assert.equal(byAdmin.items.find((e) => e.action === 'insert')!.actorDisplayName, adminName); // the admin sees everyone
  });

  test('a signed procedure step shows its step, signer, result and comment', async () => {
    const today = todayInChina();
    const procId = await env.db.system({ name: 'fixture' }, async (tx) => {
      const state = { kind: 'identification', status: 'active', stepIndex: 0, startedOn: today, stepSince: today, events: [] as unknown[] };
      const p = await sql<{ id: number }>`
        insert into procedures (county_code, household_id, village_code, kind, status, state, step, started_on, step_since, due_on, year, facts_start, policy)
        values ('211204', ${hid}, ${ZX_VILLAGE}, 'identification', 'active', ${JSON.stringify(state)}::jsonb, 'verification', ${today}, ${today}, ${today},
                ${YEAR}, '{}'::jsonb, '{}'::jsonb) returning id`.execute(tx);
      const id = p.rows[0]!.id;
      const signed = {
        ...state, stepIndex: 1,
        events: [{ action: 'sign', step: 'verification', data: { findings: '户主住院，自付 3 万元' }, comment: null, signerId: 2, signerName: '张乡镇', role: 'township_officer', on: today }],
      };
      await sql`update procedures set state = ${JSON.stringify(signed)}::jsonb, step = 'comparison' where county_code = '211204' and id = ${id}`.execute(tx);
      return id;
    });
    const r = await township.ok(api.auditList, { query: { entity: 'procedures', entityId: String(procId) } });
    const [update, insert] = r.items;
    assert.equal(insert!.signature, null);
    assert.equal(insert!.subject?.kind, 'identification');
    assert.equal(insert!.subject?.household?.headName, '王审计');
    assert.deepEqual(update!.signature, { action: 'sign', step: 'verification', toStep: null, on: today, signerName: '张乡镇', result: null, comment: '户主住院，自付 3 万元' });
  });
});
