/**
 * A `goldratio` command run for real: its configuration, logger, database and the last resort that
 * turns whatever escaped it into one line. Loaded by cli.ts only once a command is named and asked
 * to run, so `--help`, `--version` and a typo load no database driver, no Kysely, no catalogue.
 */
import { ConfigError, DATABASE_FILE, databaseVariable, loadConfig, misspeltVariables, secretValues, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import {
  DRIVER_ADVICE,
  DatabaseOpenError,
  DatabaseVersionError,
  SqliteDriverError,
  folderFailure,
  openDatabase,
  openDatabaseReadOnly,
  type Db,
} from '../store/db.ts';
import { PostgresOpenError, PostgresTimeoutError, PostgresWaitError, TargetNotEmptyError } from '../store/errors.ts';
import { onPostgres, onSqlite } from '../store/engine.ts';
import { describePostgresUrl, openPostgres, type PgStore } from '../store/postgres.ts';
import { removedGoldLine, takeRemovedGold } from '../store/removed-closes.ts';
import { databaseUse, IoFailure, UserError, type CliContext } from './command.ts';
import type { CommandEntry } from './registry.ts';
import { InstanceLockedError } from '../store/instance-lock.ts';
import { OpsListenError } from '../ops/server.ts';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The service: under JSON logs (LOG_FORMAT=json, or auto off a terminal) its refusal to start is a
 * log line like the rest of its stderr, which a collector reads as one stream of JSON (systemd's
 * journal and `docker logs` show that line; its msg is the one-line reason). Every other
 * command, backfill and import included, ends a failure with the one plain line a person reads,
 * on a terminal or piped to a file alike (`goldratio import: cannot read …`), its exit code the same:
 * an operator running an import into a file read a JSON record there instead; their progress,
 * being log lines, stays JSON off a terminal. A backfill whose sources failed (its report's FAILED
 * lines on stdout) also leaves a "backfill failed" record there (ctx.record).
 */
const FAILS_IN_LOG: ReadonlySet<string> = new Set(['start']);

/** Where a run of the command reads its environment and writes its output; the process's own by default. */
export interface CliIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
  /** The clock (ms since epoch); Date.now by default. Tests pass a fixed instant. */
  readonly now?: () => number;
  /** The working folder relative paths start from; process.cwd() by default. */
  readonly cwd?: string;
  /**
   * Called once the command has returned when it left work running that must not keep the process
   * (start's stop past STOP_TIMEOUT_SECONDS): bin/goldratio.js then exits with the code at once.
   * Tests in-process leave it out: their process goes on.
   */
  readonly leave?: () => void;
}

/**
 * DATA_DIR names a folder with no database while data/goldratio.db holds one: the default
 * DATA_DIR's, or an older goldratio's (which kept it there whatever DATA_DIR said). Opening (or
 * creating) an empty one in DATA_DIR would look like every subscription lost, so the command stops
 * and says how to keep that one, or how to start an empty one on purpose. Nothing to say when
 * DATABASE_PATH is set, the file is there, or there is none.
 */
export function movedDatabase(config: Pick<Config, 'databasePath' | 'databasePathSet'>, cwd: string): string | undefined {
  if (config.databasePathSet) return undefined;
  const now = resolve(cwd, config.databasePath);
  const before = resolve(cwd, 'data', DATABASE_FILE);
  if (now === before || existsSync(now) || !existsSync(before)) return undefined;
  return (
    `DATA_DIR has no database at ${config.databasePath}, but ${before} holds one (the default DATA_DIR's, or an older goldratio's): ` +
    `to keep it, stop goldratio and move that file (with its -wal file if there is one) to ${now}, or set DATABASE_PATH=${before}; ` +
    `to start an empty one in DATA_DIR, set DATABASE_PATH=${now}`
  );
}

/** Runs `entry` (named `name` on the command line) with its arguments `rest` and the environment `env` (cli.ts reads it); its exit code. */
export async function runCommand(
  entry: CommandEntry,
  name: string,
  rest: readonly string[],
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  let db: Db | undefined;
  let pg: Promise<PgStore> | undefined;
  let databasePath: string | undefined;
  let databaseVar: 'DATABASE_PATH' | 'DATA_DIR' = 'DATABASE_PATH';
  /** DATABASE_URL's server, without the password, once the configuration is read: named if it goes away mid-command. */
  let pgWhere: string | undefined;
  let debug = /^debug$/i.test(env.LOG_LEVEL?.trim() ?? '');
  // Set when start's stderr is a stream of JSON log lines: its failure there is one more of them, at
  // error whatever LOG_LEVEL says: it is the answer, not chatter.
  let failureLog: Logger | undefined;
  const abort = new AbortController();
  let leaving = false;
  // The reason is the signal's name: a command that stops says which one (import exits 130 or 143).
  const onSignal = (signal: NodeJS.Signals) => abort.abort(signal);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // The logger (pino) only for a command that runs: help, a typo and --version answer without it.
  const { createLogger, writesJson } = await import('../log.ts');
  // A configuration start refuses is its answer too: under JSON logs a JSON line, by LOG_FORMAT as
  // the environment gives it (the configuration it would be read from is what failed).
  if (FAILS_IN_LOG.has(name)) {
    const given = env.LOG_FORMAT?.trim().toLowerCase();
    const format = given === 'json' || given === 'pretty' ? given : 'auto';
    if (writesJson(format)) failureLog = createLogger('warn', { format, sink: (l: string) => stderr.write(l.endsWith('\n') ? l : `${l}\n`) });
  }
  try {
    const config = loadConfig(env);
    databasePath = config.databasePath;
    databaseVar = databaseVariable(config);
    debug = config.logLevel === 'debug';
    const logOptions = {
      format: config.logFormat,
      secrets: secretValues(config),
      sink: (l: string) => stderr.write(l.endsWith('\n') ? l : `${l}\n`),
    };
    const log = createLogger(config.logLevel, logOptions);
    for (const said of misspeltVariables(env)) log.warn(said);
    // `start` is a service: what it writes on stderr is its log, read by a collector when it is JSON
    // (LOG_FORMAT=json, or auto off a terminal). Its refusal (another goldratio on the file, HTTP_PORT
    // taken) is then a log line too.
    const record = writesJson(config.logFormat) ? createLogger('warn', logOptions) : undefined;
    failureLog = FAILS_IN_LOG.has(name) ? record : undefined;
    const command = await entry.load();
    const url = config.databaseUrl;
    pgWhere = url === undefined ? undefined : describePostgresUrl(url);
    // Every command reads or writes the database (start opens its own): none runs on a new empty one by mistake.
    const moved = url === undefined ? movedDatabase(config, io.cwd ?? process.cwd()) : undefined;
    if (moved !== undefined) throw new UserError(moved);
    let toldRemoved = false;
    const reads = databaseUse(command, rest) === 'read';
    const openDb = () => {
      if (db !== undefined) return db;
      db = reads
        ? openDatabaseReadOnly(config.databasePath, undefined, config.databaseBusyTimeoutMs)
        : openDatabase(config.databasePath, undefined, config.databaseBusyTimeoutMs);
      // This Node's driver left out (installed on Node 20, run on 24): what to run, once.
      if (DRIVER_ADVICE !== undefined) log.warn(DRIVER_ADVICE);
      return db;
    };
    const ctx: CliContext = {
      config,
      log,
      db: openDb,
      // copy-data reads SQLite (db()) and writes the PostgreSQL of its --to: only the others' store follows DATABASE_URL.
      store: async () => {
        const store =
          url === undefined
            ? onSqlite(openDb())
            : onPostgres(
                await (pg ??= openPostgres(url, {
                  what: 'DATABASE_URL',
                  max: 2,
                  readOnly: reads,
                  newerToo: reads && command.readsNewerSchema === true,
                  queryTimeoutMs: config.databaseQueryTimeoutMs,
                  serverKeepalive: config.databaseServerKeepalive,
                })),
              );
        // A writing command may be the first to open an upgraded database: what its migration removed (019) is said here once.
        if (!reads && !toldRemoved) {
          toldRemoved = true;
          // Best effort: a database busy or gone now keeps its notes for the next command or start.
          const removed = removedGoldLine(await takeRemovedGold(store).catch(() => []));
          if (removed !== undefined) log.warn(removed);
        }
        return store;
      },
      where: url === undefined ? config.databasePath : (describePostgresUrl(url) ?? 'DATABASE_URL'),
      out: (text) => stdout.write(line(text)),
      err: (text) => stderr.write(line(text)),
      ...(record !== undefined ? { record } : {}),
      signal: abort.signal,
      now: io.now ?? Date.now,
      leave: () => {
        leaving = true;
      },
    };
    return await command.run(rest, ctx);
  } catch (e) {
    const failure = pgWhere !== undefined && connectionLost(e) ? lostFailure(e, pgWhere) : describeFailure(e, databasePath, databaseVar);
    if (failure === 'quiet') return 0;
    if (failureLog !== undefined) {
      const stack = debug && failure.code === 1 && e instanceof Error ? e.stack : undefined;
      // A log line is one line: the configuration's list goes in a field, any other line break becomes "; ".
      const msg = e instanceof ConfigError ? e.oneLine : failure.message.replace(/\s*\n\s*/g, '; ');
      failureLog.error(msg, {
        command: name,
        exitCode: failure.code,
        ...(e instanceof ConfigError ? { problems: e.problems } : {}),
        ...(stack !== undefined ? { stack } : {}),
      });
      return failure.code;
    }
    stderr.write(`goldratio ${name}: ${failure.message}\n`);
    if (debug && failure.code === 1 && e instanceof Error && e.stack) stderr.write(`${e.stack}\n`);
    return failure.code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    try {
      db?.close();
      await (await pg?.catch(() => undefined))?.close();
    } catch {
      // Closing after a failure must not hide the failure.
    }
    if (leaving) io.leave?.();
  }
}

/**
 * The last resort: whatever escaped a command becomes one line. A user's mistake (argument,
 * config, DATABASE_PATH) exits 2; anything else (IO, SQLite, a platform) exits 1, with its stack
 * only under LOG_LEVEL=debug. A closed stdout (`| head -1`) ends the run quietly. A database file
 * is named with the variable that placed it (`variable`: DATA_DIR when DATABASE_PATH is not set).
 */
export function describeFailure(
  e: unknown,
  databasePath: string | undefined,
  variable: 'DATABASE_PATH' | 'DATA_DIR' = 'DATABASE_PATH',
): { code: 1 | 2; message: string } | 'quiet' {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'EPIPE') return 'quiet';
  if (e instanceof DatabaseOpenError) return { code: 2, message: `database ${e.path} (${variable}): ${e.problem}` };
  if (
    e instanceof UserError ||
    e instanceof ConfigError ||
    isParseArgsError(e) ||
    e instanceof DatabaseOpenError ||
    e instanceof DatabaseVersionError ||
    // The operator's setup, which no retry fixes: another goldratio on the file, HTTP_PORT taken.
    e instanceof InstanceLockedError ||
    e instanceof OpsListenError
  ) {
    return { code: 2, message: err.message };
  }
  // A server that went silent under a command: the line names it and the deadline; a retry later may find it back.
  if (e instanceof SqliteDriverError || e instanceof IoFailure || e instanceof PostgresWaitError || e instanceof PostgresTimeoutError)
    return { code: 1, message: err.message };
  if (e instanceof PostgresOpenError || e instanceof TargetNotEmptyError) {
    return { code: 2, message: err.message };
  }
  const first = (err.message.split('\n')[0] ?? '').slice(0, 300) || err.name;
  if (err.name === 'SqliteError') {
    // A write refused after the open (import's first write in a folder it may not write): the setup, exit 2.
    const setup = databasePath === undefined ? undefined : folderFailure(databasePath, e);
    if (setup !== undefined) return { code: 2, message: `database ${setup.path} (${variable}): ${setup.problem}` };
    // SQLite's "database or disk is full" is the disk, not a database grown too big (goldratio sets no limit on it).
    if (code === 'SQLITE_FULL')
      return {
        code: 1,
        message: `database ${databasePath ?? '?'}: the disk it is on is full (SQLITE_FULL): free some space there, then run the command again`,
      };
    return { code: 1, message: `database ${databasePath ?? '?'}: ${first} (${String(code)})` };
  }
  if (typeof code === 'string') return { code: 1, message: `${first}${first.includes(code) ? '' : ` (${code})`}` };
  return { code: 1, message: `unexpected ${err.name}: ${first} (LOG_LEVEL=debug shows where)` };
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/**
 * A PostgreSQL connection that ended under a command (the server restarted, the network cut): the
 * driver's own words carry no SQLSTATE and no server's name.
 */
function connectionLost(e: unknown): boolean {
  // At the open it is said already, with what to check (store/postgres.ts).
  if (e instanceof PostgresOpenError) return false;
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as Error | null)?.message ?? '';
  if (typeof code === 'string') return code === 'ECONNRESET' || code === 'EPIPE' || code.startsWith('08') || code === '57P01';
  return /Connection terminated|connection error and is not queryable|Client was closed/i.test(message);
}

function lostFailure(e: unknown, where: string): { code: 1; message: string } {
  const first = (((e as Error | null)?.message ?? String(e)).split('\n')[0] ?? '').slice(0, 300);
  return {
    code: 1,
    message: `the connection to PostgreSQL at ${where} (DATABASE_URL) was lost: ${first}; what was not committed was not kept: run it again once the server answers`,
  };
}
