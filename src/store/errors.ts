/**
 * The PostgreSQL store's failures a user can act on, in a module with no driver behind it: the
 * CLI's last resort (src/cli.ts) recognises them without loading pg.
 */

/** The PostgreSQL named by a URL (DATABASE_URL, --to) cannot be used: one line, exit 2. */
export class PostgresOpenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PostgresOpenError';
  }
}

/** copy-data stopped by a signal (its reason, SIGINT or SIGTERM) before the commit: nothing was copied. */
export class CopyStoppedError extends Error {
  constructor(readonly signal: string) {
    super(`stopped by ${signal}`);
    this.name = 'CopyStoppedError';
  }
}

/** The target of a copy holds data already: refused, whatever it is (the copy never merges). */
export class TargetNotEmptyError extends Error {
  constructor(
    where: string,
    readonly tables: readonly { table: string; rows: number }[],
  ) {
    super(
      `${where} already holds data (${tables.map((t) => `${t.table}: ${t.rows} row${t.rows === 1 ? '' : 's'}`).join(', ')}); ` +
        'copy-data fills only an empty database: create a new one (createdb) and copy into it',
    );
    this.name = 'TargetNotEmptyError';
  }
}
