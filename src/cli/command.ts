/** The shape of one `goldratio` subcommand and the context it runs in. */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { databaseVariable, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Db } from '../store/db.ts';
import { onSqlite, type StoreDb } from '../store/engine.ts';
import type { CommandSpec } from './specs.ts';
import type { QuoteStore } from '../store/quotes.ts';

export interface CliContext {
  readonly config: Config;
  readonly log: Logger;
  /** Opens the database on first use (so `--help` works without one). */
  db(): Db;
  /**
   * The store on either engine, opened on first use: PostgreSQL when DATABASE_URL is set, else
   * the SQLite database db() opens. Absent: SQLite (tests that hand a command their own database).
   */
  store?(): Promise<StoreDb>;
  /** Where the data is, for messages: DATABASE_PATH, or DATABASE_URL without its password. */
  readonly where?: string;
  /** Standard output (results); logs go to stderr. */
  out(text: string): void;
  /** Standard error, for diagnostics that are not log lines (e.g. the bad rows of an import). */
  err(text: string): void;
  /**
   * Under JSON logs (LOG_FORMAT=json, or auto off a terminal): a logger for a command's outcome as a
   * record a log collector reads (backfill's failed instruments), at error and warn whatever
   * LOG_LEVEL says; beside the plain lines, never instead of them. Absent otherwise.
   */
  readonly record?: Logger;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop when it fires. */
  readonly signal: AbortSignal;
  /** The clock for commands that judge "today" (Date.now when absent). */
  readonly now?: () => number;
  /**
   * The command leaves work running that must not keep the process alive (start's stop past
   * STOP_TIMEOUT_SECONDS: a query waiting on a silent database): the process exits once it returns.
   */
  readonly leave?: () => void;
}

export type DatabaseUse = 'read' | 'write';

/** How a command run with `args` uses the database. */
export const databaseUse = (command: Command, args: readonly string[]): DatabaseUse =>
  typeof command.database === 'function' ? command.database(args) : command.database;

export interface Command extends CommandSpec {
  /**
   * How the command uses the database: 'read' opens it read-only and creates nothing (a missing
   * file reads as empty); 'write' creates it and applies migrations. A command whose verbs differ
   * (webhook: list reads, add writes) says it from its arguments.
   */
  readonly database: DatabaseUse | ((args: readonly string[]) => DatabaseUse);
  /**
   * A reading command that has something to say of a PostgreSQL database a newer goldratio migrated
   * (a rolling upgrade): its store opens there instead of being refused, and the command reads only
   * what no migration changes (store/postgres.ts newerSchema). Unset: refused, as every reading command.
   */
  readonly readsNewerSchema?: boolean;
  /** Returns the exit code. Throws UserError for a clear one-line failure. */
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}

/** The command's store: ctx.store() where the CLI gives one, else the SQLite database of ctx.db(). */
export function storeOf(ctx: CliContext): Promise<StoreDb> {
  return ctx.store?.() ?? Promise.resolve(onSqlite(ctx.db()));
}

/** Where the command's data is, for messages. */
export function whereOf(ctx: CliContext): string {
  return ctx.where ?? ctx.config.databasePath;
}

/**
 * The one rule for a command with nothing to show (an empty database, a range with no data): one
 * line on stderr, exit 2, nothing on stdout (so `--json` output is valid JSON or nothing).
 */
export function noData(what: string, databasePath: string): UserError {
  return new UserError(`no data ${what} in ${databasePath}: run \`goldratio backfill\`, or load CSVs with \`goldratio import\``);
}

/**
 * `ratio` and `levels` with no ratio to show: noData's line when nothing is stored, else which of
 * the series a ratio divides is missing and the import that loads it (a newcomer following the
 * README's imports one at a time asks after the first: "no data" would say spx's went nowhere).
 */
export async function noRatioYet(quotes: Pick<QuoteStore, 'count'>, databasePath: string): Promise<UserError> {
  const ids = ['spx', 'qqq', 'gold'] as const;
  const counts = await Promise.all(ids.map((i) => quotes.count(i)));
  const missing = ids.filter((_, k) => counts[k] === 0);
  if (missing.length === ids.length || missing.length === 0) return noData('yet', databasePath);
  const stored = ids.filter((_, k) => counts[k]! > 0).map((i) => `${i} ${counts[ids.indexOf(i)]!.toLocaleString('en-US')}`);
  const imports = missing.map((i) => `\`goldratio import ${i} <file.csv>\``).join(' and ');
  return new UserError(
    `no ratio yet in ${databasePath}: no ${missing.join(' or ')} closes stored (${stored.join(', ')}): load them with ${imports}, or run \`goldratio backfill\``,
  );
}

/**
 * Nothing in the span asked for, while the database holds the series elsewhere: where it runs, not
 * "run backfill" (a backfill would fetch nothing: QQQ before 1999, a day after the last close).
 */
export function noDataInSpan(what: string, span: { from: string | undefined; to: string | undefined }, stored: readonly { date: string }[]): UserError {
  return new UserError(
    `no data${what === '' ? '' : ` ${what}`} from ${span.from ?? 'the start'} to ${span.to ?? 'today'}: the stored history runs from ${stored[0]!.date} to ${stored[stored.length - 1]!.date}`,
  );
}

/**
 * For the parts of a 'write' command that only read or change what is stored (`webhook list`,
 * `test`, `remove`): a DATABASE_PATH with no file is said in one line (exit 2) before anything opens
 * it, so nothing is created there. On PostgreSQL (DATABASE_URL) the database is the server's.
 */
export function requireDatabase(ctx: CliContext, consequence: string): void {
  const path = ctx.config.databasePath;
  if (ctx.config.databaseUrl !== undefined || path === ':memory:' || existsSync(path)) return;
  // DATA_DIR naming a file: no database can be made there, whatever one adds; say it as every command does.
  if (partIsFile(dirname(path))) throw new UserError(`database ${path} (${databaseVariable(ctx.config)}): a part of the path is a file, not a folder`);
  throw new UserError(`no database at ${path} (${databaseVariable(ctx.config)}), so ${consequence}`);
}

/** Whether `folder`, or a folder above it, is a file. */
function partIsFile(folder: string): boolean {
  try {
    return !statSync(folder).isDirectory();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR';
  }
}

/**
 * A failure of the machine's, not the user's (a full disk, a write the disk refused): printed as
 * one line like a UserError, but exit code 1, as the README's exit codes say of IO.
 */
export class IoFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IoFailure';
  }
}

/** A mistake of the user's (bad argument, missing file): printed as one line, exit code 2. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
