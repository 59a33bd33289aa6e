/**
 * vitest globalSetup: when the suite has a PostgreSQL server (helpers/postgres.ts), one database
 * migrated to the current schema, made once per run, for `freshPgDatabase({ migrated: true })` to
 * copy (CREATE DATABASE … TEMPLATE): a copy takes a quarter of a second where creating and
 * migrating took two thirds of one, for each of the store's ~150 PostgreSQL tests. Its name reaches
 * the test workers in GOLDRATIO_TEST_PG_TEMPLATE; it is dropped when the run ends, with every copy
 * still there (named after it: a test's that failed before its drop).
 */
import { randomBytes } from 'node:crypto';
import { openPostgres } from '../../src/store/postgres.ts';
import { adminQuery, PG, withDatabase } from './postgres.ts';

const MARK = 'GOLDRATIO_TEST_PG_TEMPLATE';

export async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Each vitest project runs its globalSetup: the first one makes the template, the others share it.
  const server = PG.url;
  if (server === undefined || process.env[MARK] !== undefined) return undefined;
  const name = `goldratio_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const db = await openPostgres(withDatabase(server, name), { what: 'GOLDRATIO_TEST_PG_URL', max: 1 });
  await db.close();
  process.env[MARK] = name;
  return async () => {
    delete process.env[MARK];
    const copies = await adminQuery(server, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${name}_`]);
    for (const { datname } of copies.rows as { datname: string }[]) await adminQuery(server, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
}
