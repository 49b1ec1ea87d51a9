/**
 * npm run bench:import-memory -- [--csv-mb 60] [--xlsx-mb 40] [--province 21] [--seed 1] [--only csv|xlsx]
 *
 * Peak memory of the import's validation for large uploads. Generates registries with the generator
 * (apps/server/src/generate), as CSV files of about --csv-mb MB in all, and as one XLSX workbook of about --xlsx-mb MB
 * (the generator's CSV rewritten by ExcelJS's streaming writer with shared strings, as Excel saves a workbook), and
 * validates each through the product's path (ImportService: upload registered, validation job). Prints the peak RSS of
 * this process (the server: API, job queue, COPY) plus its Node children (the parser process) sampled every 50 ms,
 * and the parser's own peak (VmHWM); PostgreSQL is not counted. Memory, not time: the figures hold on a busy machine.
 * The last line is machine-readable.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { SHEETS, type SheetName } from '@tuopin/domain';
import { csvBatches } from '../apps/server/src/import/csv';
import { MAX_XLSX_BYTES } from '../apps/server/src/import/source';
import { arg, benchLog, withBenchDatabase } from './lib/bench';
import { sampleMemory, type MemoryPeak } from './lib/memory';

const csvMb = Number(arg('csv-mb', '60'));
const xlsxMb = Number(arg('xlsx-mb', '40'));
const region = arg('province', '21');
const seed = Number(arg('seed', '1'));
const only = arg('only', 'both');
const log = benchLog('import-memory');
const NAMES = { 'households.csv': 'households', 'members.csv': 'members', 'income.csv': 'income' } as const satisfies Record<string, SheetName>;
const MB = 1024 * 1024;

/** The generator's CSV files as one workbook (sheets 户信息 / 成员信息 / 收入信息), numbers as numbers, text as shared strings. */
async function csvToXlsx(dir: string, out: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: true, useStyles: false });
  for (const [file, sheet] of Object.entries(NAMES)) {
    const ws = wb.addWorksheet(SHEETS[sheet].title);
    const decoder = new TextDecoder('utf-8');
    const chunks = (async function* () {
      for await (const c of fs.createReadStream(path.join(dir, file))) yield decoder.decode(c as Buffer, { stream: true });
    })();
    for await (const batch of csvBatches(chunks)) {
      for (const r of batch) ws.addRow(r.rowNo === 1 ? r.cells : r.cells.map((c) => (/^-?\d{1,9}(\.\d+)?$/.test(c) ? Number(c) : c === '' ? null : c))).commit();
    }
    ws.commit();
  }
  await wb.commit();
}

const sizeOf = (dir: string) => Object.keys(NAMES).reduce((s, n) => s + fs.statSync(path.join(dir, n)).size, 0);

// `--to-xlsx DIR OUT`: the conversion alone, run as a process of its own (see below).
if (process.argv.includes('--to-xlsx')) {
  await csvToXlsx(arg('to-xlsx', ''), process.argv[process.argv.indexOf('--to-xlsx') + 2]!);
  process.exit(0);
}

/**
 * Generation and conversion run in processes of their own, so that this process (the server) starts the import
 * with the memory a server has, not with what generating and converting a registry of this size left behind.
 */
function inProcess(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status ?? r.signal})`);
}

await withBenchDatabase('import_memory', async ({ db, services, dataDir }) => {
  const admin = { id: 1, username: 'admin', role: 'system_admin' as const, regionCode: '000000000000', ip: null };
  const generate = (persons: number, dir: string) => {
    fs.rmSync(dir, { recursive: true, force: true });
    inProcess(['apps/server/src/cli/generate.ts', '--province', region, '--persons', String(persons), '--seed', String(seed), '--out', dir], { DATABASE_URL: db.url });
    return { persons };
  };
  const toXlsx = (dir: string, out: string) => inProcess(['scripts/bench-import-memory.ts', '--to-xlsx', dir, out]);
  // Bytes per person of both formats, from a small sample.
  const sample = path.join(dataDir, 'sample');
  const s = generate(5000, sample);
  toXlsx(sample, path.join(sample, 'all.xlsx'));
  const csvPerPerson = sizeOf(sample) / s.persons;
  const xlsxPerPerson = fs.statSync(path.join(sample, 'all.xlsx')).size / s.persons;
  log(`sample: ${csvPerPerson.toFixed(0)} CSV bytes and ${xlsxPerPerson.toFixed(0)} XLSX bytes per person`);

  /** Uploads the files and waits for the validation; returns the import's row and the memory peak while it ran. */
  const validate = async (files: { name: string; path: string }[]) => {
    const upload = path.join(dataDir, `upload-${Date.now()}`);
    fs.mkdirSync(upload);
    const copies = files.map((f) => {
      const p = path.join(upload, f.name);
      fs.copyFileSync(f.path, p);
      return { name: f.name, path: p, bytes: fs.statSync(p).size };
    });
    global.gc?.();
    const sampler = sampleMemory(50);
    const t = performance.now();
    const id = await services.imports.create(admin, copies);
    for (;;) {
      const { row } = await services.imports.get(admin, id, 3);
      if (!['queued', 'validating'].includes(row.status)) {
        const peak = sampler.stop();
        return { row, peak, seconds: (performance.now() - t) / 1000 };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const report = (what: string, bytes: number, r: Awaited<ReturnType<typeof validate>>) => {
    const rows = (r.row.counts as { rows?: Record<string, number> }).rows ?? {};
    log(`${what} (${(bytes / MB).toFixed(1)} MB, rows ${JSON.stringify(rows)}): ${r.row.status} — ${r.row.message} (errors ${r.row.error_count}) in ${r.seconds.toFixed(1)} s`);
    log(`  peak RSS server + parser ${r.peak.totalMb} MB (server alone ${r.peak.selfMb} MB, ${r.peak.startMb} MB before the upload; parser process ${r.peak.childMb} MB, ${r.peak.children} child process(es))`);
  };
  const results: Record<string, MemoryPeak & { mb: number; status: string }> = {};

  if (only !== 'xlsx') {
    const dir = path.join(dataDir, 'csv');
    // The bytes per person of a small sample are only a first guess: scale until the files are within 2 % of the target.
    let persons = Math.round((csvMb * MB) / csvPerPerson);
    let bytes: number;
    for (;;) {
      const g = generate(persons, dir);
      bytes = sizeOf(dir);
      log(`generated ${g.persons} persons as CSV, ${(bytes / MB).toFixed(1)} MB`);
      if (Math.abs(bytes - csvMb * MB) <= 0.02 * csvMb * MB) break;
      persons = Math.round(persons * ((csvMb * MB) / bytes));
    }
    const r = await validate(Object.keys(NAMES).map((n) => ({ name: n, path: path.join(dir, n) })));
    report('CSV', bytes, r);
    results.csv = { ...r.peak, mb: Math.round(bytes / MB), status: r.row.status };
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (only !== 'csv') {
    const dir = path.join(dataDir, 'xlsx');
    let persons = Math.round((xlsxMb * MB) / xlsxPerPerson);
    let file: string;
    for (;;) {
      const g = generate(persons, dir);
      file = path.join(dir, 'registry.xlsx');
      toXlsx(dir, file);
      const size = fs.statSync(file).size;
      log(`generated ${g.persons} persons as XLSX, ${(size / MB).toFixed(1)} MB`);
      const target = Math.min(xlsxMb * MB, MAX_XLSX_BYTES);
      if (size <= target && size >= 0.97 * target) break;
      persons = Math.floor(persons * (target / size) * 0.99);
    }
    const bytes = fs.statSync(file).size;
    const r = await validate([{ name: 'registry.xlsx', path: file }]);
    report('XLSX', bytes, r);
    results.xlsx = { ...r.peak, mb: Math.round(bytes / MB), status: r.row.status };
  }
  console.log(Object.entries(results).map(([k, v]) => `${k}_mb=${v.mb} ${k}_status=${v.status} ${k}_peak_rss_mb=${v.totalMb} ${k}_server_mb=${v.selfMb} ${k}_parser_mb=${v.childMb}`).join(' '));
});
