import { buildApp } from './app';
import { loadConfig } from './config';
import { startServerDatabase } from './db/connect';
import { bootstrap, startDemoWarningRun } from './services/bootstrap.service';
import { createDeps, createServices } from './services/container';

const config = loadConfig();
const log = (m: string) => console.log(`[tuopin] ${m}`);

/** What to stop when the start fails half-way (the embedded PostgreSQL, once it runs). */
const onFailure: { stop?: () => Promise<void> } = {};
/** Starts everything; a failure (a database refused, a port taken) is one line, not a stack dump. */
async function start() {
  const started = await startServerDatabase(config, log);
  onFailure.stop = started.stop;
  const { db } = started;
  const applied = await db.migrate();
  if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
  const deps = createDeps(db, config);
  const { demoLoaded } = await bootstrap(deps, log);

  const services = createServices(db, config, deps);
  const app = await buildApp(services);
  await services.jobs.start();
  // The demo registry gets its first warning run, so that the clue inbox of a new installation is not empty.
  if (demoLoaded) await startDemoWarningRun(deps, services.rules, log);
  await app.listen({ port: config.port, host: config.host });
  log(`listening on http://localhost:${config.port}  (API docs: http://localhost:${config.port}/api/docs)`);
  return { db, stopDb: started.stop, services, app };
}

let handles: Awaited<ReturnType<typeof start>>;
try {
  handles = await start();
} catch (e) {
  log(`cannot start: ${e instanceof Error ? e.message : String(e)}`);
  if (config.logLevel === 'debug') console.error(e);
  await onFailure.stop?.().catch(() => undefined);
  process.exit(1);
}
const { db, stopDb, services, app } = handles;

let stopping = false;
/**
 * Stops in order: no new requests and jobs (the running ones finish), the pools, then the embedded PostgreSQL.
 * Short and without stack dumps: a failure is one line.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down`);
  try {
    await Promise.all([app.close(), services.jobs.stop()]);
    await db.close();
    await stopDb();
    log('stopped cleanly');
    process.exit(0);
  } catch (e) {
    log(`shutdown failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
// Started by `npm start` in a process group of its own (so that a terminal's Ctrl-C reaches PostgreSQL only through
// this orderly shutdown): stop when that parent is gone.
if (process.env.TUOPIN_PARENT_PID) {
  const parent = Number(process.env.TUOPIN_PARENT_PID);
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent exited');
  }, 1000).unref();
}
