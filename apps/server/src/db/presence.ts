/**
 * A server process's presence in the database: one connection of its own whose application_name names the process
 * (`tuopin-runs:<worker>`). It is in pg_stat_activity exactly as long as the process is alive and connected; the
 * run recovery (services/runs.ts, RunsRepository.failOrphans) takes the runs of a process without one as
 * interrupted. Reconnected by `ensure()` after the database went away.
 */
import pg from 'pg';

export class Presence {
  private client: pg.Client | null = null;

  constructor(private readonly url: string, readonly applicationName: string) {}

  get connected(): boolean {
    return this.client !== null;
  }

  /** Connects when not connected; false when the database cannot be reached now. */
  async ensure(): Promise<boolean> {
    if (this.client) return true;
    const client = new pg.Client({ connectionString: this.url, application_name: this.applicationName });
    const drop = () => {
      if (this.client === client) this.client = null;
    };
    client.on('error', () => {
      drop();
      void client.end().catch(() => undefined);
    });
    client.on('end', drop);
    try {
      await client.connect();
      this.client = client;
      return true;
    } catch {
      await client.end().catch(() => undefined);
      return false;
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
