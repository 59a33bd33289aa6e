/** A PostgreSQL database made for one bench run (GOLDRATIO_BENCH_PG_URL: a server whose user may create a database). */
import pg from 'pg';
import type { Db } from '../src/store/db.ts';
import { copyToPostgres } from '../src/store/copy.ts';
import { openPostgres, type PgStore } from '../src/store/postgres.ts';

export const PG_URL = process.env.GOLDRATIO_BENCH_PG_URL || undefined;

/** One statement on the server's own database (CREATE/DROP DATABASE). */
export async function admin(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** A fresh database `goldratio_bench_<what>_<pid>` holding a copy of `source`; `drop` closes and removes it. */
export async function pgCopy(url: string, source: Db, what: string): Promise<{ store: PgStore; drop: () => Promise<void> }> {
  const name = `goldratio_bench_${what}_${process.pid}`;
  await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(url, `CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const store = await openPostgres(u.toString(), { what: 'GOLDRATIO_BENCH_PG_URL' });
  await copyToPostgres(source, store);
  return {
    store,
    drop: async () => {
      await store.close();
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
