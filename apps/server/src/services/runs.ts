/**
 * The run framework: every background run (an import's validation and commit, a data-quality run, a warning run,
 * and every kind built later) is a record in `runs` (repositories/runs.repository.ts) and a kind defined once with
 * `runs.define({ kind, handler, … })`.
 *
 * - Start: `start(actor, kind, { regionCode, subjectId })` writes the run record in the caller's scoped transaction
 *   and queues a pg-boss job carrying `{ id: subjectId, runId }`. pg-boss only delivers: its job is done once this
 *   process has accepted the run (a few milliseconds, so a short expiry), and the run itself lives in the record.
 * - Execute: the handler acts as the run's creator (`ctx.actor`; `ctx.scoped` is the creator's scoped transaction), reports progress with `ctx.progress(…)` — each report its own short transaction, never the long
 *   work transaction, so the page sees it at once — and a heartbeat is written for every running run of the process.
 *   A handler that returns has succeeded; one that throws has failed, and the kind's `cleanup` runs.
 * - Recovery: every server process keeps one connection whose application_name names it (its presence). At start-up
 *   and then periodically, every run that nobody executes any more is marked failed and its kind's `cleanup` removes
 *   the leftovers: taken by a process that is gone (SIGKILL, a crash), taken by this process but no longer executed
 *   (the database went away under it), running with a stale heartbeat, or queued with no job left to deliver it.
 * - Retry: a failed run can be retried (`retry(actor, id)`, POST /api/runs/:id/retry): the kind's `retry` hook puts
 *   its record back (or names another kind to run first), and the run is queued again as its creator.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { can, isWithinRegion, msg, zhText, type MessageArgs, type MessageCode, type Permission, type Role, type RunInfo } from '@tuopin/domain';
import type { Actor, Database, Tx } from '../db/database';
import { Presence } from '../db/presence';
import { appError, AppError } from '../errors';
import type { Jobs } from '../jobs';
import { PRESENCE_PREFIX, type OrphanCheck, type WorkBackend, type RunMessage, type RunPayload, type RunProgress, type RunRow } from '../repositories/runs.repository';
import type { Deps } from './context';

export type { RunMessage, RunPayload, RunProgress, RunRow } from '../repositories/runs.repository';

/** What a handler is given. */
export interface RunContext {
  run: RunRow;
  /** The run's creator, as whom the handler acts. */
  actor: Actor;
  /** Progress in its own short transaction (with a heartbeat); also mirrored into the kind's record by `mirror`. */
  progress(p: RunProgress): Promise<void>;
  /**
   * A scoped transaction as the creator (the long work transaction; progress is never written in it). It is fenced:
   * just before it commits, it checks (and locks until the commit) that the run is still this process's and running,
   * and throws `RunLost` (rolling the work back) when the recovery sweep or a timeout has taken the run away. Its
   * backend is ended when the run times out.
   */
  scoped<T>(fn: (tx: Tx) => Promise<T>, opts?: Parameters<Database['scoped']>[2]): Promise<T>;
  /** Aborted when the run times out (`maxSeconds`): a handler stops its own children (a parser process …) on it. */
  signal: AbortSignal;
}

/**
 * Thrown into a handler whose run is no longer its own (failed by the recovery sweep or by its timeout): by
 * `progress` and by the fence of `scoped`, so that its work transaction rolls back and its final writes never land.
 */
export class RunLost extends Error {
  constructor(runId: number) {
    super(`run ${runId} is no longer executed by this process`);
  }
}

export interface CleanupCause {
  /** 'error': the handler threw; 'interrupted': the process or the database went away during the run. */
  reason: 'error' | 'interrupted';
  error?: unknown;
}

export interface RunDefinition {
  kind: string;
  /** Who may see the run and retry it (besides row-level security on its region). */
  permissions: { read: Permission; run: Permission };
  /**
   * The longest a run of the kind may take (default TUOPIN_RUN_MAX_S, 1 hour). When it is exceeded the run is failed
   * (runs.timedOut) and cleaned up, its work transactions' backends are ended (rolling them back, a statement under
   * way too), `ctx.signal` is aborted, and its slot is freed.
   */
  maxSeconds?: number;
  /** The work. Returns the final message (or nothing); throws to fail. */
  handler(ctx: RunContext): Promise<RunMessage | void>;
  /** Progress written into the kind's own record as well (in the same short transaction). */
  mirror?(tx: Tx, run: RunRow, p: RunProgress): Promise<void>;
  /** After a failure, in a system transaction: removes the run's leftovers and puts the kind's record in a state from which it can go on. */
  cleanup?(tx: Tx, run: RunRow, cause: CleanupCause): Promise<void>;
  /** Before a retry, in the retrying user's scoped transaction: puts the kind's record back; may name another kind to queue instead. */
  retry?(tx: Tx, run: RunRow, actor: Actor): Promise<void | { kind: string; payload?: RunPayload }>;
  /** A job queued without a run record (an older job): the subject's region and creator, to create one. */
  subject?(tx: Tx, subjectId: number): Promise<{ regionCode: string; userId: number; username: string } | undefined>;
}

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** A run message from the catalogue: `runMessage('quality.progress', { done, total })` (code, params, Chinese text). */
export function runMessage<C extends MessageCode>(code: C, ...args: MessageArgs<C>): RunMessage {
  return { code, params: msg(code, ...args).params, text: zhText(code, ...args) };
}

export const INTERRUPTED: RunMessage = runMessage('runs.interrupted');
const FAILED: RunMessage = runMessage('runs.failed');
const QUEUED: RunMessage = runMessage('runs.queued');

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export class Runs {
  private get repo() { return this.d.repos.runs; }
  private readonly kinds = new Map<string, RunDefinition>();
  /** This process, as named in `runs.worker` and in its presence connection. */
  readonly worker = `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  /** Runs this process has accepted (waiting for a slot or running). */
  private readonly active = new Set<number>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private presence: Presence | null = null;
  private timers: NodeJS.Timeout[] = [];
  private stopped = true;
  private readonly pending = new Set<Promise<void>>();

  readonly heartbeatMs = env('TUOPIN_RUN_HEARTBEAT_MS', 5000);
  readonly sweepMs = env('TUOPIN_RUN_SWEEP_MS', 15_000);
  readonly staleSeconds = env('TUOPIN_RUN_STALE_S', 120);
  readonly concurrency = env('TUOPIN_RUN_CONCURRENCY', 2);
  readonly maxSeconds = env('TUOPIN_RUN_MAX_S', 3600);
  /**
   * Serialises a delivery's accept (with adding the run to `active`) and the recovery sweep's check of one run
   * against `active`: else the sweep could copy `active` before a run is added and see it accepted by this process
   * (and so not executed) in its update's snapshot.
   */
  private serial: Promise<unknown> = Promise.resolve();
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.serial.then(fn, fn);
    this.serial = p.catch(() => undefined);
    return p;
  }

  constructor(private readonly d: Deps, private readonly jobs: Jobs) {
    jobs.onStart(() => this.startWorker());
    jobs.onStop(() => this.stopWorker());
  }

  define(def: RunDefinition): RunDefinition {
    this.kinds.set(def.kind, def);
    this.jobs.register(def.kind, (data) => this.deliver(def.kind, data));
    return def;
  }

  private def(kind: string): RunDefinition {
    const def = this.kinds.get(kind);
    if (!def) throw new Error(`run kind ${kind} is not defined`);
    return def;
  }

  // ---- starting -------------------------------------------------------------------------------

  /** Records a run in the actor's scope and queues it. */
  async start(actor: Actor, kind: string, v: { regionCode: string; subjectId: number | null; payload?: RunPayload; creator?: { id: number; username: string } }): Promise<RunRow> {
    this.def(kind);
    const run = await this.d.db.scoped(actor, (tx) => this.insert(tx, actor, kind, v));
    await this.enqueue(run);
    return run;
  }

  /** The record of a new run inside the caller's transaction; `enqueue` it after the commit. */
  insert(tx: Tx, actor: Actor, kind: string, v: { regionCode: string; subjectId: number | null; payload?: RunPayload; creator?: { id: number; username: string } }): Promise<RunRow> {
    const creator = v.creator ?? { id: actor.id, username: actor.username };
    return this.repo.insert(tx, {
      regionCode: v.regionCode, kind, subjectId: v.subjectId, payload: v.payload, userId: creator.id, username: creator.username,
      message: QUEUED,
    });
  }

  async enqueue(run: RunRow): Promise<void> {
    await this.jobs.enqueue(run.kind, { id: run.subject_id, runId: run.id });
  }

  // ---- reading and retrying ---------------------------------------------------------------------

  async get(actor: Actor, id: number): Promise<RunInfo> {
    return this.d.db.scoped(actor, async (tx) => {
      const run = await this.repo.get(tx, id);
      const def = run && this.kinds.get(run.kind);
      if (!run || !def || !can(actor.role, def.permissions.read)) throw appError('runs.notFound');
      return this.info(run, actor);
    });
  }

  /** The newest run of the kinds for each subject (for the kinds' answers). */
  latestIds(tx: Tx, kinds: readonly string[], subjectIds: readonly number[]): Promise<Map<number, number>> {
    return this.repo.latestIds(tx, kinds, subjectIds);
  }

  info(run: RunRow, actor: Actor): RunInfo {
    const def = this.kinds.get(run.kind);
    return {
      id: run.id, kind: run.kind, regionCode: run.region_code, subjectId: run.subject_id, status: run.status, progress: run.progress,
      done: run.progress_done, total: run.progress_total, messageCode: run.message_code, messageParams: run.message_params ?? {}, message: run.message,
      createdBy: run.created_by_name, createdAt: iso(run.created_at)!, startedAt: iso(run.started_at), heartbeatAt: iso(run.heartbeat_at),
      finishedAt: iso(run.finished_at), attempt: run.attempt,
      retryable: (run.status === 'failed' || run.status === 'cancelled') && !!def && can(actor.role, def.permissions.run) && !!def.retry
        && isWithinRegion(run.region_code, actor.regionCode),
    };
  }

  /**
   * Retries a failed run: its kind's `retry` hook puts the kind's record back (in the caller's scoped transaction, so
   * only a run the caller may write), then the run is queued again — or, when the hook names another kind, a new run
   * of that kind is queued for the same subject (an interrupted import commit is validated again first). Either way
   * the run acts as its original creator. Returns the run queued.
   */
  async retry(actor: Actor, id: number): Promise<RunInfo> {
    const queued = await this.d.db.scoped(actor, async (tx) => {
      const run = await this.repo.get(tx, id);
      const def = run && this.kinds.get(run.kind);
      if (!run || !def || !can(actor.role, def.permissions.read)) throw appError('runs.notFound');
      // the kind's run permission, and the run's region within the actor's (a run of an enclosing region may be readable)
      if (!can(actor.role, def.permissions.run) || !isWithinRegion(run.region_code, actor.regionCode)) throw appError('runs.retryDenied');
      if (!def.retry) throw appError('runs.notRetryable');
      if (run.status !== 'failed' && run.status !== 'cancelled') throw appError(run.status === 'succeeded' ? 'runs.alreadySucceeded' : 'runs.stillActive');
      const instead = await def.retry(tx, run, actor);
      if (instead) {
        this.def(instead.kind);
        const creator = run.created_by !== null ? { id: run.created_by, username: run.created_by_name } : undefined;
        return this.insert(tx, actor, instead.kind, { regionCode: run.region_code, subjectId: run.subject_id, payload: instead.payload, creator });
      }
      const again = await this.repo.requeue(tx, id, QUEUED);
      if (!again) throw appError('runs.justRetried');
      return again;
    });
    await this.enqueue(queued);
    return this.info(queued, actor);
  }

  // ---- executing --------------------------------------------------------------------------------

  /**
   * A pg-boss job: accepts the run for this process and returns (the job is done); the run waits for a free slot
   * and executes. A job without a run id (queued before the run records, or by hand) takes the subject's newest run
   * of the kind when it is queued, or creates one when the subject has none.
   */
  private async deliver(kind: string, data: Record<string, unknown>, wait = false): Promise<void> {
    const def = this.def(kind);
    let runId = Number(data.runId);
    if (!Number.isInteger(runId) || runId <= 0) {
      const subjectId = Number(data.id);
      const found = await this.d.db.system({ name: 'runs' }, async (tx) => {
        const latest = await this.repo.latestOf(tx, kind, subjectId);
        if (latest) return latest.status === 'queued' ? latest.id : null;
        const subject = await def.subject?.(tx, subjectId);
        if (!subject) return null;
        return (await this.repo.insert(tx, { regionCode: subject.regionCode, kind, subjectId, userId: subject.userId, username: subject.username })).id;
      });
      if (found === null) return;
      runId = found;
    }
    const id = runId;
    const accepted = await this.exclusive(async () => {
      this.active.add(id);
      let row: RunRow | undefined;
      try {
        row = await this.d.db.system({ name: 'runs' }, (tx) => this.repo.accept(tx, id, this.worker));
      } finally {
        if (!row) this.active.delete(id);
      }
      return row;
    });
    if (!accepted) return; // taken by another delivery, or over
    const p = this.execute(def, runId).finally(() => this.pending.delete(p));
    this.pending.add(p);
    if (wait) await p;
  }

  /** A delivery as a job without a run id would make, awaited to the end of the run (the services' execute(id)). */
  deliverNow(kind: string, subjectId: number): Promise<void> {
    return this.deliver(kind, { id: subjectId }, true);
  }

  /** A delivery of a run by its id, awaited to the end of the run (tests). */
  async deliverRun(runId: number): Promise<void> {
    const run = await this.d.db.system({ name: 'runs' }, (tx) => this.repo.get(tx, runId));
    if (run) await this.deliver(run.kind, { id: run.subject_id, runId }, true);
  }

  /**
   * Executes the run in `RUN_CONCURRENCY` slots; the deliver call of a test awaits it through `execute`. A run that
   * exceeds its kind's `maxSeconds` is failed and its work ended (see `timeOut`); its slot is freed then, whether or
   * not the handler has returned (a handler that never returns keeps no slot).
   */
  private async execute(def: RunDefinition, runId: number): Promise<void> {
    await this.slot();
    let released = false;
    const free = () => {
      if (released) return;
      released = true;
      this.active.delete(runId);
      this.release();
    };
    let watchdog: NodeJS.Timeout | undefined;
    try {
      const run = await this.d.db.system({ name: 'runs' }, (tx) => this.repo.begin(tx, runId, this.worker));
      if (!run) return;
      const creator = run.created_by !== null ? await this.d.db.system({ name: 'runs' }, (tx) => this.repo.creator(tx, run.created_by!)) : undefined;
      if (!creator) {
        await this.fail(def, run, appError('runs.noCreator'), runMessage('runs.creatorGone'));
        return;
      }
      // A run acts only as an account that is still active, and only in a region still within the creator's.
      if (creator.status !== 'active' || !isWithinRegion(run.region_code, creator.region_code)) {
        const code = creator.status !== 'active' ? 'runs.creatorDisabled' : 'runs.creatorMoved';
        await this.fail(def, run, new Error(`${code}: user ${creator.id} (${creator.status}, ${creator.region_code})`), runMessage(code));
        return;
      }
      const actor: Actor = { id: creator.id, username: creator.username, role: creator.role as Role, regionCode: creator.region_code, ip: null };
      const abort = new AbortController();
      const backends = new Set<WorkBackend>();
      const ctx = this.context(def, run, actor, abort.signal, backends);
      const maxSeconds = def.maxSeconds ?? this.maxSeconds;
      const work = def.handler(ctx);
      const timedOut = new Promise<'timeout'>((resolve) => {
        watchdog = setTimeout(() => resolve('timeout'), maxSeconds * 1000);
        watchdog.unref();
      });
      let message: RunMessage | void;
      try {
        const r = await Promise.race([work.then((m) => ({ m })), timedOut]);
        if (r === 'timeout') {
          work.catch((e: unknown) => console.error(`[runs] ${def.kind} run ${run.id} (timed out) ended: ${(e as Error).message ?? String(e)}`));
          await this.timeOut(def, run, maxSeconds, abort, backends);
          return;
        }
        message = r.m;
      } catch (e) {
        if (e instanceof RunLost) {
          console.warn(`[runs] ${def.kind} run ${run.id}: ${e.message}; its work was rolled back`);
          return;
        }
        console.error(`[runs] ${def.kind} run ${run.id} failed`, e);
        await this.fail(def, run, e, e instanceof AppError ? { code: e.code, params: e.params ?? {}, text: e.message } : FAILED);
        return;
      }
      await this.d.db.system({ name: 'runs' }, (tx) => this.repo.finish(tx, run.id, this.worker, 'succeeded', { message: message ?? runMessage('runs.succeeded') }));
    } catch (e) {
      // The end could not be recorded (the database went away): the recovery sweep marks the run failed and cleans up.
      console.error(`[runs] ${def.kind} run ${runId}: ${(e as Error).message ?? String(e)}`);
    } finally {
      clearTimeout(watchdog);
      free();
    }
  }

  /**
   * A run over its kind's `maxSeconds`: failed (runs.timedOut) first — from then on its progress reports and the fence
   * of its work transaction throw `RunLost` — then its work transactions' backends are ended with
   * pg_terminate_backend (a statement under way, a lock wait or a transaction idle while the handler waits on
   * something else all end; pg_cancel_backend would not end an idle one), `ctx.signal` is aborted, and the kind's
   * cleanup runs (in `fail`, after the work has been rolled back).
   */
  private async timeOut(def: RunDefinition, run: RunRow, maxSeconds: number, abort: AbortController, backends: Set<WorkBackend>): Promise<void> {
    console.error(`[runs] ${def.kind} run ${run.id} exceeded ${maxSeconds} s; failed, its work ended`);
    abort.abort();
    const message = runMessage('runs.timedOut', { minutes: Math.max(1, Math.round(maxSeconds / 60)) });
    const error = new Error(`timed out after ${maxSeconds} s`);
    // Marked failed before the backends are ended, so that a work transaction cannot commit in between (its fence
    // then finds the run failed); the cleanup comes after the work is rolled back.
    const marked = await this.d.db.system({ name: 'runs' }, (tx) => this.repo.finish(tx, run.id, this.worker, 'failed', { message, error: error.message }));
    if (!marked) return;
    if (backends.size) await this.d.db.system({ name: 'runs' }, (tx) => this.repo.terminateBackends(tx, [...backends]));
    await this.cleanup(def, marked, { reason: 'error', error });
  }

  /**
   * The run failed: recorded and cleaned up in one system transaction. When the cleanup throws, the failure is
   * recorded all the same (in a transaction of its own, the error naming the cleanup's) and logged.
   */
  private async fail(def: RunDefinition, run: RunRow, error: unknown, message: RunMessage): Promise<void> {
    const text = error instanceof Error ? error.message.slice(0, 2000) : String(error);
    try {
      await this.d.db.system({ name: 'runs' }, async (tx) => {
        const done = await this.repo.finish(tx, run.id, this.worker, 'failed', { message, error: text });
        if (done) await def.cleanup?.(tx, done, { reason: 'error', error });
      });
    } catch (e) {
      console.error(`[runs] ${def.kind} run ${run.id}: cleanup failed`, e);
      await this.d.db.system({ name: 'runs' }, (tx) =>
        this.repo.finish(tx, run.id, this.worker, 'failed', { message, error: `${text}; cleanup failed: ${(e as Error).message ?? String(e)}`.slice(0, 2000) }));
    }
  }

  /** The kind's cleanup of a run already marked failed, in a system transaction of its own; a failure is recorded in runs.error and logged. */
  private async cleanup(def: RunDefinition, run: RunRow, cause: CleanupCause): Promise<boolean> {
    if (!def.cleanup) return true;
    try {
      await this.d.db.system({ name: 'runs' }, (tx) => def.cleanup!(tx, run, cause));
      return true;
    } catch (e) {
      console.error(`[runs] ${def.kind} run ${run.id}: cleanup failed`, e);
      await this.d.db.system({ name: 'runs' }, (tx) => this.repo.setError(tx, run.id, `${run.error ?? ''}; cleanup failed: ${(e as Error).message ?? String(e)}`.slice(0, 2000)));
      return false;
    }
  }

  private context(def: RunDefinition, run: RunRow, actor: Actor, signal: AbortSignal, backends: Set<WorkBackend>): RunContext {
    const gate = process.env.TUOPIN_TEST_RUN_GATE;
    let gated = false;
    return {
      run, actor, signal,
      progress: async (p) => {
        const own = await this.d.db.system({ name: 'runs' }, async (tx) => {
          const mine = await this.repo.progress(tx, run.id, this.worker, p);
          if (mine) await def.mirror?.(tx, run, p);
          return mine;
        });
        // The run was taken away (failed by the sweep or its timeout): the work stops and rolls back.
        if (!own) throw new RunLost(run.id);
        // Test hook (run-recovery.test.ts; unset in production): unless <gate>/open exists, the first report from 30 %
        // on of a run's first attempt waits until <gate>/open or <gate>/go-<run id> exists, so that the test can kill
        // the server or the database in the middle of the run.
        if (gate && !gated && run.attempt === 1 && (p.fraction ?? 0) >= 0.3 && !fs.existsSync(path.join(gate, 'open'))) {
          gated = true;
          while (!fs.existsSync(path.join(gate, 'open')) && !fs.existsSync(path.join(gate, `go-${run.id}`))) await new Promise((r) => setTimeout(r, 50));
        }
      },
      scoped: (fn, opts) => this.d.db.scoped(actor, async (tx) => {
        if (signal.aborted) throw new RunLost(run.id);
        const backend = await this.repo.backend(tx);
        backends.add(backend);
        try {
          const result = await fn(tx);
          if (!(await this.repo.fence(tx, run.id, this.worker))) throw new RunLost(run.id);
          return result;
        } finally {
          backends.delete(backend);
        }
      }, opts),
    };
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => {
      this.running++;
      resolve();
    }));
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  // ---- recovery ---------------------------------------------------------------------------------

  /**
   * Marks failed every run nobody executes any more and cleans up after each (RunsRepository.orphanIds): each run in
   * a transaction of its own, so that one cleanup that throws (recorded in runs.error, logged) does not keep the other
   * runs from being recovered. Runs at start-up and every `TUOPIN_RUN_SWEEP_MS`. Returns the runs failed.
   */
  async recover(): Promise<RunRow[]> {
    const check = (): OrphanCheck => ({
      worker: this.worker, active: [...this.active], kinds: [...this.kinds.keys()], staleSeconds: this.staleSeconds,
      queuedSeconds: Math.max(30, this.sweepMs / 1000),
    });
    const ids = await this.d.db.system({ name: 'runs' }, (tx) => this.repo.orphanIds(tx, check()));
    const failed: RunRow[] = [];
    for (const id of ids) {
      try {
        const run = await this.recoverOne(id, check);
        if (run) failed.push(run);
      } catch (e) {
        console.error(`[runs] recovery of run ${id} failed: ${(e as Error).message ?? String(e)}`);
      }
    }
    return failed;
  }

  /** One orphan failed and cleaned up in one transaction; when the cleanup throws, failed alone in another. */
  private async recoverOne(id: number, check: () => OrphanCheck): Promise<RunRow | undefined> {
    // The check against `active` and the update that fails the run, serialised with deliveries' accepts.
    const mark = (tx: Tx, error: string) => this.exclusive(() => this.repo.failOrphan(tx, id, { ...check(), message: INTERRUPTED, error }));
    let kind = '';
    try {
      return await this.d.db.system({ name: 'runs' }, async (tx) => {
        const run = await mark(tx, 'interrupted');
        if (!run) return undefined;
        kind = run.kind;
        console.warn(`[runs] ${run.kind} run ${run.id} was interrupted (${run.worker ?? 'never taken'}); marked failed`);
        await this.kinds.get(run.kind)?.cleanup?.(tx, run, { reason: 'interrupted' });
        return run;
      });
    } catch (e) {
      // Not marked, or the sweep's transaction lost a deadlock with the run's own committing work: the next sweep looks again.
      const code = (e as { code?: string }).code;
      if (!kind || code === '40P01' || code === '40001') throw e;
      console.error(`[runs] ${kind} run ${id}: cleanup after the interruption failed`, e);
      return this.d.db.system({ name: 'runs' }, (tx) => mark(tx, `interrupted; cleanup failed: ${(e as Error).message ?? String(e)}`.slice(0, 2000)));
    }
  }

  private async connectPresence(): Promise<boolean> {
    if (this.stopped) return false;
    this.presence ??= new Presence(this.d.db.url, PRESENCE_PREFIX + this.worker);
    return this.presence.ensure();
  }

  private async startWorker(): Promise<void> {
    this.stopped = false;
    // Recovery at start-up must not keep the server from starting: what it could not do, the next sweep does.
    try {
      if (await this.connectPresence()) await this.recover();
    } catch (e) {
      console.error(`[runs] recovery at start-up: ${(e as Error).message ?? String(e)}`);
    }
    const sweep = async () => {
      try {
        if (await this.connectPresence()) await this.recover();
      } catch (e) {
        if (!this.stopped) console.error(`[runs] recovery sweep: ${(e as Error).message}`);
      }
    };
    const beat = async () => {
      try {
        await this.connectPresence();
        if (this.active.size) await this.d.db.system({ name: 'runs' }, (tx) => this.repo.heartbeat(tx, [...this.active], this.worker));
      } catch {
        // the database is away; the sweep after it comes back takes care of the runs
      }
    };
    this.timers = [setInterval(() => void sweep(), this.sweepMs), setInterval(() => void beat(), this.heartbeatMs)];
    for (const t of this.timers) t.unref();
  }

  private async stopWorker(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    // The running handlers finish (as pg-boss's graceful stop lets its jobs finish).
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await this.presence?.close();
    this.presence = null;
  }
}
