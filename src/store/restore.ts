/**
 * Puts a backup in place of the SQLite database, so that nothing of the database it replaces can
 * reach it: the current file and its -wal/-shm/-journal are renamed aside together (a set SQLite
 * still opens as the old database, never deleted), and the backup, copied and checked beside the
 * target, is renamed in. A -wal left beside a restored file would be replayed onto it: a crashed
 * bot's last writes (an alert marked sent) over the backup's state.
 */
import {
  closeSync,
  constants,
  linkSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { waitingIn, integrityCheck } from './backup.ts';
import { Database } from './driver.ts';

/** The backup cannot be restored: said in one line by the command (exit 2). */
export class RestoreRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestoreRefusal';
  }
}

/**
 * The backup could not take the database's place (the rename over it, or moving its companions,
 * failed): everything moved was put back, the database is as it was. `code` is the system's.
 */
export class NotReplaced extends Error {
  readonly code: string | undefined;
  constructor(target: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const known = typeof code === 'string' ? code : undefined;
    super(`${target} could not be replaced (${known === undefined ? (cause as Error).message : `${known}${HINTS[known] ?? ''}`}); nothing was changed`, {
      cause,
    });
    this.name = 'NotReplaced';
    this.code = known;
  }
}

/** What a refused replace most likely means, said after its code. */
const HINTS: Record<string, string> = {
  EBUSY: ': it is a mount point, a file mounted on its own as a container volume of one file? mount its folder instead',
  EXDEV: ': it is on another file system than its folder, a file mounted on its own? mount its folder instead',
  EPERM: ': this process may not replace it; is it marked immutable (lsattr)?',
  EACCES: ': this process may not replace it',
};

/** What a backup holds, read from the copy about to be put in place. */
export interface BackupFacts {
  readonly schemaVersion: number;
  /** The latest daily close stored (any instrument), or undefined when it has none. */
  readonly lastClose: string | undefined;
  /** Alert messages waiting to be sent in it, those held for quiet hours among them (store/backup.ts). */
  readonly pending: number;
  readonly held: number;
}

export interface RestoreResult extends BackupFacts {
  /** Each file moved aside: from, to. Empty when no database was there. */
  readonly aside: readonly { readonly from: string; readonly to: string }[];
  /** The file the backup now is (the database path, symlinks resolved). */
  readonly target: string;
  /** The database was copied aside, not linked: its file system refused a second link to it (see restoreDatabase). */
  readonly copied: boolean;
}

/** The files SQLite keeps beside a database, moved with it. */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;
const SQLITE_HEADER = 'SQLite format 3\0';

/** `now` as a name part: 20261206T221500Z. */
export function restoreStamp(nowMs: number): string {
  return new Date(nowMs)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/** The database file a path names: symlinks resolved (a symlinked database is restored where it is), else the path. */
export function realTarget(databasePath: string): string {
  try {
    return realpathSync(databasePath);
  } catch {
    return databasePath;
  }
}

/**
 * Other processes of this user with the database (or its -wal) open, by pid: a reader or writer
 * that is not a goldratio `start` (an import, a sqlite3 shell). Read from /proc where there is one
 * (Linux); elsewhere, and for other users' processes, nothing is known and the instance lock alone decides.
 */
export function processesHolding(target: string, links: readonly string[] = [target, `${target}-wal`]): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return [];
  }
  const files = new Set(links);
  const found: number[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (files.has(link)) {
        found.push(Number(pid));
        break;
      }
    }
  }
  return found;
}

/** The first 100 bytes of a file, or fewer if it is shorter. */
function head(path: string): Buffer {
  const buf = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, buf, 0, 100, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks the copy at `partial` (of the backup `shown`) as the restore would use it: a SQLite file,
 * goldratio's, of a schema this code knows, intact. Leaves it one self-contained file.
 */
export function inspectBackup(partial: string, shown: string, knownVersion: number): BackupFacts {
  const h = head(partial);
  if (h.length < 100 || h.toString('latin1', 0, 16) !== SQLITE_HEADER) throw new RestoreRefusal(`${shown} is not a SQLite database (is it the right file?)`);
  let facts: BackupFacts;
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(partial, { fileMustExist: true });
  } catch (e) {
    throw new RestoreRefusal(`${shown} cannot be opened as a database (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  try {
    // A WAL-mode header (a backup copied by hand) asks for a -wal: the copy is one file, as `backup` writes it.
    db.pragma('journal_mode = DELETE');
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    if (version < 1 || !tables.has('schema_migrations'))
      throw new RestoreRefusal(`${shown} is a SQLite database but not a goldratio one (no schema version, no schema_migrations table)`);
    if (version > knownVersion)
      throw new RestoreRefusal(
        `${shown} was migrated by a newer goldratio (schema version ${version}; this version knows up to ${knownVersion}): restore it with that goldratio, or upgrade this one`,
      );
    const lastClose = tables.has('closes') ? ((db.prepare('SELECT max(date) AS d FROM closes').get() as { d: string | null }).d ?? undefined) : undefined;
    facts = { schemaVersion: version, lastClose, ...waitingIn(db) };
  } catch (e) {
    if (e instanceof RestoreRefusal) throw e;
    throw new RestoreRefusal(`${shown} cannot be read as a database (${(e as { code?: string }).code ?? (e as Error).message})`);
  } finally {
    db.close();
  }
  let check: string;
  try {
    check = integrityCheck(partial);
  } catch (e) {
    throw new RestoreRefusal(`${shown} failed its integrity check (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  if (check !== 'ok') throw new RestoreRefusal(`${shown} failed its integrity check: ${check.length > 300 ? `${check.slice(0, 300)}…` : check}`);
  return facts;
}

/** A name beside `target` nothing has: target.before-restore-<stamp>, or with -2, -3… when a restore in the same second took it. */
function asideName(target: string, stamp: string): string {
  for (let n = 1; ; n++) {
    const name = `${target}.before-restore-${stamp}${n === 1 ? '' : `-${n}`}`;
    if (![name, ...COMPANIONS.map((c) => name + c)].some((f) => existsSync(f))) return name;
  }
}

/**
 * Restores `backup` (shown to the user as `shown`) over the database at `target`. The caller holds
 * the instance lock and has made sure no other process has the file open.
 */
export function restoreDatabase(backup: string, shown: string, target: string, knownVersion: number, nowMs: number): RestoreResult {
  const partial = join(dirname(target), `.${basename(target)}.restore-${process.pid}`);
  const clean = () => {
    for (const f of [partial, ...COMPANIONS.map((c) => partial + c)]) rmSync(f, { force: true });
  };
  // Commits of a database in use (or crashed) may be only in its -wal: a copy of the file alone would lose them.
  if (nonEmpty(`${backup}-wal`))
    throw new RestoreRefusal(
      `${shown} has a -wal beside it (a database in use, or one whose writer crashed), so the file alone may lack its last commits: restore a copy made with goldratio backup`,
    );
  clean();
  try {
    copyFileSync(backup, partial);
    const facts = inspectBackup(partial, shown, knownVersion);
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const aside: { from: string; to: string }[] = [];
    const present = ['', ...COMPANIONS].filter((c) => existsSync(target + c));
    const name = present.length === 0 ? undefined : asideName(target, restoreStamp(nowMs));
    // The database file keeps its name until the backup replaces it in one rename: a crash on the
    // way never leaves no file there (start would make a new, empty one). It gets its aside name
    // first, as a second link, or as a copy where the file system refuses the link (EPERM, EXDEV,
    // EMLINK: no hard links there, or the file at its link limit); then its companions move; then
    // the backup is renamed over it. A step that fails puts back what moved: the database is
    // left as it was, its -wal beside it (a -wal moved off and left would lose its commits).
    let copied = false;
    if (name !== undefined && present.includes('')) {
      try {
        linkSync(target, name);
      } catch {
        copyAside(target, name);
        copied = true;
      }
      aside.push({ from: target, to: name });
    }
    try {
      for (const c of present.filter((c) => c !== '')) {
        renameSync(target + c, name + c);
        aside.push({ from: target + c, to: name + c });
      }
      renameSync(partial, target);
    } catch (e) {
      for (const a of aside.toReversed()) {
        if (a.from === target) rmSync(a.to, { force: true });
        else renameSync(a.to, a.from);
      }
      throw new NotReplaced(target, e);
    }
    syncFolder(dirname(target));
    return { ...facts, aside, copied, target };
  } finally {
    clean();
  }
}

/** The database copied to its aside name, on disk before anything moves (a copy the kernel still holds would not survive a power cut). */
function copyAside(target: string, name: string): void {
  try {
    copyFileSync(target, name, constants.COPYFILE_EXCL);
    const fd = openSync(name, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(name, { force: true });
    throw e;
  }
}

/** The renames made durable (a power cut after the command said "restored" keeps them); best effort where a folder cannot be opened. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not every platform opens a folder for fsync; the renames stand, only their durability is the OS's.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a file is there with something in it. */
function nonEmpty(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** Whether `path` is an existing regular file (for the backup argument). */
export function fileKind(path: string): 'file' | 'folder' | 'missing' | 'other' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}
