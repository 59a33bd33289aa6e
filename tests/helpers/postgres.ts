/**
 * The test PostgreSQL, found in ONE way: GOLDRATIO_TEST_PG_URL, a URL to a server whose user may
 * create databases (`.ci/run` starts a throwaway cluster and sets it). Each test gets a database of
 * its own (`freshPgDatabase`), dropped afterwards. Tests that need PostgreSQL use
 * `describeWithPostgres`: without the variable they are skipped (and say so), except under CI
 * (CI=true), where a missing server fails the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, test } from 'vitest';
import { onPostgres, type StoreDb } from '../../src/store/engine.ts';
import { openPostgres } from '../../src/store/postgres.ts';

export interface PgLocation {
  readonly url: string | undefined;
  readonly mode: 'run' | 'skip' | 'fail';
}

export function pgLocation(env: Readonly<Record<string, string | undefined>>): PgLocation {
  const url = env.GOLDRATIO_TEST_PG_URL?.trim() || undefined;
  return { url, mode: url !== undefined ? 'run' : env.CI === 'true' ? 'fail' : 'skip' };
}

export const PG = pgLocation(process.env);

/** A describe block that needs a PostgreSQL server (see the top of this file). */
export function describeWithPostgres(name: string, body: () => void): void {
  if (PG.mode === 'run') {
    describe(name, body);
  } else if (PG.mode === 'fail') {
    describe(name, () => {
      test('a PostgreSQL server is given', () => {
        throw new Error('GOLDRATIO_TEST_PG_URL is not set: under CI=true the PostgreSQL tests fail instead of skipping (.ci/run starts a server)');
      });
    });
  } else {
    process.stderr.write(`skipping "${name}": no PostgreSQL (set GOLDRATIO_TEST_PG_URL=postgres://user:password@host:port/db)\n`);
    describe.skip(name, body);
  }
}

/** A URL like the server's, naming another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A new database on the test server: empty, or with `migrated` already at the current schema (a
 * copy of the run's template, helpers/pg-template.ts); `drop()` removes it (closing whoever still
 * holds it).
 */
export async function freshPgDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const server = PG.url;
  if (server === undefined) throw new Error('no GOLDRATIO_TEST_PG_URL');
  const template = opts.migrated ? process.env.GOLDRATIO_TEST_PG_TEMPLATE : undefined;
  let name: string;
  if (template === undefined) {
    name = `goldratio_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(server, `CREATE DATABASE ${name}`);
  } else {
    name = await copyOf(server, template);
  }
  return {
    url: withDatabase(server, name),
    name,
    drop: async () => {
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A copy of the template, named after it so that one a failed test left behind goes with it. */
async function copyOf(server: string, template: string): Promise<string> {
  const name = `${template}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

/**
 * Two handles on one fresh database, each with a pool of its own, as two replicas have; `cleanup`
 * gets what closes them and drops the database.
 */
export async function twoPgHandles(cleanup: (f: () => Promise<unknown>) => void): Promise<[StoreDb, StoreDb]> {
  const d = await freshPgDatabase({ migrated: true });
  cleanup(() => d.drop());
  const a = await openPostgres(d.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 4 });
  cleanup(() => a.close());
  const b = await openPostgres(d.url, { what: 'GOLDRATIO_TEST_PG_URL', max: 4 });
  cleanup(() => b.close());
  return [onPostgres(a), onPostgres(b)];
}

/** One statement on the server's own database, on a connection of its own. */
export async function adminQuery(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}
