/**
 * `goldratio restore <backup-file> [--json]`: the backup in place of the SQLite database, with the
 * database it replaces and its -wal/-shm moved aside (store/restore.ts), refused while anything
 * has the database open. Then what the restored database does at the next start.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { databaseVariable } from '../config.ts';
import { acquireInstanceLock, InstanceLockedError, type InstanceLock } from '../store/instance-lock.ts';
import { latestVersion, MIGRATIONS } from '../store/migrations/index.ts';
import { fileKind, NotReplaced, processesHolding, realTarget, RestoreRefusal, restoreDatabase, type RestoreResult } from '../store/restore.ts';
import { json, parseCli } from './args.ts';
import { liveFileAt, writeDenied } from './backup.ts';
import { IoFailure, UserError, type CliContext, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';

const USAGE = CLI_SPECS.restore.usage;

/** Failures of the disk while copying or renaming (full, an IO error): the machine's, exit 1. */
const DISK = ['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO'];

export const restoreCommand: Command = {
  ...CLI_SPECS.restore,
  // It writes the database file, but never opens it: the checks are its own (store/restore.ts).
  database: 'write',
  async run(args, ctx) {
    if (ctx.config.databaseUrl !== undefined)
      throw new UserError(
        'restore puts a SQLite backup in place of DATABASE_PATH; with DATABASE_URL the data is on PostgreSQL: restore a pg_dump with pg_restore (README, "Backups on PostgreSQL")',
      );
    const { values, positionals } = parseCli(args, { json: { type: 'boolean' } }, 1);
    const [file, ...extra] = positionals;
    if (file === undefined || file.trim() === '') throw new UserError(`missing backup file. Usage: goldratio ${USAGE}`);
    if (extra.length > 0) throw new UserError(`unexpected argument "${extra[0]}". Usage: goldratio ${USAGE}`);
    const path = ctx.config.databasePath;
    if (path === ':memory:') throw new UserError(`${databaseVariable(ctx.config)} is :memory:: there is no database file to restore into`);
    const backup = resolve(file);
    const kind = fileKind(backup);
    if (kind === 'missing') throw new UserError(`no file ${file} to restore`);
    if (kind === 'folder') throw new UserError(`${file} is a folder; give the backup file, e.g. ${file.replace(/\/+$/, '')}/goldratio-2026-01-31.db`);
    if (kind === 'other') throw new UserError(`${file} is not a regular file`);
    const live = liveFileAt(backup, path);
    if (live !== undefined) throw new UserError(`${file} is ${live} (${databaseVariable(ctx.config)} ${path}), not a backup of it`);
    // The backup is copied beside the database and renamed in; the lock file is made there too.
    const folder = dirname(realTarget(path));
    const denied = existsSync(folder) ? writeDenied(folder) : undefined;
    if (denied !== undefined) throw new UserError(`cannot restore ${file} to ${path}: folder ${folder} is not writable by this process (${denied})`);
    let lock: InstanceLock;
    try {
      // Held until the restore ends: a start meanwhile is refused as a second start is.
      lock = acquireInstanceLock(path, { anyFile: true });
    } catch (e) {
      if (!(e instanceof InstanceLockedError)) throw e;
      throw new UserError(`another goldratio (pid ${e.pid ?? '?'}) is running on ${path}: stop it first, then restore`);
    }
    try {
      const target = realTarget(path);
      const holders = processesHolding(target);
      if (holders.length > 0)
        throw new UserError(`${path} is open in another process (pid ${holders.join(', ')}: an import, a sqlite3 shell?): close it first, then restore`);
      let r: RestoreResult;
      try {
        r = restoreDatabase(backup, file, target, latestVersion(MIGRATIONS), (ctx.now ?? Date.now)());
      } catch (e) {
        if (e instanceof RestoreRefusal) throw new UserError(e.message);
        if (e instanceof NotReplaced && (e.code === undefined || !DISK.includes(e.code)))
          throw new UserError(`cannot restore ${file} to ${path}: ${e.message}`);
        const code = (e as { code?: unknown } | null)?.code;
        if (typeof code === 'string' && DISK.includes(code)) throw new IoFailure(`cannot restore ${file} to ${path}: ${(e as Error).message}`, { cause: e });
        if (typeof code === 'string' && ['EACCES', 'EPERM', 'EROFS'].includes(code))
          throw new UserError(`cannot restore ${file} to ${path}: ${(e as Error).message}`);
        throw e;
      }
      report(ctx, file, path, r, values.json === true);
      return 0;
    } finally {
      lock.release();
    }
  },
};

/** What was done, and what the restored database does at the next start. */
function report(ctx: CliContext, file: string, path: string, r: RestoreResult, asJson: boolean): void {
  const known = latestVersion(MIGRATIONS);
  const migrates = r.schemaVersion < known;
  if (asJson) {
    ctx.out(
      json({
        restored: file,
        database: path,
        movedAside: r.aside,
        copiedAside: r.copied,
        schemaVersion: r.schemaVersion,
        knownSchemaVersion: known,
        startMigrates: migrates,
        lastClose: r.lastClose ?? null,
        waiting: r.pending,
        heldForQuietHours: r.held,
      }),
    );
    return;
  }
  ctx.out(`restored ${file} to ${path} (integrity ok)`);
  if (r.aside.length === 0) ctx.out(`no database was at ${path}: nothing moved aside`);
  else ctx.out(`moved aside, not deleted: ${r.aside.map((a) => `${a.from} → ${a.to}`).join(', ')}`);
  if (r.copied) ctx.out(`${r.aside[0]?.to} is a copy: the file system refused a second link to the database, so it takes the database's room again`);
  ctx.out(
    migrates
      ? `schema version ${r.schemaVersion}: the next start migrates it to ${known}`
      : `schema version ${r.schemaVersion}, this goldratio's: the next start opens it as it is`,
  );
  ctx.out(
    r.lastClose === undefined ? 'last close: none stored (start backfills the history)' : `last close: ${r.lastClose} (start fetches what is missing since)`,
  );
  if (r.pending > 0) {
    const held = r.held === 0 ? '' : r.held === r.pending ? ' (held for quiet hours)' : ` (${r.held} held for quiet hours)`;
    const them = r.pending === 1 ? 'it' : 'them';
    ctx.out(
      `note: ${r.pending} alert message${r.pending === 1 ? ' was' : 's were'} waiting to be sent${held} in this backup; the next start sends ${them}${r.held > 0 ? ' (the held ones when those quiet hours end)' : ''}, even to chats that got ${them} since it was taken`,
    );
  } else ctx.out('no alert messages were waiting in this backup: the next start sends nothing again');
}
