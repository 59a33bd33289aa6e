/** The `goldratio` command: parses the subcommand, builds the context, turns failures into one line. */
import { ConfigError, loadConfig, secretValues } from './config.ts';
import { createLogger } from './log.ts';
import { openDatabase, type Db } from './store/db.ts';
import { UserError, type CliContext } from './cli/command.ts';
import { COMMANDS } from './cli/registry.ts';
import type { CommandSpec } from './cli/specs.ts';

/** Where a run of the command reads its environment and writes its output; the process's own by default. */
export interface CliIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdout?: { write(text: string): unknown };
  readonly stderr?: { write(text: string): unknown };
}

function helpText(commands: readonly CommandSpec[]): string {
  return [
    'goldratio: the US stock market priced in gold (SPX/Gold, QQQ/Gold) against the essay\'s levels.',
    '',
    'Usage: goldratio <command> [options]',
    '',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    'Configuration comes from environment variables or a .env file (see .env.example).',
    'goldratio <command> --help shows one command.',
  ].join('\n');
}

/**
 * Runs one `goldratio` command and returns its exit code. Tests call it in-process with their own
 * env and output streams; bin/goldratio.js calls it with the process's.
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    stdout.write(`${helpText(COMMANDS)}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    stderr.write(`goldratio: unknown command "${name}". Try: goldratio help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    stdout.write(`Usage: goldratio ${entry.usage}\n${entry.summary}\n`);
    return 0;
  }

  let db: Db | undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const config = loadConfig(env);
    const log = createLogger(config.logLevel, { format: config.logFormat, secrets: secretValues(config), sink: (l) => stderr.write(l.endsWith('\n') ? l : `${l}\n`) });
    const ctx: CliContext = {
      config,
      log,
      db: () => (db ??= openDatabase(config.databasePath)),
      out: (text) => stdout.write(line(text)),
      err: (text) => stderr.write(line(text)),
      signal: abort.signal,
    };
    const command = await entry.load();
    return await command.run(rest, ctx);
  } catch (e) {
    if (e instanceof UserError || e instanceof ConfigError || isParseArgsError(e) || isKnownIoError(e)) {
      stderr.write(`goldratio ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    db?.close();
  }
}

function isParseArgsError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function isKnownIoError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'DatabaseVersionError' || (e as { code?: string }).code === 'SQLITE_CANTOPEN');
}

