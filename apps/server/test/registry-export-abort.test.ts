/**
 * A browser that goes away in the middle of a large household export: the CSV (and XLSX) stream must stop and its
 * scoped transaction roll back, not wait forever for a reader with a transaction left "idle in transaction".
 * Runs the app on a real socket (app.inject cannot disconnect half-way).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { setup, type TestClient, type TestEnv } from './helpers';

const VILLAGE = '211204101200'; // 大孟屯村, 张相镇
const HOUSEHOLDS = 100_000;

describe('household export: the browser disconnects half-way', () => {
  let env: TestEnv;
  let admin: TestClient;
  let base: string;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    // many households in one set-based statement (bulk mode with one summary row, as for an import)
    await env.db.system({ name: 'test' }, async (tx) => {
      await sql`select audit_bulk_begin('test', 'households', null, ${VILLAGE}, '{"setup":"export-abort"}'::jsonb, null)`.execute(tx);
      await sql`insert into households (county_code, household_no, village_code, address, phone, attribute)
                select '211204', 'EX' || lpad(g::text, 6, '0'), ${VILLAGE}, '清河区张相镇大孟屯村' || g || '号 ' || md5(g::text), '13800000000', 'general_poor'
                  from generate_series(1, ${HOUSEHOLDS}) g`.execute(tx);
      // statistics now, as an import does (tuopin_analyze): left to autovacuum, the export's and the list's queries
      // were sometimes planned on an empty table while other test files loaded the machine (a 90 s timeout)
      await sql`analyze households`.execute(tx);
    });
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
  });
  after(() => env.close());

  /** Connections of this test's database in the given state. */
  const inState = async (state: string) => {
    const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state = ${state}`.execute(env.db.kysely);
    return r.rows[0]!.n;
  };

  const waitFor = async (what: string, ok: () => Promise<boolean>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await ok()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`timed out waiting for: ${what}`);
  };

  for (const format of ['csv', 'xlsx'] as const) {
    test(`${format}: aborting the download rolls the export's transaction back`, { timeout: 90_000 }, async () => {
      assert.equal(await inState('idle in transaction'), 0, 'no open transaction before the export');
      const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      let received = 0;
      const req = http.get(`${base}/api/households/export.${format}`, { headers: { cookie } });
      let res: http.IncomingMessage | null = null;
      try {
        res = await new Promise<http.IncomingMessage>((resolve, reject) => {
          req.once('response', resolve);
          req.once('error', reject);
        });
        assert.equal(res.statusCode, 200);
        // read the first part of the file, then stop reading: the server fills the socket and waits for us
        const r = res;
        await new Promise<void>((resolve) => {
          const onData = (b: Buffer) => {
            received += b.length;
            if (received >= 64 * 1024) {
              r.off('data', onData);
              r.pause();
              resolve();
            }
          };
          r.on('data', onData);
        });
        // the export is stuck half-way inside its scoped transaction, waiting for the reader (on a loaded machine
        // filling the socket's buffers with compressed XLSX takes a while)
        await waitFor('the export waiting inside its transaction', async () => (await inState('idle in transaction')) >= 1, 40_000);
      } finally {
        // the browser goes away (also when an assertion above failed: a dangling download would keep the server open)
        req.destroy();
        res?.destroy();
      }
      await waitFor('no transaction left open', async () => (await inState('idle in transaction')) === 0);
      await waitFor('the export connection idle again', async () => (await inState('active')) <= 1);

      // the server still answers, and a complete export still works
      const list = await admin.raw('GET', '/api/households?limit=1');
      assert.equal(list.status, 200);
      assert.equal((list.body as { total: number }).total, HOUSEHOLDS);
    });
  }

  test('a complete CSV export of the same data still ends normally', { timeout: 60_000 }, async () => {
    const r = await admin.raw('GET', '/api/households/export.csv');
    assert.equal(r.status, 200);
    const lines = r.raw.toString('utf8').trim().split('\r\n');
    assert.equal(lines.length, HOUSEHOLDS + 1);
    assert.equal(await inState('idle in transaction'), 0);
  });
});
