/** The `goldratio` command: parses the subcommand, builds the context, turns failures into one line. */
import { ConfigError, loadConfig, secretValues } from './config.ts';
import { createLogger } from './log.ts';
import { openDatabase, type Db } from './store/db.ts';
import { UserError, type CliContext, type Command } from './cli/command.ts';
import { COMMANDS } from './cli/registry.ts';

function helpText(commands: readonly Command[]): string {
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

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText(COMMANDS)}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    process.stderr.write(`goldratio: unknown command "${name}". Try: goldratio help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: goldratio ${command.usage}\n${command.summary}\n`);
    return 0;
  }

  let db: Db | undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const config = loadConfig(env);
    const log = createLogger(config.logLevel, { format: config.logFormat, secrets: secretValues(config) });
    const ctx: CliContext = {
      config,
      log,
      db: () => (db ??= openDatabase(config.databasePath)),
      out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
      signal: abort.signal,
    };
    return await command.run(rest, ctx);
  } catch (e) {
    if (e instanceof UserError || e instanceof ConfigError || isParseArgsError(e) || isKnownIoError(e)) {
      process.stderr.write(`goldratio ${name}: ${(e as Error).message}\n`);
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

