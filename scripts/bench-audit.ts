/**
 * npm run bench:audit -- [--persons 100000] [--edits 150] [--seed 1]
 *
 * Are interactive edits blocked by an import commit in another county? Generates a small registry in eight counties
 * of 铁岭市/沈阳市 (straight into the database) and, as CSV in the import format, `--persons` persons of a ninth county,
 * validated through the product's import job. Then eight workers, one per county, each edit households of their
 * county one after another — a scoped transaction as a county user updating a household (its row audit trigger
 * appends to the county's chain) — first alone, then while the import's commit job runs (only edits that start and
 * end while the commit is running are counted). Prints both p95 latencies and their ratio; the last line is
 * machine-readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { Database, type Actor } from '../apps/server/src/db/database';
import { generateIntoDatabase, generateToCsv } from '../apps/server/src/generate/index';
import { currentYearInChina } from '../apps/server/src/clock';
import { arg, benchLog, withBenchDatabase } from './lib/bench';

const persons = Number(arg('persons', '100000'));
const editsPerWorker = Number(arg('edits', '150'));
const seed = Number(arg('seed', '1'));
const log = benchLog('audit');
const year = currentYearInChina();

const EDIT_COUNTIES = ['211202', '211204', '211221', '211223', '211224', '211281', '211282', '210102'];
const IMPORT_COUNTY = '210106';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]! : NaN;
};
const p95 = (xs: number[]) => quantile(xs, 0.95);
const round = (x: number) => Math.round(x * 10) / 10;

/** One interactive edit: a county user's scoped transaction updating one household (row-audited). */
async function edit(db: Database, actor: Actor, county: string, id: number, n: number): Promise<number> {
  const t = performance.now();
  await db.scoped(actor, async (tx) => {
    await sql`update households set address = ${`基准地址 ${n}`} where county_code = ${county} and id = ${id}`.execute(tx);
  }, { reason: 'bench:audit' });
  return performance.now() - t;
}

await withBenchDatabase('audit', async ({ db, services, dataDir }) => {
  let t = performance.now();
  for (const county of EDIT_COUNTIES) await generateIntoDatabase(db, { region: county, persons: 300, seed, year });
  const csvDir = path.join(dataDir, 'csv');
  const g = await generateToCsv(db, { region: IMPORT_COUNTY, persons, seed: seed + 1, year, dir: csvDir });
  log(`generated 8 × 300 persons to edit, ${g.persons} persons of ${IMPORT_COUNTY} to import, in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // The edits have a pool of their own (the server's 20 connections are shared by requests and jobs; eight busy
  // editors on the services' pool of 8 would starve the commit job's progress writes instead of measuring the lock).
  const edits = new Database(db.url, EDIT_COUNTIES.length);
  const workers = await Promise.all(EDIT_COUNTIES.map(async (county) => {
    const r = await db.pool.query<{ id: number }>(`select id from households where county_code = $1 order by id limit 20`, [county]);
    const actor: Actor = { id: 1, username: `bench_${county}`, role: 'county_admin', regionCode: `${county}000000`, ip: null };
    return { county, actor, ids: r.rows.map((x) => Number(x.id)) };
  }));

  // the import, validated before anything is measured
  const admin: Actor = { id: 1, username: 'admin', role: 'system_admin', regionCode: '000000000000', ip: null };
  const upload = path.join(dataDir, 'upload');
  fs.mkdirSync(upload);
  const files = ['households.csv', 'members.csv', 'income.csv'].map((n) => {
    fs.copyFileSync(path.join(csvDir, n), path.join(upload, n));
    return { name: n, path: path.join(upload, n), bytes: fs.statSync(path.join(upload, n)).size };
  });
  const wait = async (id: number, states: string[]) => {
    for (;;) {
      const { row } = await services.imports.get(admin, id, 5);
      if (states.includes(row.status)) return row;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  t = performance.now();
  const importId = await services.imports.create(admin, files);
  const validated = await wait(importId, ['validated', 'invalid', 'failed']);
  if (validated.status !== 'validated') throw new Error(`import ${validated.status}: ${validated.message}`);
  log(`import validated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // warm-up, then the edits alone
  await Promise.all(workers.map(async (w) => {
    for (let i = 0; i < 10; i++) await edit(edits, w.actor, w.county, w.ids[i % w.ids.length]!, i);
  }));
  const alone: number[] = [];
  await Promise.all(workers.map(async (w) => {
    for (let i = 0; i < editsPerWorker; i++) alone.push(await edit(edits, w.actor, w.county, w.ids[i % w.ids.length]!, i));
  }));
  log(`alone: ${alone.length} edits, p50 ${round(quantile(alone, 0.5))} ms, p95 ${round(p95(alone))} ms`);

  // the same edits while the import commits (in another county)
  let committing = true;
  const during: number[] = [];
  t = performance.now();
  await services.imports.commit(admin, importId);
  const commitDone = wait(importId, ['committed', 'failed']).then((row) => {
    committing = false;
    return row;
  });
  // wait until the commit job has its transaction open
  for (;;) {
    const r = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state <> 'idle' and query ilike '%import_%' and pid <> pg_backend_pid()`);
    if (r.rows[0]!.n > 0 || !committing) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const startedAt = performance.now();
  await Promise.all(workers.map(async (w) => {
    for (let i = 0; committing; i++) {
      const ms = await edit(edits, w.actor, w.county, w.ids[i % w.ids.length]!, i);
      if (committing) during.push(ms);
    }
  }));
  const row = await commitDone;
  if (row.status !== 'committed') throw new Error(`commit ${row.status}: ${row.message}`);
  const commitS = (performance.now() - t) / 1000;
  log(`import commit of ${g.persons} persons: ${commitS.toFixed(1)} s; ${during.length} edits during it (over ${((performance.now() - startedAt) / 1000).toFixed(1)} s), p50 ${round(quantile(during, 0.5))} ms, p95 ${round(p95(during))} ms, max ${round(Math.max(...during))} ms`);
  if (during.length < 20) throw new Error(`only ${during.length} edits ran during the commit: use a larger --persons`);

  await edits.close();
  const verify = await services.audit.verifyChain();
  log(`audit chains after the run: ${verify.chains.length} chains, ${verify.rows} rows, ${verify.ok ? 'all verify' : 'BROKEN'}`);
  const a = round(p95(alone));
  const w = round(p95(during));
  log(`edits p95: alone ${a} ms, with a concurrent import commit ${w} ms, ratio ${(w / a).toFixed(2)}`);
  console.log(`edits_p95_ms_alone=${a} edits_p95_ms_with_import=${w} ratio=${(w / a).toFixed(2)}`);
});
