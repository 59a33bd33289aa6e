/**
 * The PostgreSQL store's failures a user can act on, in a module with no driver behind it: the
 * CLI's last resort (src/cli.ts) recognises them without loading pg.
 */

/**
 * The PostgreSQL named by a URL (DATABASE_URL, --to) cannot be used: one line, exit 2. `transient`:
 * the server did not answer (refused, unreachable, timed out, starting up or shutting down): a setup
 * that may be right, which `start` waits out (main.ts) instead of exiting.
 */
export class PostgresOpenError extends Error {
  readonly transient: boolean;
  constructor(message: string, options?: ErrorOptions & { readonly transient?: boolean }) {
    super(message, options);
    this.name = 'PostgresOpenError';
    this.transient = options?.transient ?? false;
  }
}

/**
 * A query on PostgreSQL got no answer within its deadline (DATABASE_QUERY_TIMEOUT_MS): the server's
 * network gone silent (a failover that moved its address, a partition), not a refusal of the
 * statement. Treated as the server unreachable (store/busy.ts isUnreachable); the connection it
 * waited on was closed, never handed to another query (store/pg-deadline.ts).
 */
export class PostgresTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresTimeoutError';
  }
}

/** `start` waited for an unreachable PostgreSQL and gave up: one line, exit 1 (a supervisor's restart may find it up). */
export class PostgresWaitError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PostgresWaitError';
  }
}

/** copy-data stopped by a signal (its reason, SIGINT or SIGTERM) before the commit: nothing was copied. */
export class CopyStoppedError extends Error {
  constructor(readonly signal: string) {
    super(`stopped by ${signal}`);
    this.name = 'CopyStoppedError';
  }
}

/**
 * copy-data failed after it began (the server gone mid-copy, a row it refused): `committed` says
 * whether the copy's transaction had committed (only its row counts then failed to be read back).
 */
export class CopyFailedError extends Error {
  constructor(
    readonly where: string,
    readonly committed: boolean,
    cause: unknown,
  ) {
    const why = ((cause as Error)?.message ?? String(cause)).split('\n')[0] ?? '';
    const code = (cause as { code?: unknown })?.code;
    super(typeof code === 'string' && !why.includes(code) ? `${why} (${code})` : why, { cause });
    this.name = 'CopyFailedError';
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
