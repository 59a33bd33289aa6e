/**
 * A SQLite database file deleted from its folder while a process still has it open (Linux keeps the
 * file while it is open: /proc/<pid>/fd reads `<path> (deleted)`). `status` says so, in the words
 * /readyz uses for the running bot (file-identity.ts), where it said "(not created yet)" of a file
 * the bot still writes to. Elsewhere than Linux (no /proc) nobody is found, and it says that.
 */
import { resolve } from 'node:path';
import { lockHolderPid, realFile } from './instance-lock.ts';
import { processesHolding } from './restore.ts';

/** The processes (but this one) holding `databasePath` open though it was deleted; whether each is the goldratio of its lock. */
export function holdersOfDeleted(databasePath: string): { readonly pid: number; readonly goldratio: boolean }[] {
  // Its folder may be gone too (a mistyped path; a data folder removed while the bot runs): the path as given, made absolute.
  let real: string;
  try {
    real = realFile(databasePath);
  } catch {
    real = resolve(databasePath);
  }
  const pids = processesHolding(real, [`${real} (deleted)`]);
  if (pids.length === 0) return [];
  let running: number | undefined;
  try {
    running = lockHolderPid(databasePath);
  } catch {
    running = undefined;
  }
  return pids.map((pid) => ({ pid, goldratio: pid === running }));
}

/** `status`'s words after the path: the file gone from its folder, who holds it, and what to do; undefined when nobody holds it. */
export function deletedButOpen(databasePath: string): string | undefined {
  const holders = holdersOfDeleted(databasePath);
  if (holders.length === 0) return undefined;
  const bot = holders.find((h) => h.goldratio);
  const who =
    bot !== undefined ? `a running goldratio (pid ${bot.pid})` : `a process (pid ${holders.map((h) => h.pid).join(', ')}: an import, a sqlite3 shell?)`;
  return `was deleted from its folder while ${who} still has it open: restore it from a backup and restart goldratio; a restart without it starts a new, empty database (no subscriptions)`;
}
