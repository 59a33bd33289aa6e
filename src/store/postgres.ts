/**
 * PostgreSQL: the shared store when goldratio runs on more than one machine. Opens a pool through
 * `pg` (node-postgres) behind Kysely, turns every way a connection can fail into one line naming
 * where (never the password), and applies the same numbered migrations as SQLite
 * (./migrations), serialised across replicas by an advisory lock so two starting at once do not
 * race. The engine-only statements (advisory locks, identity sequences) live here, behind names.
 */
import type pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { DIALECTS, latestVersion, MIGRATIONS, type Migration, type SchemaUpgrade } from './migrations/index.ts';
import { DatabaseVersionError } from './db.ts';
import { PostgresOpenError, PostgresTimeoutError } from './errors.ts';
import { deadlinePool, longWork, spanText, withDeadline, type Unanswered } from './pg-deadline.ts';
import { GOLDRATIO_TABLES } from './table-names.ts';
import type { StoreDb } from './engine.ts';
import { urlConnectTimeoutMs } from '../domain/postgres-url.ts';

export { PostgresOpenError } from './errors.ts';

/** A reachable, migrated PostgreSQL database. */
export interface PgStore {
  readonly db: Kysely<unknown>;
  /** `postgres://user@host:port/db`: where, without the password, for messages. */
  readonly where: string;
  /** What this open migrated, if it did (another replica's migration meanwhile is not this one's). */
  readonly upgraded?: SchemaUpgrade;
  /**
   * For a pool opened with a `name`: its sessions' application_name from now on, each open one's
   * set at its next checkout (the kept one's at once). Nothing where the URL names the sessions itself.
   */
  rename?(name: string): Promise<void>;
  close(): Promise<void>;
}

/** The migration runner's lock key (an advisory lock is a 64-bit number): "gold" in ASCII. */
const MIGRATION_LOCK = 0x676f6c64;

/** int8 (count(*), BIGINT ids and ms) as a JS number: ids and ms since epoch stay below 2^53. */
const INT8_OID = 20;
const typesOf = (lib: typeof pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (v: string) => Number(v) : lib.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
});

/**
 * The pg package, loaded by the first connection: on Node 20 its loading builds a fetch Response
 * (to tell a Cloudflare worker), which loads Node's own undici, 20-40 ms; with pg's own modules
 * that was 40-60 ms of every start, on SQLite too (status, import, every spawned test process).
 */
export async function loadPg(): Promise<typeof pg> {
  return (await import('pg')).default;
}

/**
 * pg's Client, whose socket is closed when its connect fails on an error pg raised itself: a SCRAM
 * password asked for and none given ("client password must be a string") is thrown in the middle
 * of the handshake and left the socket open, so a command that had said why it failed did not
 * exit until the server's authentication_timeout (a minute) closed it. The server's own refusals
 * (a wrong password, a missing database) close it from the server's side already.
 */
export function closingClient(lib: typeof pg): typeof pg.Client {
  return class ClosingClient extends lib.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      let connected = false;
      this.once('connect', () => (connected = true));
      // pg's Connection (not in its types): its 'error' while connecting is that failure.
      const connection = (this as unknown as { connection: { on(event: 'error', f: () => void): void; stream: { destroy(): void } } }).connection;
      connection.on('error', () => {
        if (!connected) connection.stream.destroy();
      });
    }
  };
}

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

/** The default bound of an ordinary query (DATABASE_QUERY_TIMEOUT_MS): past it the server counts as unreachable. */
export const QUERY_TIMEOUT_MS = 30_000;

/** The server's keepalives on each pool session (the leader's sessions set shorter ones: store/leader.ts). */
const SERVER_KEEPALIVES = 'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3';

/** The pool size of a running goldratio (main.ts); with the leader lock's own connection, what a replica holds. */
export const REPLICA_POOL_MAX = 10;

/**
 * Connects to `url` and brings its schema to this goldratio's version. `what` names where the URL
 * came from (DATABASE_URL, --to) in every message.
 */
/**
 * The tables of a database goldratio has never migrated: another application's, named by a slip of
 * DATABASE_URL or --to. Empty for goldratio's own database or an empty one. A `schema_migrations`
 * table alone does not make it goldratio's (Rails, golang-migrate and others keep one by that
 * name): goldratio's has its columns (version, name, applied_at) and its first migration's row.
 */
export async function foreignTables(db: Kysely<unknown>): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(db);
  const tables = r.rows.map((t) => t.name);
  if (tables.includes('schema_migrations') && (await isGoldratioSchema(db))) return [];
  return tables;
}

/** Whether the schema_migrations table is goldratio's own (see foreignTables). */
async function isGoldratioSchema(db: Kysely<unknown>): Promise<boolean> {
  // pg_attribute, not information_schema: that one hides the columns of a table the user may not read.
  const cols = await sql<{ n: number; readable: boolean }>`
    SELECT count(*) AS n, bool_and(has_table_privilege(a.attrelid, 'SELECT')) AS readable
      FROM pg_attribute a
     WHERE a.attrelid = to_regclass('schema_migrations') AND NOT a.attisdropped
       AND (a.attname::text, format_type(a.atttypid, a.atttypmod)) IN (('version', 'integer'), ('name', 'text'), ('applied_at', 'text'))`.execute(db);
  if (Number(cols.rows[0]?.n) !== 3) return false;
  // A user that may not read it is told so by the privileges' check, not called another application.
  if (cols.rows[0]?.readable !== true) return true;
  const first = await sql<{ name: string }>`SELECT name FROM schema_migrations WHERE version = 1`.execute(db);
  return first.rows[0]?.name === FIRST_MIGRATION;
}

/** The name goldratio's first migration is recorded under, in every database it made. */
const FIRST_MIGRATION = MIGRATIONS[0]?.name;

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
    /**
     * How long a query may go unanswered (default QUERY_TIMEOUT_MS; 0: no bound) before it fails
     * as the server unreachable and its connection is closed (pg-deadline.ts). A connection is
     * not waited for longer either. The migrations, and long work (longWork), have a bound of their own.
     */
    readonly queryTimeoutMs?: number;
    /**
     * Each session sets the server's TCP keepalives (default true; DATABASE_SERVER_KEEPALIVE=off:
     * behind RDS Proxy a SET pins the session to its client, behind PgBouncer's transaction pooling
     * it lands on a server connection other clients share).
     */
    readonly serverKeepalive?: boolean;
    readonly max?: number;
    /**
     * A running replica's name for its pool's sessions (application_name; one the URL gives wins), of
     * which one stays open while idle: `goldratio status` lists the replica by it even when its
     * election has no session (store/leader.ts POOL_NAME). Unset: unnamed, none kept (the commands).
     */
    readonly name?: string;
    /** Asked once connected, before the migrations create anything: throw to refuse the database (default: refuse another application's). */
    readonly beforeMigrate?: (db: Kysely<unknown>, where: string) => Promise<void>;
    /**
     * For the reading commands: create and migrate nothing. A database without goldratio's tables,
     * or with an older schema, is refused (PostgresOpenError) instead: a `goldratio status` run
     * from a newer checkout must not upgrade the schema under the replicas running the older one
     * (they would stop leading), nor make tables in a database named by mistake.
     */
    readonly readOnly?: boolean;
    /**
     * With readOnly: a schema newer than this code's is let through instead of refused, for a command
     * that reads of it only what no migration changes (`status`: the replicas, from the server's
     * sessions) and says the rest takes the newer goldratio (newerSchema tells it the version).
     */
    readonly newerToo?: boolean;
  },
): Promise<PgStore> {
  const where = describePostgresUrl(url);
  if (where === undefined) throw new PostgresOpenError(`${opts.what}: expected a postgres:// URL`);
  const lib = await loadPg();
  const queryTimeoutMs = opts.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  // The URL's connect_timeout is the operator's own bound on a connection, so it wins over the
  // query deadline's cap on goldratio's default.
  const fromUrl = urlConnectTimeoutMs(url);
  const connectTimeoutMs = fromUrl ?? Math.min(opts.connectTimeoutMs ?? 10_000, queryTimeoutMs > 0 ? queryTimeoutMs : Number.POSITIVE_INFINITY);
  const bound = (ms: number) => (fromUrl === undefined ? spanText(ms) : `${spanText(ms)}, the URL's connect_timeout`);
  const pool = new lib.Pool({
    Client: closingClient(lib),
    connectionString: driverUrl(url),
    connectionTimeoutMillis: connectTimeoutMs,
    max: opts.max ?? 10,
    ...(opts.name === undefined ? {} : { application_name: opts.name, min: 1 }),
    types: typesOf(lib),
    // An idle connection whose server went silent is found by the kernel's probes (the first after
    // 10 s idle) instead of waiting for the next query's deadline; the leader's sessions do the same.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client whose server went away emits 'error' on the pool; a client checked out between
  // two queries of a transaction emits it on itself. Unhandled, either would end the process; the
  // query that meets the broken connection fails on its own, and the pool connects anew.
  pool.on('error', () => {});
  /** Each open session's application_name as last set, while the pool's name may change (rename). */
  const named = new WeakMap<pg.PoolClient, string>();
  const urlNamed = new URL(url).searchParams.has('application_name');
  pool.on('connect', (client) => {
    client.on('error', () => {});
    if (opts.name !== undefined) named.set(client, (pool.options as { application_name?: string }).application_name ?? opts.name);
    // The server's side probes too: a session whose client was lost in a partition (its socket
    // destroyed here at the deadline, the goodbye never arriving) ends after about 25 s, with the
    // row locks of its open transaction, instead of after the OS's 2 hours. Queued before the
    // first query on the connection; a server that refuses it (a socket without TCP) keeps its own.
    if (opts.serverKeepalive !== false) client.query(SERVER_KEEPALIVES).catch(() => {});
  });
  const host = new URL(url).host || 'localhost';
  const max = opts.max ?? 10;
  const said = (ms: number, what: Unanswered) =>
    what === 'query'
      ? `PostgreSQL at ${host} did not answer a query within ${spanText(ms)} (${opts.what}: ${where}); its connection was closed`
      : what === 'connection'
        ? `PostgreSQL at ${host} did not answer a new connection within ${bound(ms)} (${opts.what}: ${where})`
        : `no connection to PostgreSQL at ${host} came free within ${spanText(ms)}: all ${max} of the pool in use (${opts.what}: ${where})`;
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: deadlinePool(pool, { ms: queryTimeoutMs, connectMs: connectTimeoutMs, said }) }) });
  // A named pool keeps its one session open again after the server ended it (a restart, a failover,
  // pg_terminate_backend): pg's `min` keeps an idle session but does not replace one that closed.
  const kept = opts.name === undefined ? undefined : keepOneOpen(pool);
  // A session named before a rename takes the new name at its next checkout, before the caller's query (queued first).
  pool.on('acquire', (client) => {
    const want = (pool.options as { application_name?: string }).application_name;
    const has = named.get(client);
    if (want === undefined || has === undefined || has === want) return;
    named.set(client, want);
    client.query("SELECT set_config('application_name', $1, false)", [want]).catch(() => {});
  });
  const rename =
    opts.name === undefined || urlNamed
      ? undefined
      : async (name: string) => {
          (pool.options as { application_name?: string }).application_name = name;
          // The kept session at once (an idle replica's one session, what `goldratio status` reads).
          const c = await pool.connect();
          c.release();
        };
  let store: PgStore = {
    db,
    where,
    ...(rename === undefined ? {} : { rename }),
    close: () => {
      kept?.stop();
      return db.destroy();
    },
  };
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await store.close().catch(() => {});
    if (preferWithoutSsl(url, e)) return openPostgres(url, opts);
    throw connectFailure(e, where, url, opts.what, bound(connectTimeoutMs));
  }
  try {
    const migrations = opts.migrations ?? MIGRATIONS;
    await (opts.beforeMigrate ?? ((d, w) => refuseForeign(d, w, opts.what)))(db, where);
    // Which tables the user may not read, said before a query meets one of them (schema_migrations first).
    await refuseMissingPrivileges(db, where, url, opts.what, ['SELECT']);
    if (opts.readOnly) {
      await readableSchema(db, where, opts.what, migrations, opts.newerToo === true);
    } else {
      await refuseReadOnly(db, where, opts.what);
      try {
        // Long work: a migration's statement over a big table, or the wait for another replica's migration.
        const upgraded = await longWork(() => migratePostgres(db, where, opts.what, migrations));
        if (upgraded !== undefined) store = { ...store, upgraded };
      } catch (e) {
        throw (e as { code?: unknown }).code === INSUFFICIENT_PRIVILEGE ? migrationRefused(e, where, url, opts.what) : e;
      }
      await refuseMissingPrivileges(db, where, url, opts.what, ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    }
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  return store;
}

/** A named pool's pause before it opens its kept session again, after the server ended it or refused a new one. */
export const KEEP_OPEN_RETRY_MS = 2000;

/**
 * Keeps one session of `pool` open: when its last one closes (the server restarted, failed over, or
 * ended it), a new one is opened KEEP_OPEN_RETRY_MS later, and tried again as often until one
 * connects. A standby does no query of its own while idle, and its election may have no session
 * (the server's connection limit): without this it vanished from `goldratio status` until its next
 * command, and an operator read it as down.
 */
function keepOneOpen(pool: pg.Pool): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const empty = () => !stopped && !(pool as unknown as { ending: boolean }).ending && pool.totalCount === 0;
  const refill = () => {
    if (!empty() || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!empty()) return;
      pool.connect().then(
        (c) => c.release(),
        () => refill(),
      );
    }, KEEP_OPEN_RETRY_MS);
    // A process stopping does not wait for it.
    timer.unref();
  };
  pool.on('remove', refill);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * What frees a connection for a server's 53300: the server's max_connections when it is full ("too
 * many clients", or its last slots kept for superusers), else the role's or database's CONNECTION LIMIT.
 */
export function connectionsFix(message: string): string {
  return /too many clients|remaining connection slots are reserved/i.test(message)
    ? "raise the server's max_connections, or run fewer replicas"
    : 'raise that connection limit (ALTER ROLE / ALTER DATABASE … CONNECTION LIMIT), or run fewer replicas';
}

/**
 * A refused password that holds a %XX standing for a character nobody encodes (a letter, a digit,
 * - . _ ~): the password itself likely has a % in it (p%41ss), which the URL read as that character.
 * Said without quoting any of it (no part of a password is printed): an empty string when nothing so.
 */
function decodedAside(rawPassword: string): string {
  return /%(?:[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9]|2[dDeE]|5[fF]|7[eE])/.test(rawPassword)
    ? "; the URL's password holds a %XX standing for a letter, a digit or one of - . _ ~, which the URL reads as that character: if the password has a % itself, write that % as %25"
    : '';
}

/** `within`: the connection's bound as said, e.g. "2 s, the URL's connect_timeout". */
function connectFailure(e: unknown, where: string, url: string, what: string, within: string): PostgresOpenError {
  const err = e as { code?: string; message?: string };
  const u = new URL(url);
  const at = `PostgreSQL at ${u.host || 'localhost'}`;
  const user = decodeURIComponent(u.username) || '(default user)';
  const db = decodeURIComponent(u.pathname.slice(1)) || user;
  const code = err.code ?? '';
  const message = (err.message ?? String(e)).split('\n')[0];
  // A host name that does not resolve: in Docker Compose or Kubernetes, the database's name resolves
  // only once its container or pod exists, so start waits for it as for a refused connection
  // (transient), saying that it may as well be mistyped, so a typo is plain from the first line on.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new PostgresOpenError(
      `cannot reach ${at} (${what}: ${where}): the host name "${(e as { hostname?: string }).hostname ?? u.hostname}" does not resolve (${code}${code === 'EAI_AGAIN' ? ': no answer from the name server' : ''}); is it mistyped, or is its container or pod not up yet?`,
      { cause: e, transient: true },
    );
  // The server may be not up yet, or unreachable for now (transient).
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code))
    return new PostgresOpenError(`cannot reach ${at} (${what}: ${where}): ${code}; is the server running and the host and port right?`, {
      cause: e,
      transient: true,
    });
  if (/timeout/i.test(message ?? '')) return new PostgresOpenError(`${at} did not answer within ${within} (${what}: ${where})`, { cause: e, transient: true });
  // 57P03: the server is starting up, shutting down or recovering.
  if (code === '57P03')
    return new PostgresOpenError(`${at} is not accepting connections yet (${what}: ${where}): ${message} (${code})`, { cause: e, transient: true });
  // A connection closed at once without a word: a server still starting may do that, and so does
  // whatever else listens on a mistyped port (a proxy, another service), which no wait fixes: say both.
  if (/Connection terminated unexpectedly/i.test(message ?? ''))
    return new PostgresOpenError(
      `${at} closed the connection without a word (${what}: ${where}): a PostgreSQL still starting does that, and so does another service on that port; is the port right?`,
      { cause: e, transient: true },
    );
  if (/does not support SSL/i.test(message ?? '')) {
    const mode = u.searchParams.get('sslmode');
    const asked = mode !== null ? `sslmode=${mode}` : u.searchParams.has('ssl') ? `ssl=${u.searchParams.get('ssl')}` : 'PGSSLMODE';
    return new PostgresOpenError(
      `${at} does not accept SSL connections (${what}: ${where}); ${what} asks for them with ${asked}: turn SSL on for the server, or drop ${asked.split('=')[0]} from the URL`,
      { cause: e },
    );
  }
  // Too many clients for the server (max_connections), or for the role or database (CONNECTION LIMIT).
  // Waited for at start (transient): in a rolling deploy the old replica's connections free as it
  // leaves, a moment after the new one starts; a limit set too low stays, and the start gives up
  // after its wait, each warning having said what frees one.
  if (code === '53300')
    return new PostgresOpenError(
      `${at} has no connection left (${what}: ${where}): ${message} (${code}); each goldratio replica opens up to ${REPLICA_POOL_MAX} connections plus one for the leader lock: ${connectionsFix(message ?? '')}`,
      { cause: e, transient: true },
    );
  // The URL has no password (forgotten, or the user written where user:password goes) and the
  // server asks for one: pg's own words name SCRAM's first message.
  if (/client password must be a string/i.test(message ?? ''))
    return new PostgresOpenError(
      `${at} asks for the password of user "${user}", and ${what} gives none (${where}): write it in the URL (postgres://user:password@host:port/database) or in PGPASSWORD`,
      { cause: e },
    );
  if (code === '28P01')
    return new PostgresOpenError(`${at} refused the password of user "${user}" (${what}: ${where})${decodedAside(u.password)}`, { cause: e });
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

/** SQLSTATE 42501: the user lacks a privilege (to create in the schema, to write a table). */
const INSUFFICIENT_PRIVILEGE = '42501';

/** The URL's user, as the server knows it, for messages. */
function userOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || '(default user)';
}

/**
 * A reading command's check of the database it opens without migrating: goldratio's tables at this
 * goldratio's schema version. Another application's tables, none at all, or an older or newer
 * schema are one line each.
 */
async function readableSchema(db: Kysely<unknown>, where: string, what: string, migrations: readonly Migration[], newerToo: boolean): Promise<void> {
  const known = latestVersion(migrations);
  const current = await postgresSchemaVersion(db);
  if (current > known && newerToo) return;
  if (current > known) throw new DatabaseVersionError(where, current, known, `upgrade goldratio, or point ${what} at another database`);
  if (current === known) return;
  if (current === 0) {
    throw new PostgresOpenError(
      `${what}: ${where} has no goldratio tables yet, and a reading command creates none: fill it with goldratio copy-data, backfill or import, or start the bot on it`,
    );
  }
  throw new PostgresOpenError(
    `${what}: ${where} has goldratio's schema version ${current}, older than this goldratio's ${known}, and a reading command changes nothing: ` +
      'read it with the goldratio that runs on it, or upgrade it (starting this version migrates it; replicas of the older one then stand by)',
  );
}

/**
 * Every goldratio table the user may not use as `privileges` asks: one line naming them and the
 * GRANT that fixes it (a role given only SELECT, or a database made by another role).
 */
async function refuseMissingPrivileges(db: Kysely<unknown>, where: string, url: string, what: string, privileges: readonly string[]): Promise<void> {
  const r = await sql<{ name: string; missing: string | null; schema: string }>`
    SELECT c.relname AS name, current_schema() AS schema,
           array_to_string(ARRAY(SELECT p FROM unnest(${sql.val([...privileges])}::text[]) AS p WHERE NOT has_table_privilege(c.oid, p)), ', ') AS missing
      FROM pg_class c
     WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(${sql.val([...GOLDRATIO_TABLES])}::text[])
     ORDER BY c.relname`.execute(db);
  const short = r.rows.filter((t) => t.missing !== null && t.missing !== '');
  if (short.length === 0) return;
  const user = userOf(url);
  const lacking = [...new Set(short.flatMap((t) => (t.missing ?? '').split(', ')))];
  throw new PostgresOpenError(
    `${what}: user "${user}" may not ${privileges.length === 1 ? 'read' : 'write'} goldratio's tables in ${where} (no ${lacking.join(', ')} on ${someTables(short.map((t) => t.name))}): ` +
      `grant them (GRANT ${privileges.join(', ')} ON ALL TABLES IN SCHEMA ${short[0]?.schema ?? 'public'} TO "${user}"), or connect as the database's owner`,
  );
}

/**
 * A writing command on a server that takes no writes: a hot standby (a read replica, or the old
 * primary after a failover), or a database set default_transaction_read_only. Said before the first
 * write, naming it, where the migration or the first insert said only "cannot execute … in a
 * read-only transaction (25006)" and exit 1.
 */
async function refuseReadOnly(db: Kysely<unknown>, where: string, what: string): Promise<void> {
  const r = await sql<{ standby: boolean; ro: string }>`SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro`.execute(db);
  const row = r.rows[0];
  if (row === undefined || row.ro !== 'on') return;
  throw new PostgresOpenError(`${what}: ${readOnlyReason(where, what, row.standby)}`);
}

/** Why a server takes no writes, and what to do: a standby in recovery, else default_transaction_read_only. */
function readOnlyReason(where: string, what: string, standby: boolean): string {
  return standby
    ? `${where} takes no writes (a standby server, in recovery: a read replica, or a former primary after a failover): point ${what} at the primary server`
    : `${where} takes no writes (default_transaction_read_only is on): turn it off (ALTER DATABASE … SET default_transaction_read_only = off), or point ${what} at a database that takes writes`;
}

/** A migration the user may not run (no CREATE on the schema, not the tables' owner): one line. */
function migrationRefused(e: unknown, where: string, url: string, what: string): PostgresOpenError {
  const message = ((e as Error).message ?? String(e)).split('\n')[0];
  return new PostgresOpenError(
    `${what}: user "${userOf(url)}" may not create or change goldratio's tables in ${where} (${message}): ` +
      "run goldratio once as the database's owner (createdb -O <user> makes one), which migrates it; a user that may only read and write its rows can run it after that",
    { cause: e },
  );
}

/**
 * Applies the pending migrations in one transaction (PostgreSQL's DDL is transactional), under
 * an advisory lock held until it commits: a second replica starting at the same time waits, then
 * finds nothing left to do.
 */
async function migratePostgres(db: Kysely<unknown>, where: string, what: string, migrations: readonly Migration[]): Promise<SchemaUpgrade | undefined> {
  const known = latestVersion(migrations);
  return await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    const current = await postgresSchemaVersion(trx);
    if (current > known) throw new DatabaseVersionError(where, current, known, `upgrade goldratio, or point ${what} at another database`);
    // Nothing to do needs no DDL: a user that may only read and write rows starts on a migrated database.
    if (current === known) return undefined;
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
    return { from: current, to: pending.at(-1)!.version, applied: pending.map(({ version, name }) => ({ version, name })) };
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

/** A database's schema newer than this code's: its version, and when the newest migration ran (as recorded). */
export interface NewerSchema {
  readonly version: number;
  readonly known: number;
  readonly migratedAt: string | undefined;
}

/**
 * Whether `store`'s schema is newer than this code's (a rolling upgrade: a newer goldratio migrated
 * it), read from schema_migrations, whose shape no migration changes; undefined when it is not,
 * and on SQLite (whose reading commands refuse a newer file at its open).
 */
export async function newerSchema(store: StoreDb, known = latestVersion(MIGRATIONS)): Promise<NewerSchema | undefined> {
  if (store.engine !== 'postgres') return undefined;
  const db = store.k as unknown as Kysely<unknown>;
  const version = await postgresSchemaVersion(db);
  if (version <= known) return undefined;
  const r = await sql<{ at: string }>`SELECT applied_at AS at FROM schema_migrations WHERE version = ${version}`.execute(db);
  return { version, known, migratedAt: r.rows[0]?.at };
}

/**
 * Why a replica whose code is older than its database's schema (a rolling upgrade) must not serve,
 * after "database " or /readyz's "database: ".
 */
export function newerSchemaReason(where: string, version: number, known: number): string {
  return `${where} was migrated by a newer goldratio (schema version ${version}; this replica knows up to ${known}): replace this replica with the new version`;
}

/**
 * Whether the server answers now, with a schema this code knows, and takes writes, for /readyz:
 * undefined when it does, else one line (the pool reconnects by itself when the server comes back,
 * so this is asked again at each probe; a newer goldratio may have migrated the database since the
 * start, and a server may have turned standby or read-only under it: not ready, saying which).
 */
export async function postgresProblem(store: PgStore, timeoutMs = 2000, known = latestVersion(MIGRATIONS)): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // The query's own deadline too: left to the ordinary one, each probe of a silent server held a
    // connection of the pool for 30 s (the race alone, for good), and a few probes took them all.
    const r = await Promise.race([
      // With whether it takes writes, in the same round trip: a server that turned standby under a
      // running replica (a former primary rejoining at its address after a failover) leads and
      // answers reads as before, while every write fails "in a read-only transaction".
      withDeadline(timeoutMs, () =>
        sql<{
          v: number | null;
          standby: boolean;
          ro: string;
        }>`SELECT max(version) AS v, pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro FROM schema_migrations`.execute(store.db),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const row = r.rows[0];
    const version = Number(row?.v ?? 0);
    if (version > known) return newerSchemaReason(store.where, version, known);
    return row?.ro === 'on' ? readOnlyReason(store.where, 'DATABASE_URL', row.standby) : undefined;
  } catch (e) {
    const why = e instanceof PostgresTimeoutError ? `no answer within ${timeoutMs} ms` : ((e as Error).message ?? String(e)).split('\n')[0];
    return `PostgreSQL at ${store.where} is unavailable: ${why}`;
  } finally {
    clearTimeout(timer);
  }
}
