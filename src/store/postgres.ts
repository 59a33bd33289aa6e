/**
 * PostgreSQL: the shared store when goldratio runs on more than one machine. Opens a pool through
 * `pg` (node-postgres) behind Kysely, turns every way a connection can fail into one line naming
 * where (never the password), and applies the same numbered migrations as SQLite
 * (./migrations), serialised across replicas by an advisory lock so two starting at once do not
 * race. The engine-only statements (advisory locks, identity sequences) live here, behind names.
 */
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { DIALECTS, latestVersion, MIGRATIONS, type Migration } from './migrations/index.ts';
import { DatabaseVersionError } from './db.ts';
import { PostgresOpenError } from './errors.ts';

export { PostgresOpenError } from './errors.ts';

/** A reachable, migrated PostgreSQL database. */
export interface PgStore {
  readonly db: Kysely<unknown>;
  /** `postgres://user@host:port/db`: where, without the password, for messages. */
  readonly where: string;
  close(): Promise<void>;
}

/** The migration runner's lock key (an advisory lock is a 64-bit number): "gold" in ASCII. */
const MIGRATION_LOCK = 0x676f6c64;

/** int8 (count(*), BIGINT ids and ms) as a JS number: ids and ms since epoch stay below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A connection URL without its password. undefined: not a postgres:// URL. */
export function describePostgresUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') return undefined;
  const user = u.username === '' ? '' : `${decodeURIComponent(u.username)}@`;
  return `${u.protocol}//${user}${u.host}${u.pathname}`;
}

/**
 * The URL as the pg driver is to read it: with an `sslmode`, in libpq's meaning of it (the URL is
 * the one psql takes: `require` encrypts without checking the certificate, `verify-full` checks it),
 * which pg 8 gives only with `uselibpqcompat=true`; without that it reads `require` as
 * `verify-full` (a server's self-signed certificate refused) and prints a nine-line warning on
 * stderr, into the middle of the JSON log.
 */
export function driverUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (withoutSsl.has(url)) {
    u.searchParams.set('sslmode', 'disable');
    return u.toString();
  }
  // pg's own `no-verify` (and `disable`, `verify-full`) mean the same either way; `no-verify` is not libpq's.
  if (!['prefer', 'require', 'verify-ca'].includes(u.searchParams.get('sslmode') ?? '') || u.searchParams.has('uselibpqcompat')) return url;
  u.searchParams.set('uselibpqcompat', 'true');
  return u.toString();
}

/**
 * `sslmode=prefer` URLs whose server said it has no SSL. libpq then goes on without it; the pg
 * driver gives up ("The server does not support SSL connections"), so the next connections to such
 * a URL are made without SSL (driverUrl), as psql's would be.
 */
const withoutSsl = new Set<string>();

/**
 * Whether `e` is a server's "no SSL" to an `sslmode=prefer` URL not known for it yet: then it is
 * known, and a new try (through driverUrl) connects without SSL.
 */
export function preferWithoutSsl(url: string, e: unknown): boolean {
  if (withoutSsl.has(url) || !/does not support SSL/i.test((e as Error)?.message ?? '')) return false;
  let mode: string | null;
  try {
    mode = new URL(url).searchParams.get('sslmode');
  } catch {
    return false;
  }
  if (mode !== 'prefer') return false;
  withoutSsl.add(url);
  return true;
}

/** The pool size of a running goldratio (main.ts); with the leader lock's own connection, what a replica holds. */
export const REPLICA_POOL_MAX = 10;

/**
 * Connects to `url` and brings its schema to this goldratio's version. `what` names where the URL
 * came from (DATABASE_URL, --to) in every message.
 */
/**
 * The tables of a database goldratio has never migrated (no schema_migrations): another
 * application's, named by a slip of DATABASE_URL or --to. Empty for goldratio's own database or an
 * empty one.
 */
export async function foreignTables(db: Kysely<unknown>): Promise<string[]> {
  const ours = await sql<{ t: string | null }>`SELECT to_regclass('schema_migrations')::text AS t`.execute(db);
  if (ours.rows[0]?.t != null) return [];
  const r = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db);
  return r.rows.map((t) => t.name);
}

/** "a, b, c, d, e, and 3 more": the first tables of a list, for one line. */
export const someTables = (names: readonly string[]): string => `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, and ${names.length - 5} more` : ''}`;

/**
 * By default a database that holds another application's tables is refused before the
 * migrations make goldratio's among them (a slip of the database's name in DATABASE_URL).
 */
async function refuseForeign(db: Kysely<unknown>, where: string, what: string): Promise<void> {
  const foreign = await foreignTables(db);
  if (foreign.length > 0) {
    throw new PostgresOpenError(
      `${what}: ${where} holds tables that are not goldratio's (${someTables(foreign)}): goldratio keeps its tables in a database of its own: create one (createdb goldratio) and point ${what} at it`,
    );
  }
}

export async function openPostgres(
  url: string,
  opts: {
    readonly what: string;
    readonly migrations?: readonly Migration[];
    readonly connectTimeoutMs?: number;
    readonly max?: number;
    /** Asked once connected, before the migrations create anything: throw to refuse the database (default: refuse another application's). */
    readonly beforeMigrate?: (db: Kysely<unknown>, where: string) => Promise<void>;
  },
): Promise<PgStore> {
  const where = describePostgresUrl(url);
  if (where === undefined) throw new PostgresOpenError(`${opts.what}: expected a postgres:// URL`);
  const pool = new pg.Pool({ connectionString: driverUrl(url), connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000, max: opts.max ?? 10, types });
  // An idle client whose server went away emits 'error' on the pool; a client checked out between
  // two queries of a transaction emits it on itself. Unhandled, either would end the process; the
  // query that meets the broken connection fails on its own, and the pool connects anew.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const store: PgStore = { db, where, close: () => db.destroy() };
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await store.close().catch(() => {});
    if (preferWithoutSsl(url, e)) return openPostgres(url, opts);
    throw connectFailure(e, where, url, opts.what, opts.connectTimeoutMs ?? 10_000);
  }
  try {
    await (opts.beforeMigrate ?? ((d, w) => refuseForeign(d, w, opts.what)))(db, where);
    await migratePostgres(db, where, opts.what, opts.migrations ?? MIGRATIONS);
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

function connectFailure(e: unknown, where: string, url: string, what: string, timeoutMs: number): PostgresOpenError {
  const err = e as { code?: string; message?: string };
  const u = new URL(url);
  const at = `PostgreSQL at ${u.host || 'localhost'}`;
  const user = decodeURIComponent(u.username) || '(default user)';
  const db = decodeURIComponent(u.pathname.slice(1)) || user;
  const code = err.code ?? '';
  const message = (err.message ?? String(e)).split('\n')[0];
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code))
    return new PostgresOpenError(`cannot reach ${at} (${what}: ${where}): ${code}; is the server running and the host and port right?`, { cause: e });
  if (/timeout/i.test(message ?? ''))
    return new PostgresOpenError(`${at} did not answer within ${Math.round(timeoutMs / 1000)} s (${what}: ${where})`, { cause: e });
  if (/does not support SSL/i.test(message ?? '')) {
    const mode = u.searchParams.get('sslmode');
    const asked = mode !== null ? `sslmode=${mode}` : u.searchParams.has('ssl') ? `ssl=${u.searchParams.get('ssl')}` : 'PGSSLMODE';
    return new PostgresOpenError(
      `${at} does not accept SSL connections (${what}: ${where}); ${what} asks for them with ${asked}: turn SSL on for the server, or drop ${asked.split('=')[0]} from the URL`,
      { cause: e },
    );
  }
  // Too many clients for the server (max_connections), or for the role or database (CONNECTION LIMIT).
  if (code === '53300') {
    const fix = /too many clients/i.test(message ?? '')
      ? "raise the server's max_connections, or run fewer replicas"
      : 'raise that connection limit (ALTER ROLE / ALTER DATABASE … CONNECTION LIMIT), or run fewer replicas';
    return new PostgresOpenError(
      `${at} has no connection left (${what}: ${where}): ${message} (${code}); each goldratio replica opens up to ${REPLICA_POOL_MAX} connections plus one for the leader lock: ${fix}`,
      { cause: e },
    );
  }
  if (code === '28P01') return new PostgresOpenError(`${at} refused the password of user "${user}" (${what}: ${where})`, { cause: e });
  if (code === '28000') return new PostgresOpenError(`${at} refused user "${user}" (${what}: ${where}): ${message}`, { cause: e });
  if (code === '3D000')
    return new PostgresOpenError(`database "${db}" does not exist on ${at} (${what}: ${where}); create it first (createdb ${db})`, { cause: e });
  return new PostgresOpenError(`cannot connect to ${at} (${what}: ${where}): ${message}${code === '' ? '' : ` (${code})`}`, { cause: e });
}

/** This goldratio's schema version of the database (0: none yet). */
export async function postgresSchemaVersion(db: Kysely<unknown> | Transaction<unknown>): Promise<number> {
  const exists = await sql<{ t: string | null }>`SELECT to_regclass('schema_migrations')::text AS t`.execute(db);
  if (exists.rows[0]?.t == null) return 0;
  const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(db);
  return r.rows[0]?.v ?? 0;
}

/**
 * Applies the pending migrations in one transaction (PostgreSQL's DDL is transactional), under
 * an advisory lock held until it commits: a second replica starting at the same time waits, then
 * finds nothing left to do.
 */
async function migratePostgres(db: Kysely<unknown>, where: string, what: string, migrations: readonly Migration[]): Promise<void> {
  const known = latestVersion(migrations);
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    const current = await postgresSchemaVersion(trx);
    if (current > known) throw new DatabaseVersionError(where, current, known, `Upgrade goldratio, or point ${what} at another database.`);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`.execute(trx);
    const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      for (const step of m.steps(DIALECTS.postgres)) {
        if (typeof step === 'string') {
          await sql.raw(step).execute(trx);
          continue;
        }
        const rows = (await sql.raw(step.select).execute(trx)).rows;
        for (const row of rows) await step.each(row).execute(trx);
      }
      await sql`INSERT INTO schema_migrations (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${new Date().toISOString()})`.execute(trx);
    }
  });
}

/**
 * After rows were written with their ids (a copy), each identity column's sequence moves past the
 * highest id, so the next insert numbers from there instead of colliding.
 */
export async function resetIdentities(db: Kysely<unknown> | Transaction<unknown>, tables: readonly string[]): Promise<void> {
  for (const t of tables) {
    await sql`SELECT setval(pg_get_serial_sequence(${t}, 'id'), coalesce((SELECT max(id) FROM ${sql.table(t)}), 0) + 1, false)`.execute(db);
  }
}

/**
 * Why a replica whose code is older than its database's schema (a rolling upgrade) must not serve,
 * after "database " or /readyz's "database: ".
 */
export function newerSchemaReason(where: string, version: number, known: number): string {
  return `${where} was migrated by a newer goldratio (schema version ${version}; this replica knows up to ${known}): replace this replica with the new version`;
}

/**
 * Whether the server answers now, and with a schema this code knows, for /readyz: undefined when
 * it does, else one line (the pool reconnects by itself when the server comes back, so this is
 * asked again at each probe; a newer goldratio may have migrated the database since the start).
 */
export async function postgresProblem(store: PgStore, timeoutMs = 2000, known = latestVersion(MIGRATIONS)): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(store.db),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const version = Number(r.rows[0]?.v ?? 0);
    return version > known ? newerSchemaReason(store.where, version, known) : undefined;
  } catch (e) {
    return `PostgreSQL at ${store.where} is unavailable: ${((e as Error).message ?? String(e)).split('\n')[0]}`;
  } finally {
    clearTimeout(timer);
  }
}
