/**
 * Opens the one SQLite file: WAL, busy timeout, numbered migrations applied at start and recorded.
 * A database migrated by a newer goldratio is refused rather than silently misread.
 */
import { makeDirs } from '../make-dirs.ts';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Database, type SqliteDatabase } from './driver.ts';
import { Kysely, SqliteDialect } from 'kysely';

export { DRIVER_ADVICE, SqliteDriverError } from './driver.ts';
import { DIALECTS, latestVersion, MIGRATIONS, type Migration, type SchemaUpgrade } from './migrations/index.ts';
import { rememberDatabaseFile } from './file-identity.ts';

export type Db = SqliteDatabase;

/** A database whose schema is newer than this code's (said as the CLI's other lines are: the advice after a colon, no full stop). */
export class DatabaseVersionError extends Error {
  constructor(
    where: string,
    readonly found: number,
    readonly known: number,
    hint = 'upgrade goldratio, or point DATABASE_PATH at another file',
  ) {
    super(`database ${where} was migrated by a newer goldratio (schema version ${found}; this version knows up to ${known}): ${hint}`);
    this.name = 'DatabaseVersionError';
  }
}

/** DATABASE_PATH names something that is not a usable goldratio database: said in one line, with the path. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    /** What is wrong with it, without the path: the CLI says it again after the variable that placed the file. */
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`database ${path} (DATABASE_PATH): ${problem}`, options);
    this.name = 'DatabaseOpenError';
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';
/** DATABASE_BUSY_TIMEOUT_MS's default: how long a write waits for another process's write lock. */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * What is wrong with the file at `path`, checked before SQLite sees it (SQLite would answer a
 * text file or a folder with a bare "file is not a database" and no path). undefined: fine or absent.
 */
function fileProblem(path: string, access: 'read' | 'write'): string | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
    return `cannot read it (${code ?? (e as Error).message})`;
  }
  if (st.isDirectory()) return 'is a folder, not a database file';
  if (!st.isFile()) return 'is not a regular file';
  if (st.size === 0) return undefined; // an empty file is a new database
  const head = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, 100, 0);
  } catch (e) {
    return `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (st.size < 100 || head.toString('latin1', 0, 16) !== SQLITE_HEADER) return 'is not a SQLite database (is it the right file?)';
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  // Pages the file lacks may be in the -wal beside it: a checkpoint that a full disk cut short
  // wrote page 1 (counting them all) and could not grow the file; SQLite reads them from the -wal.
  const short = st.size < pageSize * head.readUInt32BE(28) && !hasWal(path);
  if (pageSize < 512 || st.size % pageSize !== 0 || short) return 'is truncated or damaged (its size does not match its pages)';
  // Mode bits, not access(): root may write anything, and a file marked read-only should stay so.
  if (access === 'write' && (st.mode & 0o222) === 0) return 'is read-only; make it writable, or point DATABASE_PATH at another file';
  return undefined;
}

/** Whether a -wal with something in it lies beside the database file. */
function hasWal(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Why the folder of `path` cannot be written, if it cannot: SQLite writes its journal (-wal, -shm)
 * and goldratio its instance lock beside the file, so a good database in a folder this process may
 * not write cannot be opened for writing. access(), not mode bits: it answers for this process (a
 * read-only file system even for root).
 */
function folderProblem(path: string): string | undefined {
  const dir = dirname(path);
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'is not writable by this process' : undefined;
    if (why === undefined) return undefined;
    return `its folder ${dir} ${why} (${code}): SQLite keeps its journal and goldratio its lock beside the file; make the folder writable, or point DATABASE_PATH at a writable one`;
  }
}

/** SQLite's refusal to open or write `path` whose cause is its folder, as one line; else undefined. */
export function folderFailure(path: string, e: unknown): DatabaseOpenError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  // Extended codes too: a write in such a folder answers SQLITE_READONLY_DIRECTORY.
  if (typeof code !== 'string' || !(code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY'))) return undefined;
  const folder = folderProblem(path);
  return folder === undefined ? undefined : new DatabaseOpenError(path, folder, { cause: e });
}

/** Turns SQLite's answer to a broken file (or an unwritable folder) into one line with the path; other errors pass. */
export function openFailure(path: string, e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  const folder = folderFailure(path, e);
  if (folder !== undefined) return folder;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new DatabaseOpenError(path, `is damaged or not a database (${code})`, { cause: e });
  if (code === 'SQLITE_CANTOPEN')
    return new DatabaseOpenError(path, 'cannot be opened (SQLITE_CANTOPEN: check the folder exists and is writable)', { cause: e });
  if (code === 'SQLITE_READONLY') return new DatabaseOpenError(path, 'is read-only (SQLITE_READONLY)', { cause: e });
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'EROFS' || code === 'ENOENT') {
    // The folder named absolute: `database data/goldratio.db … cannot create its folder (EACCES)` left
    // an operator to guess the directory it was started in.
    const why =
      code === 'EACCES' || code === 'EPERM' ? ': its parent folder is not writable by this process' : code === 'EROFS' ? ': a read-only file system' : '';
    return new DatabaseOpenError(path, `cannot create its folder ${resolve(dirname(path))} (${code}${why})`, { cause: e });
  }
  return e;
}

/**
 * Opens the database for a command that only reads it. Nothing is created or changed on disk: a
 * missing file reads as an empty database, and a file no writer has open (no -wal beside it) is
 * read into memory, so not even -wal/-shm files appear beside it. With a live writer (the bot
 * running), a read-only connection shares its WAL.
 */
export function openDatabaseReadOnly(path: string, migrations: readonly Migration[] = MIGRATIONS, busyTimeoutMs = BUSY_TIMEOUT_MS): Db {
  const problem = fileProblem(path, 'read');
  if (problem !== undefined) throw new DatabaseOpenError(path, problem);
  try {
    let db: Db;
    if (!existsSync(path) || statSync(path).size === 0) {
      db = new Database(':memory:');
    } else if (existsSync(`${path}-wal`)) {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      const known = latestVersion(migrations);
      const current = schemaVersion(db);
      if (current > known) throw new DatabaseVersionError(path, current, known);
      if (current < known)
        throw new DatabaseOpenError(
          path,
          `schema version ${current} is older than this goldratio's ${known}, and the file is in use (a -wal file beside it: an older goldratio running on it, or one that stopped without closing it), so a reading command changes nothing: read it with the goldratio that wrote it, or upgrade it by starting this one (goldratio start migrates it at once)`,
        );
      return db;
    } else {
      const image = readFileSync(path);
      // A WAL-mode header (bytes 18-19 = 2) cannot be opened in memory; the copy says rollback journal.
      image[18] = 1;
      image[19] = 1;
      db = new Database(image);
    }
    try {
      migrate(db, path, migrations);
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  } catch (e) {
    throw openFailure(path, e);
  }
}

/**
 * Before the database file is written (by openDatabase, or by the instance lock beside it): a path
 * that cannot hold it is one DatabaseOpenError naming it, and a missing folder is created.
 */
export function prepareDatabasePath(path: string): void {
  const problem = fileProblem(path, 'write');
  if (problem !== undefined) throw new DatabaseOpenError(path, problem);
  try {
    makeDirs(dirname(path));
  } catch (e) {
    throw openFailure(path, e);
  }
}

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS, busyTimeoutMs = BUSY_TIMEOUT_MS): Db {
  if (path !== ':memory:') prepareDatabasePath(path);
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    throw openFailure(path, e);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    const upgrade = migrate(db, path, migrations);
    if (upgrade !== undefined) upgrades.set(db, upgrade);
    if (path !== ':memory:') rememberDatabaseFile(db, path);
  } catch (e) {
    db.close();
    throw openFailure(path, e);
  }
  return db;
}

/** What openDatabase migrated, by the handle it returned. */
const upgrades = new WeakMap<Db, SchemaUpgrade>();

/** The schema upgrade openDatabase made of `db`'s file, if it made one (start logs it: an operator upgrading sees the versions applied). */
export function upgradeAtOpen(db: Db): SchemaUpgrade | undefined {
  return upgrades.get(db);
}

export function schemaVersion(db: Db): number {
  return (db.pragma('user_version', { simple: true }) as number) ?? 0;
}

function migrate(db: Db, path: string, migrations: readonly Migration[]): SchemaUpgrade | undefined {
  const known = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > known) throw new DatabaseVersionError(path, current, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return undefined;
  // Kysely here only compiles the rewrites' statements (SQLite's placeholders); better-sqlite3 runs them.
  const compiler = new Kysely<unknown>({ dialect: new SqliteDialect({ database: db }) });
  for (const m of pending) {
    db.transaction(() => {
      for (const step of m.steps(DIALECTS.sqlite)) {
        if (typeof step === 'string') {
          db.exec(step);
          continue;
        }
        for (const row of db.prepare(step.select).all()) {
          const q = step.each(row).compile(compiler);
          db.prepare(q.sql).run(...q.parameters);
        }
      }
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from: current, to: pending.at(-1)!.version, applied: pending.map(({ version, name }) => ({ version, name })) };
}
