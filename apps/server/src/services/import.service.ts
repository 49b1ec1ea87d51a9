import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { msg, regionPrefix, SHEET_LABELS, zhText, type ImportInfo, type MessageArgs, type MessageCode, type ParamValue, type SheetName } from '@tuopin/domain';
import type { Actor, Tx } from '../db/database';
import { appError } from '../errors';
import { runMessage, type RunContext, type RunMessage, type RunProgress, type Runs } from './runs';
import {
  checkStaged, clearProblems, clearStaged, copyInto, resetInterruptedImport, countChanges, finishCommit, type ImportsRepository, mergeMonitoredRecords, mergeStaged, stagedCounties, stagedCounts, stagedMismatch,
  storeProblems, type ImportCounts, type ImportRow, type StateNote,
} from '../repositories/import.repository';
import { CsvSyntaxError, type UploadedFile } from '../import/source';
import { ParserFailed, UploadParser, type ParseOutcome } from '../import/parser';
import type { RowProblem } from '../import/stage';
import { PARALLEL_FROM_BYTES, stageWorkerCount } from '../import/stage-pool';
import type { Deps } from './context';
import { todayInChina } from '../clock';

export const IMPORT_VALIDATE = 'import.validate';
export const IMPORT_COMMIT = 'import.commit';
const MAX_STORED_PROBLEMS = 50_000;
const SHEET_ORDER: SheetName[] = ['households', 'members', 'income'];
/** Today in China (see clock.ts). */
const today = todayInChina;

/** An import's state message from the catalogue (messages/import.ts, import.state.*): Chinese text, code and params. */
function note<C extends MessageCode>(code: C, ...args: MessageArgs<C>): StateNote {
  return { message: zhText(code, ...args), message_code: code, message_params: msg(code, ...args).params };
}

/** The staged rows are not what the validation counted (thrown to roll the commit back). */
class StaleStaging extends Error {}

/**
 * Registry import: upload → validation job (dry run: parse, validate, COPY into staging, set-based checks, counts)
 * → commit job (one transaction: upserts from staging). Re-importing the same file changes nothing.
 */
export class ImportService {
  private get repo() { return this.d.repos.imports; }

  constructor(private readonly d: Deps, private readonly runs: Runs) {
    // Two run kinds (services/runs.ts). Their progress is mirrored into the import's own record, which the import
    // page shows; a failed or interrupted run leaves no staging rows and the import in 'failed', from which a retry
    // (or 重新校验) validates it again — after an interrupted commit, the retry's validation commits when it passes.
    const permissions = { read: 'imports:read', run: 'imports:run' } as const;
    const mirror = (tx: Tx, run: { subject_id: number | null }, p: RunProgress) =>
      this.repo.setState(tx, run.subject_id!, { progress: p.fraction, message: p.message?.text, message_code: p.message?.code ?? null, message_params: p.message?.params ?? null });
    const subject = async (tx: Tx, id: number) => {
      const row = await this.repo.get(tx, id);
      return row && { regionCode: row.region_code, userId: row.created_by, username: row.created_by_name };
    };
    runs.define({
      kind: IMPORT_VALIDATE, permissions, mirror, subject,
      handler: (ctx) => this.validate(ctx),
      cleanup: async (tx, run, cause) => {
        await resetInterruptedImport(tx, run.subject_id!, {
          from: ['queued', 'validating'], problems: true,
          note: cause.reason === 'interrupted' ? note('import.state.validateInterrupted') : note('import.state.validateFailed'),
        });
        // a killed parser never removed its temporary files
        await this.removeParserFiles(run.subject_id!);
      },
      retry: async (tx, run) => {
        await this.requeueValidation(tx, run.subject_id!);
      },
    });
    runs.define({
      kind: IMPORT_COMMIT, permissions, mirror, subject,
      handler: (ctx) => this.runCommit(ctx),
      cleanup: async (tx, run, cause) => {
        await resetInterruptedImport(tx, run.subject_id!, {
          from: ['committing'], problems: false,
          note: cause.reason === 'interrupted' ? note('import.state.commitInterrupted') : note('import.state.commitFailed'),
        });
        await this.removeParserFiles(run.subject_id!);
      },
      // The staging is gone with the interrupted commit: validate again, and commit when the validation passes.
      retry: async (tx, run) => {
        await this.requeueValidation(tx, run.subject_id!);
        return { kind: IMPORT_VALIDATE, payload: { commitAfter: true } };
      },
    });
  }

  /** Back to 'queued' for a new validation (from a finished validation or a failure); 409 while busy or once committed. */
  private async requeueValidation(tx: Tx, id: number): Promise<ImportRow> {
    const row = await this.repo.transition(tx, id, ['validated', 'invalid', 'failed'], {
      status: 'queued', progress: 0, ...note('import.state.requeued'), counts: {}, error_count: 0, warning_count: 0,
    });
    if (!row) {
      const cur = await this.repo.get(tx, id);
      if (!cur) throw appError('import.notFound');
      if (cur.status === 'committed') throw appError('import.committedNoRevalidate');
      throw appError('import.busy');
    }
    return row;
  }

  private dir(id: number) {
    return path.join(this.d.config.dataDir, 'imports', String(id));
  }

  /** Registers uploaded files (already on disk) and queues their validation. */
  async create(actor: Actor, files: UploadedFile[]): Promise<number> {
    const hash = crypto.createHash('sha256');
    for (const f of files) {
      for await (const chunk of fs.createReadStream(f.path)) hash.update(chunk as Buffer);
    }
    const id = await this.d.db.scoped(actor, (tx) =>
      this.repo.insert(tx, {
        regionCode: actor.regionCode, userId: actor.id, username: actor.username, fileNames: files.map((f) => f.name),
        sha256: hash.digest('hex'), bytes: files.reduce((s, f) => s + f.bytes, 0),
      }),
    );
    const dir = this.dir(id);
    await fs.promises.mkdir(dir, { recursive: true });
    for (const [i, f] of files.entries()) await fs.promises.rename(f.path, path.join(dir, `${i}`));
    await this.runs.start(actor, IMPORT_VALIDATE, { regionCode: actor.regionCode, subjectId: id });
    return id;
  }

  /** The run's import (the run acts as its creator: `ctx.actor`, `ctx.scoped`). */
  private async load(id: number): Promise<ImportRow> {
    const row = await this.d.db.system({ name: 'import' }, (tx) => this.repo.get(tx, id));
    if (!row) throw new Error(`import ${id} not found`);
    return row;
  }

  /** What a killed validation may leave besides the database: the parser's temporary files (import/parser.ts). */
  private removeParserFiles(id: number): Promise<void> {
    return fs.promises.rm(path.join(this.dir(id), 'tmp'), { recursive: true, force: true });
  }

  private setState(id: number, f: Parameters<ImportsRepository['setState']>[2]) {
    return this.d.db.system({ name: 'import' }, (tx) => this.repo.setState(tx, id, f));
  }

  /**
   * The dry run (the run kind import.validate). Leaves the staged rows for the commit and the problems for the page;
   * with `commitAfter` (the retry of an interrupted commit) the commit is queued when the validation passes.
   */
  private async validate(ctx: RunContext): Promise<RunMessage | void> {
    const id = ctx.run.subject_id!;
    const row = await this.load(id);
    const actor = ctx.actor;
    // Only a queued import is validated, and only by one job (a redelivered job finds it taken).
    const claimed = await this.d.db.system({ name: 'import' }, (tx) =>
      this.repo.transition(tx, id, ['queued'], { status: 'validating', progress: 0.02, ...note('import.state.reading') }));
    if (!claimed) return;
    let files: UploadedFile[];
    try {
      files = row.file_names.map((name, i) => {
        const p = path.join(this.dir(id), String(i));
        return { name, path: p, bytes: fs.statSync(p).size };
      });
    } catch {
      await this.setState(id, { status: 'failed', progress: 1, ...note('import.state.filesGone') });
      return;
    }
    // The files are parsed and validated in a child process with a bounded heap (import/parser.ts), large ones in
    // worker threads of that process; the staging rows stream from it into COPY.
    // Worker threads only where the configuration allows them (none by default: the memory bound comes first).
    const workers = this.d.config.importWorkers > 0 && files.reduce((n, f) => n + f.bytes, 0) >= PARALLEL_FROM_BYTES
      ? Math.min(this.d.config.importWorkers, stageWorkerCount())
      : 0;
    // The memory allowed is the parser process's in all: with worker threads, its main thread and each worker get
    // an equal share (each holds the households' villages and years; the main thread otherwise only reads the file).
    const memoryMb = this.d.config.importParserMemoryMb;
    const share = workers > 0 ? Math.max(64, Math.floor(memoryMb / (workers + 1))) : memoryMb;
    const parser = new UploadParser(
      { files, importId: id, referenceDate: today(), workers, workerMemoryMb: share, maxProblems: MAX_STORED_PROBLEMS },
      { memoryMb: share, tmpDir: path.join(this.dir(id), 'tmp') },
    );
    // A run that times out: the parser process is ended (the work transaction's backend is ended by the framework).
    ctx.signal.addEventListener('abort', () => void parser.close().catch(() => undefined), { once: true });
    try {
      let counts: ImportCounts | null = null;
      let rowsRead: ParseOutcome['rowsRead'] = { households: 0, members: 0, income: 0 };
      let fileProblems = false;
      const timings: Record<string, number> = {};
      let mark = performance.now();
      const lap = (name: string) => {
        const now = performance.now();
        timings[name] = Math.round(now - mark);
        mark = now;
      };
      // Fenced (ctx.scoped): a run the sweep or its timeout took away rolls back here, its end state never written.
      const result = await ctx.scoped(async (tx) => {
        await clearStaged(tx, id);
        await clearProblems(tx, id);
        for await (const { sheet, chunks } of parser.sheets()) {
          await ctx.progress({
            fraction: 0.05 + 0.25 * SHEET_ORDER.indexOf(sheet),
            message: runMessage('import.validatingSheet', { sheet: SHEET_LABELS[sheet] }),
          });
          await copyInto(tx, sheet, chunks);
          lap(sheet);
        }
        const parsed = parser.outcome();
        rowsRead = parsed.rowsRead;
        let all: {
          sheet: string; row: number | null; column: string | null; severity: 'error' | 'warning'; message: string; code?: string; params?: Readonly<Record<string, ParamValue>>;
        }[];
        let errors: number;
        let warnings: number;
        if (parsed.fileProblems.length) {
          // A file-level problem (headers, merged cells, formulas …) may be found after rows were staged.
          fileProblems = true;
          await clearStaged(tx, id);
          all = parsed.fileProblems.map((p) => {
            // a named file's problem: the file's name before it (import.inFile, the problem nested)
            const coded = p.file ? msg('import.inFile', { file: p.file, problem: { code: p.code, params: p.params } }) : { code: p.code, params: p.params };
            return {
              sheet: p.sheet ?? p.file, row: p.row ?? null, column: p.column ?? null, severity: 'error' as const,
              message: p.file ? zhText('import.inFile', { file: p.file, problem: p.message }) : p.message, ...coded,
            };
          });
          errors = all.length;
          warnings = 0;
        } else {
          await ctx.progress({ fraction: 0.8, message: runMessage('import.comparing') });
          const found = await checkStaged(tx, id, MAX_STORED_PROBLEMS);
          lap('checks');
          counts = await countChanges(tx, id);
          lap('counts');
          const rows: RowProblem[] = [
            ...parsed.problems,
            ...found.map((p) => ({ sheet: p.sheet, row: p.row_no, column: p.column_name, severity: 'error' as const, message: p.message, code: p.code, params: p.params })),
          ].sort((a, b) => SHEET_ORDER.indexOf(a.sheet) - SHEET_ORDER.indexOf(b.sheet) || a.row - b.row);
          all = rows;
          errors = parsed.errors + found.total;
          warnings = parsed.warnings;
        }
        await storeProblems(tx, id, all.slice(0, MAX_STORED_PROBLEMS));
        // The end state in the same transaction as the staging and the problems.
        const empty = !fileProblems && rowsRead.households + rowsRead.members + rowsRead.income === 0;
        await this.repo.setState(tx, id, {
          status: errors || empty ? 'invalid' : 'validated', progress: 1,
          ...(empty ? note('import.state.noRows') : errors ? note('import.state.errors', { errors }) : note('import.state.validated')),
          counts: { ...(counts ?? {}), rows: rowsRead, timingsMs: timings }, error_count: errors + (empty ? 1 : 0), warning_count: warnings,
        });
        return { errors, warnings, empty };
      });
      const { errors, empty } = result;
      if (!errors && !empty && ctx.run.payload.commitAfter === true) {
        await this.commit(actor, id);
        return runMessage('import.validatedCommitting');
      }
      return empty ? runMessage('import.state.noRows') : errors ? runMessage('import.invalid', { errors }) : runMessage('import.validated');
    } catch (e) {
      if (e instanceof CsvSyntaxError) {
        // A file that breaks off half-way (an unclosed quote …): nothing was staged for good; say where.
        await ctx.scoped(async (tx) => {
          await this.repo.setState(tx, id, { status: 'invalid', progress: 1, ...note('import.state.csvSyntax', { reason: e.problem }), error_count: 1, warning_count: 0 });
          await clearStaged(tx, id);
          await clearProblems(tx, id);
          await storeProblems(tx, id, [{ sheet: '文件', row: e.record, column: null, severity: 'error', message: e.message, code: e.problem.code, params: e.problem.params ?? {} }]);
        });
        return;
      }
      if (e instanceof ParserFailed && e.reason !== 'internal') {
        // The parser ran out of memory or ended abnormally: that import fails, the server goes on.
        console.error(`[import] parser of import ${id} failed (${e.reason}): ${e.message}`);
        await this.setState(id, {
          status: 'failed', progress: 1, error_count: 1, warning_count: 0, ...note('import.state.parserFailed', { mb: memoryMb }),
        });
        return;
      }
      // Anything else fails the run: its cleanup (above) empties the staging and marks the import failed.
      throw e;
    } finally {
      await parser.close();
    }
  }

  /**
   * Queues the commit of a validated import. Taking it from 'validated' to 'committing' is one conditional update,
   * so of two simultaneous requests one is accepted and the other gets 409; and what is staged must still be what
   * the validation counted (see stagedMismatch), else the import fails here with a request for a new validation.
   */
  async commit(actor: Actor, id: number): Promise<void> {
    const stale = await this.d.db.scoped(actor, async (tx) => {
      const row = await this.repo.transition(tx, id, ['validated'], { status: 'committing', progress: 0.1, ...note('import.state.writing') }, { withoutErrors: true });
      if (!row) {
        const cur = await this.repo.get(tx, id);
        if (!cur) throw appError('import.notFound');
        if (cur.status === 'committed') throw appError('import.alreadyCommitted');
        if (cur.status === 'committing') throw appError('import.committing');
        throw appError('import.notValidated');
      }
      const mismatch = stagedMismatch(row.counts, await stagedCounts(tx, id));
      if (mismatch) await this.repo.setState(tx, id, { status: 'failed', progress: 1, ...note('import.state.staleStaging', mismatch) });
      return mismatch ? { mismatch } : { run: await this.runs.insert(tx, actor, IMPORT_COMMIT, { regionCode: row.region_code, subjectId: id }) };
    });
    if (!stale.run) throw appError('import.state.staleStaging', stale.mismatch!);
    await this.runs.enqueue(stale.run);
  }

  /**
   * Validates an import again from its stored files (after a failed commit, a lost staging, or registry changes
   * since the dry run). Not while it is being validated or committed, nor once committed.
   */
  async revalidate(actor: Actor, id: number): Promise<void> {
    const run = await this.d.db.scoped(actor, async (tx) => {
      const row = await this.requeueValidation(tx, id);
      return this.runs.insert(tx, actor, IMPORT_VALIDATE, { regionCode: row.region_code, subjectId: id, creator: { id: row.created_by, username: row.created_by_name } });
    });
    await this.runs.enqueue(run);
  }

  /** The commit (the run kind import.commit): one transaction as the uploader, from the staging. */
  private async runCommit(ctx: RunContext): Promise<RunMessage | void> {
    const id = ctx.run.subject_id!;
    const row = await this.load(id);
    if (row.status !== 'committing') return runMessage('import.notCommitting'); // a redelivered job of a commit that is over
    let stale: ReturnType<typeof stagedMismatch> = null;
    try {
      await ctx.scoped(
        async (tx) => {
          // The staging may have been emptied since the request was accepted (a crash in between).
          stale = stagedMismatch(row.counts, await stagedCounts(tx, id));
          if (stale) throw new StaleStaging();
          // bulk mode: the import's audit summary on its region's chain and on the chain of every county it writes
          // (appended at commit by audit_bulk_begin's pending row), no row audit for its rows
          await this.d.repos.audit.beginBulk(tx, {
            action: 'import', entity: 'imports', entityId: row.id, regionCode: row.region_code,
            summary: { files: row.file_names, counts: row.counts }, counties: await stagedCounties(tx, id),
          });
          await mergeStaged(tx, id);
          // In its own short transaction (the page sees it while this one goes on).
          await ctx.progress({ fraction: 0.6, message: runMessage('import.committingRecords') });
          await mergeMonitoredRecords(tx, id, todayInChina());
          await finishCommit(tx, row, note('import.committed'));
          await clearStaged(tx, id);
        },
        {
          reason: `导入 ${row.file_names.join('、')}`,
        },
      );
      await fs.promises.rm(this.dir(id), { recursive: true, force: true });
    } catch (e) {
      if (stale) {
        await this.setState(id, { status: 'failed', progress: 1, ...note('import.state.staleStaging', stale) });
        return runMessage('import.state.staleStaging', stale);
      }
      // The run fails; its cleanup empties the staging and marks the import failed.
      throw e;
    }
    return runMessage('import.committed');
  }

  get(actor: Actor, id: number, problemLimit = 500) {
    return this.d.db.scoped(actor, async (tx) => {
      const row = await this.repo.get(tx, id);
      if (!row) throw appError('import.notFound');
      const runs = await this.runs.latestIds(tx, [IMPORT_VALIDATE, IMPORT_COMMIT], [id]);
      return { row: { ...row, run_id: runs.get(id) ?? null }, problems: await this.repo.problems(tx, id, problemLimit) };
    });
  }

  list(actor: Actor) {
    return this.d.db.scoped(actor, async (tx) => {
      const rows = await this.repo.list(tx, regionPrefix(actor.regionCode));
      const runs = await this.runs.latestIds(tx, [IMPORT_VALIDATE, IMPORT_COMMIT], rows.map((r) => r.id));
      return rows.map((r) => ({ ...r, run_id: runs.get(r.id) ?? null }));
    });
  }
}

/** An import as the API shows it. */
export function toImportInfo(r: ImportRow): ImportInfo {
  return {
    id: r.id, status: r.status as ImportInfo['status'], progress: r.progress, message: r.message,
    messageCode: r.message_code ?? null, messageParams: r.message_params ?? null, fileNames: r.file_names,
    createdAt: r.created_at.toISOString(), createdBy: r.created_by_name, counts: r.counts ?? {},
    errorCount: r.error_count, warningCount: r.warning_count, committedAt: r.committed_at ? r.committed_at.toISOString() : null,
    runId: r.run_id ?? null,
  };
}
