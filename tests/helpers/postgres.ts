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
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';

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
 * A new database on the test server: empty, or with `migrated` already at the current schema;
 * `drop()` removes it (closing whoever still holds it). A migrated one is a copy of the run's
 * template (helpers/pg-template.ts) the first time; its `drop()` gives it back to this worker,
 * and the next test gets it emptied (`reset`): creating a database costs the server about 0.5 s
 * of CPU, emptying one a few milliseconds.
 */
export async function freshPgDatabase(opts: { migrated?: boolean } = {}): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const server = PG.url;
  if (server === undefined) throw new Error('no GOLDRATIO_TEST_PG_URL');
  const template = opts.migrated ? process.env.GOLDRATIO_TEST_PG_TEMPLATE : undefined;
  if (template === undefined) {
    const name = `goldratio_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(server, `CREATE DATABASE ${name}`);
    return {
      url: withDatabase(server, name),
      name,
      drop: async () => {
        await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }
  const given = givenBack.pop();
  const name = given ?? (await copyOf(server, template));
  if (given !== undefined) await reset(server, name);
  let back = false;
  return {
    url: withDatabase(server, name),
    name,
    drop: async () => {
      if (back) return;
      back = true;
      givenBack.push(name);
    },
  };
}

/** This worker's migrated databases that their tests have given back; the template's teardown drops them. */
const givenBack: string[] = [];

/** A copy of the template, named after it so that the template's teardown drops it with it. */
async function copyOf(server: string, template: string): Promise<string> {
  const name = `${template}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

/**
 * A given-back database as the template left it: whoever still holds it disconnected (a pool a
 * failed test did not close, a killed replica's session), every table but schema_migrations
 * emptied (and that one back to this version's migrations), every sequence restarted, and the rows the migrations wrote (pg-template.ts keeps
 * them in GOLDRATIO_TEST_PG_SEED) put back. Done on a connection kept open for that database
 * (`resetters`): a new connection costs the server about 20 ms of CPU, and two per test were a
 * third of the server's CPU in the suite. A test that ended that connection (a terminated
 * session, a server that went away) only costs a new one.
 */
async function reset(server: string, name: string): Promise<void> {
  const seed = Object.entries(JSON.parse(process.env.GOLDRATIO_TEST_PG_SEED ?? '{}') as Record<string, unknown[]>);
  for (let attempt = 1; ; attempt++) {
    const client = await resetter(server, name);
    hold(client, true);
    try {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      await client.query('BEGIN');
      await client.query(RESET);
      // A test that played a newer goldratio's migration (a rolling upgrade) leaves no trace of it.
      await client.query('DELETE FROM schema_migrations WHERE version > $1', [latestVersion(MIGRATIONS)]);
      for (const [t, rows] of seed)
        await client.query(`INSERT INTO "${t}" SELECT * FROM json_populate_recordset(NULL::"${t}", $1::json)`, [JSON.stringify(rows)]);
      await client.query('COMMIT');
      hold(client, false);
      return;
    } catch (e) {
      resetters.delete(name);
      await client.end().catch(() => {});
      if (attempt === 2) throw e;
    }
  }
}

/** This worker's open connection to each of its given-back databases, for their resets. */
const resetters = new Map<string, pg.Client>();

async function resetter(server: string, name: string): Promise<pg.Client> {
  const open = resetters.get(name);
  if (open !== undefined) return open;
  const client = new pg.Client({ connectionString: withDatabase(server, name) });
  // Ended by a test or by the template's teardown: forgotten, and the next reset connects anew.
  client.on('error', () => {
    if (resetters.get(name) === client) resetters.delete(name);
  });
  client.on('end', () => {
    if (resetters.get(name) === client) resetters.delete(name);
  });
  await client.connect();
  resetters.set(name, client);
  return client;
}

/** Idle between tests, the connection does not keep the worker from exiting; while a reset runs, it does. */
function hold(client: pg.Client, held: boolean): void {
  const socket = (client as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
  if (held) socket?.ref?.();
  else socket?.unref?.();
}

/**
 * Empties the tables a test wrote to, with the fewest new files: TRUNCATE gives a table (and each of
 * its indexes) new files on disk, so a reset by TRUNCATE of every table cost PostgreSQL a few dozen
 * file creations and deletions per test, about a quarter of its CPU in the suite. Empty tables are left
 * alone; the few rows most tests leave are DELETEd (in an order the foreign keys allow, found by
 * retrying), and only tables of 2,000 rows or more are truncated. Sequences are set back, not
 * restarted (a restart also makes a new file).
 */
const RESET = `DO $$
DECLARE
  tn text;
  n int;
  big text[] := '{}';
  small text[] := '{}';
  still text[];
  s record;
BEGIN
  FOR tn IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' LOOP
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I LIMIT 2000) x', tn) INTO n;
    IF n >= 2000 THEN big := big || tn; ELSIF n > 0 THEN small := small || tn; END IF;
  END LOOP;
  IF cardinality(big) > 0 THEN
    EXECUTE 'TRUNCATE ' || (SELECT string_agg(format('%I', x), ', ') FROM unnest(big) x) || ' CASCADE';
  END IF;
  FOR pass IN 1..cardinality(small) LOOP
    still := '{}';
    FOREACH tn IN ARRAY small LOOP
      BEGIN
        EXECUTE format('DELETE FROM %I', tn);
      EXCEPTION WHEN foreign_key_violation THEN
        still := still || tn;
      END;
    END LOOP;
    small := still;
    EXIT WHEN cardinality(small) = 0;
  END LOOP;
  IF cardinality(small) > 0 THEN
    RAISE EXCEPTION 'reset: could not empty %', small;
  END IF;
  FOR s IN SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL LOOP
    PERFORM setval(format('%I', s.sequencename), s.start_value, false);
  END LOOP;
END $$`;

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
