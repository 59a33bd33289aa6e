/** `goldratio backup <file> [--force]`: a consistent copy of the database, safe while the bot runs. */
import { databaseVariable } from '../config.ts';
import { accessSync, constants, existsSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { IoFailure, UserError, type Command } from './command.ts';
import { parseCli } from './args.ts';
import { BackupCheckError, backupDatabase, type BackupResult } from '../store/backup.ts';
import { CLI_SPECS } from './specs.ts';

const USAGE = 'backup <file> [--force]';

/**
 * What a failed copy to `file` is said as: where the user pointed it (a folder they may not write,
 * a read-only mount) one line and exit 2, theirs to fix; a write the disk refused (full, an IO
 * error) the same line and exit 1, the machine's; anything else (the live database unreadable, a
 * failed integrity check) as it is.
 */
export function backupFailure(e: unknown, file: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || e instanceof BackupCheckError) return e;
  const line = `cannot write ${file}: ${(e as Error).message}`;
  if (whereTheUserPointed(code)) return new UserError(line);
  if (diskRefusedWrite(code)) return new IoFailure(line, { cause: e });
  return e;
}

/** Write failures caused by where the user pointed the backup, not by the disk: no permission, a read-only mount, no such folder. */
const whereTheUserPointed = (code: string): boolean =>
  ['EACCES', 'EPERM', 'EROFS', 'ENOENT', 'ENOTDIR'].includes(code) || /^SQLITE_(?:CANTOPEN|READONLY|PERM|AUTH)/.test(code);
/** Write failures of the disk itself; a read of the live database failing (SQLITE_IOERR_READ, BUSY, CORRUPT) is not the copy's. */
const diskRefusedWrite = (code: string): boolean =>
  ['ENOSPC', 'EDQUOT', 'EFBIG', 'EIO', 'SQLITE_FULL'].includes(code) || (/^SQLITE_IOERR/.test(code) && !/READ$/.test(code));

/** The files SQLite keeps beside a database, by suffix: the log holds commits not yet in the file. */
const COMPANIONS: readonly (readonly [string, string])[] = [
  ['', 'the live database itself'],
  ['-wal', "the live database's write-ahead log"],
  ['-shm', "the live database's shared-memory index"],
  ['-journal', "the live database's rollback journal"],
];

/**
 * What of the live database `dest` is, if anything: the file itself or one of its companions, by
 * name or, when it exists, by identity (a symbolic or hard link to it). A backup written there is
 * no copy and may destroy the data it was meant to keep.
 */
export function liveFileAt(dest: string, databasePath: string): string | undefined {
  const statOf = (p: string): Stats | undefined => {
    try {
      return statSync(p);
    } catch {
      return undefined;
    }
  };
  const target = statOf(dest);
  for (const [suffix, what] of COMPANIONS) {
    const path = resolve(databasePath + suffix);
    if (dest === path) return what;
    const st = target === undefined ? undefined : statOf(path);
    if (st !== undefined && target !== undefined && st.dev === target.dev && st.ino === target.ino) return what;
  }
  return undefined;
}

/** The error code when this process may not create files in `dir` (EACCES, EPERM, EROFS), else undefined. */
export function writeDenied(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'EACCES';
  }
}

export const backupCommand: Command = {
  ...CLI_SPECS.backup,
  // Read-only: a backup never changes (nor creates) the database it copies.
  database: 'read',
  // Only to say, on PostgreSQL, what to use instead.
  async run(args, ctx) {
    // Said before anything else: no argument makes it work on PostgreSQL.
    if (ctx.config.databaseUrl !== undefined)
      throw new UserError(
        "backup copies the SQLite database (DATABASE_PATH); with DATABASE_URL the data is on PostgreSQL: use the server's own backups (pg_dump, or its base backups and WAL archiving)",
      );
    const { values, positionals } = parseCli(args, { force: { type: 'boolean' } }, 1);
    const [file, ...extra] = positionals;
    if (file === undefined || file.trim() === '') throw new UserError(`missing backup file. Usage: goldratio ${USAGE}`);
    if (extra.length > 0) throw new UserError(`unexpected argument "${extra[0]}". Usage: goldratio ${USAGE}`);
    const dest = resolve(file);
    const live = liveFileAt(dest, ctx.config.databasePath);
    if (live !== undefined) throw new UserError(`${file} is ${live} (${databaseVariable(ctx.config)} ${ctx.config.databasePath}); choose another file`);
    // resolve() drops a trailing slash: backup/ names a folder, never a file called backup.
    if (/[/\\]$/.test(file) && !existsSync(dest)) throw new UserError(`cannot write ${file}: folder ${file} does not exist (a name ending in / is a folder)`);
    const dir = dirname(dest);
    if (!existsSync(dir)) throw new UserError(`cannot write ${file}: folder ${dir} does not exist`);
    if (!statSync(dir).isDirectory()) throw new UserError(`cannot write ${file}: ${dir} is a file, not a folder`);
    if (existsSync(dest)) {
      if (statSync(dest).isDirectory()) throw new UserError(`${file} is a folder; give a file name, e.g. ${file.replace(/\/+$/, '')}/goldratio.db`);
      if (values.force !== true) throw new UserError(`${file} already exists; pass --force to replace it`);
    }
    if (!existsSync(ctx.config.databasePath)) throw new UserError(`no database at ${ctx.config.databasePath} (${databaseVariable(ctx.config)}) to back up`);
    // SQLite says only "unable to open database file": the folder is what the operator fixes.
    const denied = writeDenied(dir);
    if (denied !== undefined) throw new UserError(`cannot write ${file}: folder ${dir} is not writable by this process (${denied})`);
    let r: BackupResult;
    try {
      r = await backupDatabase(ctx.db(), dest);
    } catch (e) {
      throw backupFailure(e, file);
    }
    ctx.out(`backed up ${ctx.config.databasePath} to ${file} (${r.pages} pages, ${r.bytes} bytes, integrity ok)`);
    // A restore sends what was waiting when the copy was taken, even to chats that have had it since: say so now, not after the restore.
    // Rows held for quiet hours count: they go out when those hours end, and a restore sends them again.
    if (r.pending > 0) {
      const held = r.held === 0 ? '' : r.held === r.pending ? ` (held for quiet hours)` : ` (${r.held} held for quiet hours)`;
      ctx.out(
        `note: ${r.pending} alert message${r.pending === 1 ? ' was' : 's were'} waiting to be sent${held} when this copy was taken; a bot restored from it sends ${r.pending === 1 ? 'it' : 'them'} again, even to chats that got ${r.pending === 1 ? 'it' : 'them'} since`,
      );
    }
    return 0;
  },
};
