/**
 * Background jobs on pg-boss (its tables live in the schema `pgboss` of the same database). A job only carries
 * ids and only delivers: the runs (services/runs.ts) accept the job's run in a few milliseconds and then execute it
 * under their own heartbeat, so the job's expiry is short; the work and its progress live in the run record and
 * the kind's own tables, which the page polls.
 */
import PgBoss from 'pg-boss';

/** How long a delivery may take before pg-boss gives it up (accepting a run is one update). */
const JOB_EXPIRY_S = 5 * 60;

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export class Jobs {
  private boss: PgBoss | null = null;
  private readonly handlers = new Map<string, JobHandler>();
  /** Worker ids by queue: a job queued by this process wakes its worker at once instead of at the next poll. */
  private readonly workers = new Map<string, string>();

  constructor(private readonly url: string) {}

  private readonly startHooks: (() => Promise<void>)[] = [];
  private readonly stopHooks: (() => Promise<void>)[] = [];

  register(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  /** Work started after the workers (the runs' presence and recovery) and stopped with them. */
  onStart(fn: () => Promise<void>): void {
    this.startHooks.push(fn);
  }

  onStop(fn: () => Promise<void>): void {
    this.stopHooks.push(fn);
  }

  async start(): Promise<void> {
    const boss = new PgBoss({ connectionString: this.url, max: 4, schema: 'pgboss' });
    boss.on('error', (e) => this.reportError(e));
    await boss.start();
    for (const [name, handler] of this.handlers) {
      await boss.createQueue(name);
      const worker = await boss.work(name, { pollingIntervalSeconds: 0.5, batchSize: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data as Record<string, unknown>);
      });
      this.workers.set(name, worker);
    }
    this.boss = boss;
    for (const fn of this.startHooks) await fn();
  }

  async enqueue(name: string, data: Record<string, unknown>): Promise<void> {
    if (!this.boss) throw new Error('jobs not started');
    await this.boss.send(name, data, { retryLimit: 0, expireInSeconds: JOB_EXPIRY_S });
    const worker = this.workers.get(name);
    if (worker) this.boss.notifyWorker(worker);
  }

  /**
   * pg-boss's errors as one line each (no stack dump: its polling loop reports every failed poll). Once the process is
   * stopping, the database going away (PostgreSQL shutting down, as on Ctrl-C in a terminal, which signals the embedded
   * server too) is expected and not reported.
   */
  private reportError(e: unknown): void {
    const err = e as { message?: string; code?: string };
    const gone = err.code === '57P01' || err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET' || /Connection terminated/i.test(err.message ?? '');
    if (this.stopping && gone) return;
    console.error(`[jobs] ${err.message ?? String(e)}${err.code ? ` (${err.code})` : ''}`);
  }

  private stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    for (const fn of this.stopHooks) await fn();
    this.boss = null;
    this.workers.clear();
  }
}
