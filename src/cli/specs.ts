/**
 * What each `goldratio` subcommand is called and how it is used: data only, so `goldratio --help`
 * and the registry need not load a command's module (and grammY, canvas, sqlite behind it).
 */
export interface CommandSpec {
  readonly name: string;
  /** One line: `ratio [--json]`. */
  readonly usage: string;
  readonly summary: string;
}

import { CHART_RANGES } from '../domain/chart-request.ts';
import { LANGS } from '../domain/i18n/langs.ts';

const LANG_CHOICES = LANGS.join('|');

/** The subcommands a usage names (`webhook add … | webhook list …`: add, list), none for a command without. */
export function subcommandsOf(s: CommandSpec): readonly string[] {
  const forms = s.usage.split(' | ');
  return forms.length > 1 && forms.every((f) => f.startsWith(`${s.name} `)) ? forms.map((f) => f.split(' ')[1]!) : [];
}
const spec = <N extends string>(name: N, usage: string, summary: string) => ({ name, usage, summary }) as const;

/** One subcommand's own help (`goldratio help webhook add`, `goldratio webhook add --help`). */
export interface SubcommandHelp {
  readonly summary: string;
  /** `--flag value`, what it does. */
  readonly options: readonly (readonly [string, string])[];
  readonly example: string;
}

/** The subcommands' help, by command and subcommand: every subcommand subcommandsOf finds has one (tests/cli.test.ts). */
export const SUBCOMMAND_HELP: Readonly<Record<string, Readonly<Record<string, SubcommandHelp>>>> = {
  webhook: {
    add: {
      summary: 'Register an https address: every alert and digest is POSTed to it; prints its id and, for json, its signing secret once',
      options: [
        [
          '--format json|slack|slack-workflow|discord',
          "the body sent; without it, read from the address (Slack, Slack workflow, Discord), else goldratio's own json",
        ],
        [`--lang ${LANG_CHOICES}`, 'the language of the messages (default: DEFAULT_LANG)'],
      ],
      example: 'goldratio webhook add https://example.com/goldratio --lang zh-TW',
    },
    list: {
      summary: 'The registered hooks: id, address (its secret parts shortened), format, language, and what is waiting, retried or refused',
      options: [['--json', 'the same as JSON, for a script']],
      example: 'goldratio webhook list --json',
    },
    remove: {
      summary: 'Delete a hook; the messages still waiting for it are given up',
      options: [],
      example: 'goldratio webhook remove 3',
    },
    test: {
      summary: 'Send a test alert with its chart to a hook now and say what it answered; a passing test turns a deactivated hook back on',
      options: [['--digest', 'send the digest of the latest closes instead, the largest message a hook gets']],
      example: 'goldratio webhook test 3 --digest',
    },
    rotate: {
      summary: 'Give a json hook a new signing secret, printed once; the old one signs too for the grace period (Slack and Discord hooks have none)',
      options: [['--grace <hours>', 'how long the old secret still signs: 0 (it leaked) to 168, default 24']],
      example: 'goldratio webhook rotate 3 --grace 0',
    },
  },
};

/** `goldratio <command> <sub> --help`: its usage line (the form of the command's usage for it), what it does, its options, an example. */
export function subcommandHelpText(s: CommandSpec, sub: string): string | undefined {
  const help = SUBCOMMAND_HELP[s.name]?.[sub];
  const usage = s.usage.split(' | ').find((f) => f.split(' ')[1] === sub);
  if (help === undefined || usage === undefined) return undefined;
  const width = Math.max(0, ...help.options.map(([o]) => o.length));
  return [
    `Usage: goldratio ${usage}`,
    help.summary,
    ...(help.options.length === 0 ? [] : ['', 'Options:', ...help.options.map(([o, what]) => `  ${o.padEnd(width)}  ${what}`)]),
    '',
    `Example: ${help.example}`,
    '',
  ].join('\n');
}

/**
 * What D and SPAN stand for in the usage lines: the help says it under the commands, and under one
 * command's usage when it shows them (DATES_SPAN only where an option takes a span back).
 */
export const DATES_D = 'D: a day YYYY-MM-DD, a month YYYY-MM or a year YYYY (for --to, its last day)';
export const DATES_SPAN =
  'SPAN: a span back from today, such as 1y, 18m, 3w, 5Y, YTD or a unit alone (week: 1w); or a year by name, "last year" (去年, 前年, 大前年), from its January 1 (chart: that calendar year, unless --to; a year in digits runs to the latest close), or a quarter or a half, "Q1 2020", 2020年上半年, or a month, quarter or week by its place, "last month" (上個月), "last quarter" (上一季), "last week" (上週), or an ISO week, 2026-W46 (chart: that period, unless --to; "past month", "past week" and 1m roll); or a start as the chat takes it, to the latest close: "since last year" (去年以來), "end of last year" (去年底), "this year" (今年: YTD), "since Q1 2020"';

/** The legend lines a usage needs: none, D's, or D's and SPAN's. */
export function datesLegend(usage: string): string[] {
  return [...(/ D\b/.test(usage) ? [DATES_D] : []), ...(usage.includes('|SPAN') ? [DATES_SPAN] : [])];
}

export const CLI_SPECS = {
  start: spec('start', 'start', 'Run the bot: backfill if needed, then the scheduler, alerts and the chat bots (console alerts without tokens)'),
  ratio: spec('ratio', 'ratio [--json]', 'Both ratios now: changes over 1D/1M/YTD, the nearest essay levels, the age of the data'),
  levels: spec(
    'levels',
    `levels [spx-gold|qqq-gold] [--lang ${LANG_CHOICES}] [--json]`,
    "The essay's levels as /levels gives them: the distance to each, and what the closes of its era show (the highest or lowest, and whether it passed)",
  ),
  history: spec('history', 'history <spx-gold|qqq-gold> [--from D|SPAN] [--to D] [--json]', 'The daily ratio series of a pair (JSON: [{"date","value"}])'),
  power: spec(
    'power',
    'power [--base D|SPAN] [--to D] [--json]',
    "Purchasing power since a base date (default 1999-03-10; or a span back: 2y, 18m, 5Y): USD, gold and M2 indexed to 100, M2's growth, who beat it",
  ),
  digest: spec('digest', `digest --preview [--lang ${LANG_CHOICES}] [--out file.png]`, "Today's digest as a chat gets it: print its text and write its chart"),
  chart: spec(
    'chart',
    `chart <spx-gold|qqq-gold|power> [--range ${CHART_RANGES.join('|')} | --from D|SPAN] [--base D|SPAN] [--to D] [--theme light|dark] [--lang ${LANG_CHOICES}] --out file.png`,
    "Render a ratio chart (with the essay's levels and eras) or the purchasing-power chart to a 1200×630 PNG",
  ),
  status: spec(
    'status',
    'status [--json]',
    'Data freshness per instrument: last close, source, age, rows; the database path (on PostgreSQL, the replicas and which one leads)',
  ),
  backfill: spec('backfill', 'backfill [--json]', 'Fetch daily history (SPX, QQQ, gold) and monthly M2: everything on first use, then only what is missing'),
  import: spec(
    'import',
    'import <spx|qqq|gold|m2> <file.csv> [--strict] [--source NAME] [--skip-repeats]',
    'Load a date,close CSV (- reads it from standard input); bad rows are reported by line (--strict: all or nothing); gold rows repeating the close before are said (--skip-repeats: the most likely carried left out)',
  ),
  replay: spec(
    'replay',
    'replay [--from D|SPAN] [--to D] [--move spx:10:20[,qqq:15:60]] [--top N] [--json]',
    'Run the stored history through the alert engine and print every event it would have sent (--move: the move alerts instead; --top: the N largest)',
  ),
  'deploy-commands': spec(
    'deploy-commands',
    'deploy-commands [--guild ID]',
    'Register the Discord slash commands, in one server at once (--guild) or globally',
  ),
  'copy-data': spec(
    'copy-data',
    'copy-data --to postgres://user:password@host:port/db',
    'Copy the SQLite database at DATABASE_PATH into an empty PostgreSQL database, then compare the row counts of every table',
  ),
  webhook: spec(
    'webhook',
    `webhook add <https-url> [--format json|slack|slack-workflow|discord] [--lang ${LANG_CHOICES}] | webhook list [--json] | webhook remove <id> | webhook test <id> [--digest] | webhook rotate <id> [--grace <hours>]`,
    'Outgoing webhooks, the third platform: every alert and digest POSTed to each registered address (docs/webhook.md)',
  ),
  backup: spec(
    'backup',
    'backup <file> [--force]',
    "Copy the database to <file> with SQLite's online backup (safe while the bot runs); --force replaces an existing file",
  ),
  restore: spec(
    'restore',
    'restore <backup-file> [--json]',
    'Put a backup in place of the stopped database: the old file and its -wal/-shm are moved aside (never deleted); says what the next start does with it',
  ),
} as const satisfies Record<string, CommandSpec>;
