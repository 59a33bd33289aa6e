/**
 * vitest globalSetup: when the suite has a PostgreSQL server (helpers/postgres.ts), one database
 * migrated to the current schema, made once per run, for `freshPgDatabase({ migrated: true })` to
 * copy (CREATE DATABASE … TEMPLATE): a copy takes a quarter of a second where creating and
 * migrating took two thirds of one. Each worker copies it once per test running at a time, and
 * then empties the copies its tests give back (helpers/postgres.ts). Its name reaches
 * the test workers in GOLDRATIO_TEST_PG_TEMPLATE; it is dropped when the run ends, with every copy
 * still there (named after it: a test's that failed before its drop).
 */
import { randomBytes } from 'node:crypto';
import { openPostgres } from '../../src/store/postgres.ts';
import { adminQuery, PG, withDatabase } from './postgres.ts';

const MARK = 'GOLDRATIO_TEST_PG_TEMPLATE';
/** The rows the migrations leave in the template, per table (JSON), for helpers/postgres.ts's reset. */
const SEED = 'GOLDRATIO_TEST_PG_SEED';

export async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Set already: a run inside another one's environment (a vitest started by a test) uses its template.
  const server = PG.url;
  if (server === undefined || process.env[MARK] !== undefined) return undefined;
  const name = `goldratio_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  try {
    // The migrations, as a replica's first start runs them; a failing one drops the template below.
    const db = await openPostgres(withDatabase(server, name), { what: 'GOLDRATIO_TEST_PG_URL', max: 1 });
    await db.close();
    // What the migrations themselves write (meta's counters): a given-back copy is emptied and
    // gets these rows again (helpers/postgres.ts, reset), which is the template's state.
    const tables = await adminQuery(
      withDatabase(server, name),
      "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename",
    );
    const seed: Record<string, unknown[]> = {};
    for (const { tablename } of tables.rows as { tablename: string }[]) {
      const r = await adminQuery(withDatabase(server, name), `SELECT coalesce(json_agg(t), '[]') AS rows FROM "${tablename}" t`);
      const rows = r.rows[0].rows as unknown[];
      if (rows.length > 0) seed[tablename] = rows;
    }
    process.env[SEED] = JSON.stringify(seed);
  } catch (e) {
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw e;
  }
  process.env[MARK] = name;
  return async () => {
    delete process.env[MARK];
    delete process.env[SEED];
    const copies = await adminQuery(server, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${name}_`]);
    for (const { datname } of copies.rows as { datname: string }[]) await adminQuery(server, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
}
