/**
 * The pg client under a transaction, for the few statements Kysely cannot build (COPY; statements assembled as text
 * with their own parameter numbers, such as the rule facts). One way to hold a transaction: every repository
 * function takes the `Tx` of `Database.scoped`/`system`; a repository that needs the client asks `rawClient(tx)`.
 * Only `db/` and the repositories may import this module (lint: .dependency-cruiser.cjs); services hold a `Tx` only.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from 'kysely';
import type pg from 'pg';
import type { DB } from './schema';

const opening = new AsyncLocalStorage<{ client?: pg.PoolClient }>();
const clients = new WeakMap<Transaction<DB>, pg.PoolClient>();

/** The pool Kysely takes its connections from: a transaction being opened (`openTracked`) learns its client. */
export function trackingPool(pool: pg.Pool): { connect(): Promise<pg.PoolClient>; end(): Promise<void> } {
  return {
    connect: async () => {
      const client = await pool.connect();
      const s = opening.getStore();
      if (s && !s.client) s.client = client;
      return client;
    },
    end: () => pool.end(),
  };
}

/** Opens a Kysely transaction (`open`) whose callback binds the transaction to the client it runs on (`bind(tx)`). */
export function openTracked<T>(open: (bind: (tx: Transaction<DB>) => void) => Promise<T>): Promise<T> {
  const store: { client?: pg.PoolClient } = {};
  return opening.run(store, () =>
    open((tx) => {
      if (store.client) clients.set(tx, store.client);
    }),
  );
}

/** The client of a transaction of `Database.scoped`/`system`. For repositories only. */
export function rawClient(tx: Transaction<DB>): pg.PoolClient {
  const client = clients.get(tx);
  if (!client) throw new Error('rawClient: not a transaction of Database.scoped or Database.system');
  return client;
}
