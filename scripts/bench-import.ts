/**
 * npm run bench:import -- --persons 1000000 [--province 21] [--seed 1]
 *
 * Generates a registry as CSV files in the import format, imports them through the product's own import path
 * (ImportService: validation job with parsing, domain validation, COPY to staging and SQL checks, then the commit
 * job's set-based merge), and in the same run COPYs the same CSV files raw into unindexed text tables.
 * Prints persons/s for both, the ratio, the process's peak RSS over the whole run (generation included), and the
 * peak RSS of this process plus the import's parser process while the import runs (scripts/lib/memory.ts).
 * The last line is machine-readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { generateToCsv } from '../apps/server/src/generate/index';
import { arg, benchLog, withBenchDatabase } from './lib/bench';
import { sampleMemory } from './lib/memory';

const persons = Number(arg('persons', '100000'));
const region = arg('province', '21');
const seed = Number(arg('seed', '1'));
const log = benchLog('import');

await withBenchDatabase('import', async ({ db, services, dataDir }) => {
  const csvDir = path.join(dataDir, 'csv');
  let t = performance.now();
  const g = await generateToCsv(db, { region, persons, seed, dir: csvDir });
  log(`generated ${g.persons} persons, ${g.households} households in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const names = ['households.csv', 'members.csv', 'income.csv'];
  const bytes = names.reduce((s, n) => s + fs.statSync(path.join(csvDir, n)).size, 0);

  // Raw baseline: the same files COPYed as CSV into unindexed tables of text columns.
  const client = await db.pool.connect();
  t = performance.now();
  for (const n of names) {
    const file = path.join(csvDir, n);
    const header = fs.readFileSync(file, 'utf8').slice(0, 4096).split('\r\n')[0]!.replace(/^\uFEFF/, '').split(',');
    const table = `raw_${n.replace('.csv', '')}`;
    await client.query(`create table ${table} (${header.map((_, i) => `c${i} text`).join(', ')})`);
    await pipeline(fs.createReadStream(file), client.query(copyFrom(`copy ${table} from stdin (format csv, header true)`)));
  }
  const rawS = (performance.now() - t) / 1000;
  client.release();
  log(`raw COPY of ${(bytes / 1024 / 1024).toFixed(0)} MB: ${rawS.toFixed(1)} s`);

  // The product's import path, acting as the administrator.
  const admin = { id: 1, username: 'admin', role: 'system_admin' as const, regionCode: '000000000000', ip: null };
  const upload = path.join(dataDir, 'upload');
  fs.mkdirSync(upload);
  const files = names.map((n) => {
    fs.copyFileSync(path.join(csvDir, n), path.join(upload, n));
    return { name: n, path: path.join(upload, n), bytes: fs.statSync(path.join(upload, n)).size };
  });
  const wait = async (id: number, states: string[]) => {
    for (;;) {
      const { row } = await services.imports.get(admin, id, 5);
      if (states.includes(row.status)) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  global.gc?.();
  const sampler = sampleMemory(50);
  t = performance.now();
  const id = await services.imports.create(admin, files);
  const validated = await wait(id, ['validated', 'invalid', 'failed']);
  const validateS = (performance.now() - t) / 1000;
  if (validated.status !== 'validated') {
    const { problems } = await services.imports.get(admin, id, 5);
    throw new Error(`import ${validated.status}: ${validated.message} ${JSON.stringify(problems)}`);
  }
  const t2 = performance.now();
  await services.imports.commit(admin, id);
  const committed = await wait(id, ['committed', 'failed']);
  const commitS = (performance.now() - t2) / 1000;
  if (committed.status !== 'committed') throw new Error(`commit ${committed.status}: ${committed.message}`);
  const importS = (performance.now() - t) / 1000;
  log(`import: validation ${validateS.toFixed(1)} s ${JSON.stringify(validated.counts.timingsMs)} (warnings ${validated.warning_count}), commit ${commitS.toFixed(1)} s, total ${importS.toFixed(1)} s`);

  const pps = Math.round(g.persons / importS);
  const raw = Math.round(g.persons / rawS);
  const peak = sampler.stop();
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  log(`persons/s: import ${pps}, raw COPY ${raw}, ratio ${(pps / raw).toFixed(3)}, peak RSS ${rss} MB (this process over the whole run, generation included)`);
  log(`import only: peak RSS server + parser ${peak.totalMb} MB (server ${peak.selfMb} MB, ${peak.startMb} MB before the upload; parser process ${peak.childMb} MB)`);
  console.log(`persons_per_s=${pps} raw_copy_per_s=${raw} ratio=${(pps / raw).toFixed(3)} peak_rss_mb=${rss} import_peak_rss_mb=${peak.totalMb}`);
});
