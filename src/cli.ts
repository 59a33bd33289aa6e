/** The `goldratio` command: parses the subcommand, answers help, --version and typos itself, and runs the rest (cli/run.ts). */
import type { CliIo } from './cli/run.ts';
import { COMMANDS } from './cli/registry.ts';
import { cut } from './cli/cut.ts';
import { nearestName } from './domain/nearest.ts';
import { DATES_D, DATES_SPAN, datesLegend, subcommandHelpText, subcommandsOf, type CommandSpec } from './cli/specs.ts';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** For bin/goldratio.js, which loads this module (or its bundle) alone. */
export { exitWhenWritten } from './exit-when-written.ts';
export type { CliIo } from './cli/run.ts';

function helpText(commands: readonly CommandSpec[]): string {
  return [
    "goldratio: the US stock market priced in gold (SPX/Gold, QQQ/Gold) against the essay's levels.",
    '',
    'Usage: goldratio <command> [options]',
    '',
    ...commands.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    '',
    DATES_D,
    DATES_SPAN,
    '',
    'Configuration comes from environment variables or a .env file (see .env.example).',
    'goldratio help <command> (or <command> --help) shows one command; goldratio --version, the version.',
  ].join('\n');
}

/**
 * This goldratio's version: from the package.json above this file, found by walking up (from src/,
 * or from the bin's bundle under node_modules/.cache).
 */
export function packageVersion(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'goldratio') return pkg.version;
      } catch {}
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Runs one `goldratio` command and returns its exit code. Tests call it in-process with their own
 * env and output streams; bin/goldratio.js calls it with the process's.
 */
export async function main(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const [name, ...rest] = argv;
  const asksHelp = name === 'help' || name === '--help' || name === '-h';
  const asksVersion = name === '--version' || name === '-V' || name === 'version';
  // These take nothing more (help: one command): an extra word is refused, not silently ignored.
  if (asksVersion && rest.length === 1 && (rest[0] === '--help' || rest[0] === '-h')) {
    stdout.write("Usage: goldratio --version (or -V, or version)\nPrint goldratio's version\n");
    return 0;
  }
  // `help webhook add`, as git's help takes a subcommand: one word more after a command that has it.
  const asked = asksHelp ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
  const sub = asked !== undefined && rest[1] !== undefined && subcommandsOf(asked).includes(rest[1]) ? rest[1] : undefined;
  const helpWords = sub !== undefined ? 2 : 1;
  const extra = asksVersion ? rest[0] : asksHelp ? rest[helpWords] : undefined;
  if (extra !== undefined) {
    stderr.write(
      `goldratio: unexpected argument "${cut(extra)}" after ${argv
        .slice(0, asksHelp ? helpWords + 1 : 1)
        .map((w) => cut(w))
        .join(' ')}\n`,
    );
    return 2;
  }
  // `goldratio help power` (or --help power) is `goldratio power --help`.
  if (asksHelp && rest[0] !== undefined && !rest[0].startsWith('-')) return main([rest[0], ...(sub !== undefined ? [sub] : []), '--help'], io);
  // Asked for, the help is the answer (stdout, exit 0); no command at all is a usage error like an
  // unknown command (stderr, exit 2): a script that forgot its command fails, with nothing on stdout.
  if (asksHelp) {
    stdout.write(`${helpText(COMMANDS)}\n`);
    return 0;
  }
  if (name === undefined) {
    stderr.write(`${helpText(COMMANDS)}\n`);
    return 2;
  }
  if (asksVersion) {
    stdout.write(`goldratio ${packageVersion() ?? '(version unknown)'}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    // An option where the command goes (--verison, -v): the top-level option it most likely meant.
    const option = name.startsWith('-');
    // Or the command's own option put before it (goldratio --json status): the order that works.
    const commandNames = new Set(COMMANDS.map((c) => c.name));
    const at = option ? argv.findIndex((w) => commandNames.has(w)) : -1;
    if (at > 0) {
      const reordered = [...argv.slice(at), ...argv.slice(0, at)].map((w) => cut(w));
      stderr.write(`goldratio: options go after the command: goldratio ${reordered.join(' ')}\n`);
      return 2;
    }
    const near = option
      ? nearestName(name.replace(/^-+/, ''), ['version', 'help'], { v: 'version' })
      : nearestName(
          name,
          COMMANDS.map((c) => c.name),
        );
    const meant = near === undefined ? '' : `Did you mean ${option ? `--${near}` : near}? `;
    stderr.write(`goldratio: unknown ${option ? 'option' : 'command'} "${cut(name)}". ${meant}Try: goldratio help\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    // `webhook add --help`: that subcommand's own help, not the whole command's.
    const subAsked = rest.find((w) => !w.startsWith('-'));
    const own = subAsked === undefined ? undefined : subcommandHelpText(entry, subAsked);
    if (own !== undefined) {
      stdout.write(own);
      return 0;
    }
    const subs = subcommandsOf(entry);
    if (subs.length > 0) {
      stdout.write(
        `Usage: goldratio ${entry.usage.split(' | ').join('\n       goldratio ')}\n${entry.summary}\nOne subcommand's options and an example: goldratio help ${entry.name} <${subs.join('|')}>\n`,
      );
      return 0;
    }
    stdout.write(
      `Usage: goldratio ${entry.usage}\n${entry.summary}\n${datesLegend(entry.usage)
        .map((l) => `${l}\n`)
        .join('')}`,
    );
    return 0;
  }

  // The command runs: its configuration, database and failures are cli/run.ts's, loaded only now.
  const { runCommand } = await import('./cli/run.ts');
  return runCommand(entry, name, rest, io, env);
}
