/**
 * `goldratio copy-data --to postgres://…`: how an operator moves up from SQLite to PostgreSQL
 * without losing subscribers or alert history. The target must be empty (a copy never merges);
 * every table's row count is compared at the end, and any difference fails the command. The meta
 * rows of one process (a refused-token note, a scan's claim: store/per-process-meta.ts) are not
 * copied, and the summary says which.
 */
import { databaseVariable } from '../config.ts';
import { existsSync } from 'node:fs';
import { UserError, type CliContext, type Command } from './command.ts';
import { parseCli } from './args.ts';
import { postgresUrlProblem } from '../domain/postgres-url.ts';
import { CLI_SPECS } from './specs.ts';
import { foreignTables, openPostgres, someTables } from '../store/postgres.ts';
import { copyToPostgres, type TableCount } from '../store/copy.ts';
import { CopyFailedError, CopyStoppedError } from '../store/errors.ts';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from '../store/instance-lock.ts';

const USAGE = CLI_SPECS['copy-data'].usage;

export const copyDataCommand: Command = {
  ...CLI_SPECS['copy-data'],
  // The source is only read, but never under a running bot: what the bot wrote after the copy's
  // snapshot would be lost at the switch to DATABASE_URL. start's instance lock, taken here too.
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { to: { type: 'string' } });
    const to = values.to?.trim();
    if (to === undefined || to === '') throw new UserError(`missing --to. Usage: goldratio ${USAGE}`);
    const urlProblem = postgresUrlProblem(to);
    if (urlProblem !== undefined) throw new UserError(`--to: ${urlProblem}. Usage: goldratio ${USAGE}`);
    if (ctx.config.databaseUrl !== undefined)
      throw new UserError(
        'copies only from SQLite (DATABASE_PATH) into PostgreSQL, and DATABASE_URL is set: run it with DATABASE_PATH=<the .db file> and without DATABASE_URL (there is no copy from PostgreSQL back to SQLite)',
      );
    const path = ctx.config.databasePath;
    if (!existsSync(path)) throw new UserError(`no database at ${path} (${databaseVariable(ctx.config)}) to copy`);
    let lock: InstanceLock;
    try {
      // Held until the copy ends: a start meanwhile is refused as a second start is.
      lock = acquireInstanceLock(path);
    } catch (e) {
      if (!(e instanceof InstanceLockedError)) throw e;
      throw new UserError(
        `another goldratio (pid ${e.pid ?? '?'}) is running on ${path}: stop it first, then copy-data (what it writes after the copy would be lost)`,
      );
    }
    try {
      return await copy(ctx, path, to);
    } finally {
      lock.release();
    }
  },
};

/** The copy itself, under the lock. */
async function copy(ctx: CliContext, path: string, to: string): Promise<number> {
  const source = ctx.db();
  const target = await openPostgres(to, {
    what: '--to',
    max: 2,
    // The copy's own transaction is long work (pg-deadline.ts); the checks before it are not.
    queryTimeoutMs: ctx.config.databaseQueryTimeoutMs,
    serverKeepalive: ctx.config.databaseServerKeepalive,
    // Before the migrations make goldratio's tables among another application's.
    beforeMigrate: async (db, where) => {
      const foreign = await foreignTables(db);
      if (foreign.length > 0)
        throw new UserError(
          `${where} holds tables that are not goldratio's (${someTables(foreign)}): ` +
            'copy-data fills only an empty database: create a new one (createdb) and copy into it',
        );
    },
  });
  try {
    let counts: TableCount[];
    try {
      counts = await copyToPostgres(source, target, (table, rows) => ctx.log.debug('table copied', { table, rows }), ctx.signal);
    } catch (e) {
      if (e instanceof CopyFailedError) {
        ctx.err(
          e.committed
            ? `goldratio copy-data: the copy into ${e.where} was committed, but its row counts could not be read back: ${e.message}; compare them with DATABASE_URL=… goldratio status`
            : `goldratio copy-data: the copy into ${e.where} failed: ${e.message}; it is one transaction, so nothing of it was kept: run copy-data again`,
        );
        return 1;
      }
      if (!(e instanceof CopyStoppedError)) throw e;
      // The copy is one transaction, rolled back: say so, and exit as shells expect of a signal.
      ctx.err(`goldratio copy-data: stopped by ${e.signal}: nothing was copied; ${target.where} is as empty as before, run copy-data again`);
      return e.signal === 'SIGTERM' ? 143 : 130;
    }
    const width = Math.max(...counts.map((c) => c.table.length));
    for (const c of counts) {
      const left = (c.skipped ?? []).reduce((n, s) => n + s.rows, 0);
      ctx.out(`${c.table.padEnd(width)}  ${c.source} -> ${c.target}${c.source === c.target ? '' : '  MISMATCH'}${left > 0 ? `  (${left} left out)` : ''}`);
    }
    const bad = counts.filter((c) => c.source !== c.target);
    if (bad.length > 0) {
      ctx.err(`copy-data: row counts differ in ${bad.map((c) => `${c.table} (${c.source} in ${path}, ${c.target} in ${target.where})`).join(', ')}`);
      return 1;
    }
    const total = counts.reduce((s, c) => s + c.source, 0);
    const left = counts.flatMap((c) => (c.skipped ?? []).map((s) => ({ ...s, table: c.table })));
    const skipped =
      left.length === 0
        ? ''
        : `; left out, as they are one process's on the SQLite file and mean nothing in PostgreSQL: ${left.map((s) => `${s.rows} ${s.table} row(s), ${s.what}`).join('; ')}`;
    ctx.out(`copied ${path} to ${target.where}: ${total} rows in ${counts.length} tables, every count matches${skipped}`);
    return 0;
  } finally {
    await target.close();
  }
}
