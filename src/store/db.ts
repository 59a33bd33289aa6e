/**
 * Opens the one SQLite file: WAL, busy timeout, numbered migrations applied at start and recorded.
 * A database written by a newer goldratio is refused rather than silently misread.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export class DatabaseVersionError extends Error {
  constructor(path: string, found: number, known: number) {
    super(
      `database ${path} was written by a newer goldratio (schema version ${found}; this version knows up to ${known}). ` +
        'Upgrade goldratio, or point DATABASE_PATH at another file.',
    );
    this.name = 'DatabaseVersionError';
  }
}

export function openDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, path, migrations);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return (db.pragma('user_version', { simple: true }) as number) ?? 0;
}

function migrate(db: Db, path: string, migrations: readonly Migration[]): void {
  const known = migrations.length === 0 ? 0 : Math.max(...migrations.map((m) => m.version));
  const current = schemaVersion(db);
  if (current > known) throw new DatabaseVersionError(path, current, known);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      m.up?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
