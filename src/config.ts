/**
 * Config: environment → one frozen, typed Config. Every problem is reported at once, secrets are
 * never printed, and a missing optional secret turns its feature off instead of failing the start.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isIsoDate } from './domain/dates.ts';
import { langFromInput, LANGS, type Lang } from './domain/i18n/langs.ts';
import { nearestName } from './domain/nearest.ts';
import { postgresUrlProblem } from './domain/postgres-url.ts';

type Kind = 'string' | 'url' | 'https-url' | 'int' | 'number' | 'bool' | 'date' | 'sources' | 'cron' | 'secret' | 'enum';

interface VarSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly default?: string;
  readonly description: string;
  readonly choices?: readonly string[];
  /** Numbers: the documented range, both ends inclusive (every number has one). */
  readonly min?: number;
  readonly max?: number;
  /** What is surely wrong with a value of this shape (a token pasted with its URL), or undefined. */
  readonly shape?: (text: string) => string | undefined;
}

/**
 * A Telegram token as @BotFather gives it is the bot's id, a colon and its secret (123456789:AAH…).
 * Only what is surely no token is refused (Telegram would answer a bare 404 at start, or nothing
 * while the network is down, and the bot would retry it for good): the API's URL or its `bot`
 * before the token, or no `<digits>:` at all.
 */
function telegramTokenShape(text: string): string | undefined {
  if (/^https?:\/\//i.test(text)) return 'is a URL: write the token alone (123456789:AAH…), as @BotFather gives it';
  if (/^bot\d+:/i.test(text)) return 'starts with "bot", which the API puts before the token in its URLs: write the token alone (123456789:AAH…)';
  if (!/^["'`]?\d+:\S+$/.test(text)) return "is not a bot token: @BotFather gives one like 123456789:AAH… (the bot's id, a colon, then its secret)";
  return undefined;
}

/**
 * The quote providers goldratio knows (src/market/failover.ts maps each to its client; a test
 * checks the two lists agree). Listed here so config can refuse a typo before anything starts.
 */
export const KNOWN_SOURCES = ['yahoo', 'fred', 'lbma', 'twelvedata'] as const;

/** Every variable goldratio reads. `.env.example` must list each of them (a test checks). */
export const CONFIG_VARS = [
  {
    name: 'DATABASE_PATH',
    kind: 'string',
    description:
      "SQLite database file (default: goldratio.db in DATA_DIR). When DATA_DIR has none but data/goldratio.db holds one (the default DATA_DIR's, or an older goldratio's), every command stops and says how to keep it (move it, or set DATABASE_PATH to it) or how to start an empty one on purpose (DATABASE_PATH in DATA_DIR)",
  },
  {
    name: 'DATABASE_BUSY_TIMEOUT_MS',
    kind: 'int',
    default: '5000',
    min: 0,
    max: 600_000,
    description:
      "How long a write waits for another process's SQLite write lock (an import, a backup) before it gives up, in ms; kept short because better-sqlite3 blocks the event loop while it waits",
  },
  {
    name: 'DATABASE_URL',
    kind: 'secret',
    description:
      "Optional postgres://user:password@host:5432/db: the store on PostgreSQL instead of SQLite (set this or DATABASE_PATH, not both). start and every other command then use that server; copy-data moves a SQLite database into it, and backup points at the server's own backups",
  },
  {
    name: 'DATABASE_QUERY_TIMEOUT_MS',
    kind: 'int',
    default: '30000',
    min: 0,
    max: 3_600_000,
    description:
      'PostgreSQL only: how long a query (or a new connection) may go unanswered before it fails as the database unreachable and its connection is closed, in ms; the bound is per statement: migrations, copy-data and import allow one 10 min (0: no bound)',
  },
  {
    name: 'DATABASE_SERVER_KEEPALIVE',
    kind: 'enum',
    default: 'on',
    choices: ['on', 'off'],
    description:
      "PostgreSQL only: on, each pool session sets the server's TCP keepalives (tcp_keepalives_*), so a session whose client was lost in a partition ends in about 25 s with its row locks, not the OS's 2 hours; off behind a pooler that shares server sessions between clients: RDS Proxy pins a session that ran a SET to its client for good (no multiplexing), PgBouncer in transaction mode applies it to whichever server connection it ran on. Off, the server's own keepalive settings end such a session",
  },
  {
    name: 'DATA_DIR',
    kind: 'string',
    default: 'data',
    description: 'Folder for the database (unless DATABASE_PATH names another file) and runtime files: rendered charts, console alerts',
  },
  { name: 'LOG_LEVEL', kind: 'enum', default: 'info', choices: ['debug', 'info', 'warn', 'error', 'silent'], description: 'Log verbosity' },
  {
    name: 'LOG_FORMAT',
    kind: 'enum',
    default: 'auto',
    choices: ['auto', 'json', 'pretty'],
    description: 'Log lines on stderr: json (JSON lines), pretty (readable lines), or auto (pretty on a terminal, json otherwise)',
  },
  { name: 'YAHOO_BASE_URL', kind: 'url', default: 'https://query1.finance.yahoo.com', description: 'Yahoo Finance chart API v8 base URL' },
  { name: 'FRED_BASE_URL', kind: 'url', default: 'https://fred.stlouisfed.org', description: 'FRED keyless CSV base URL (fredgraph.csv)' },
  { name: 'FRED_API_BASE_URL', kind: 'url', default: 'https://api.stlouisfed.org', description: 'FRED JSON API base URL, used when FRED_API_KEY is set' },
  {
    name: 'FRED_API_KEY',
    kind: 'secret',
    description: "Optional FRED API key; when set M2 comes from the JSON API, and FRED's SP500 (the last 10 years) is a source for the S&P 500",
  },
  { name: 'LBMA_BASE_URL', kind: 'url', default: 'https://prices.lbma.org.uk', description: 'LBMA prices base URL (json/gold_pm.json)' },
  { name: 'TWELVEDATA_BASE_URL', kind: 'url', default: 'https://api.twelvedata.com', description: 'Twelve Data base URL' },
  {
    name: 'TWELVEDATA_API_KEY',
    kind: 'secret',
    description: 'Optional Twelve Data key; enables Twelve Data as a source for gold (XAU/USD spot), the S&P 500 (SPX) and QQQ',
  },
  {
    name: 'TWELVEDATA_CREDITS_PER_MINUTE',
    kind: 'int',
    default: '8',
    min: 1,
    max: 100_000,
    description:
      "Twelve Data API credits spent at most in a minute by every goldratio process on the database (the free plan's 8); past it Twelve Data is not asked until the next minute (goldratio backfill waits for it)",
  },
  {
    name: 'TWELVEDATA_CREDITS_PER_DAY',
    kind: 'int',
    default: '800',
    min: 1,
    max: 10_000_000,
    description:
      "Twelve Data API credits spent at most in a UTC day by every goldratio process on the database (the free plan's 800); past it Twelve Data is not asked until the next day",
  },
  {
    name: 'FRED_REQUESTS_PER_MINUTE',
    kind: 'int',
    default: '120',
    min: 1,
    max: 100_000,
    description:
      "Requests to FRED made at most in a minute by every goldratio process on the database (FRED's about 120 per key); past it FRED is not asked until the next minute",
  },
  {
    name: 'SOURCES_SPX',
    kind: 'sources',
    default: 'yahoo,twelvedata,fred',
    description: 'Ordered quote sources for the S&P 500 (sources without a key are skipped; a second one confirms or refuses a held move)',
  },
  {
    name: 'SOURCES_QQQ',
    kind: 'sources',
    default: 'yahoo,twelvedata',
    description: 'Ordered quote sources for QQQ (sources without a key are skipped; a second one confirms or refuses a held move)',
  },
  {
    name: 'SOURCES_GOLD',
    kind: 'sources',
    default: 'yahoo,lbma,twelvedata',
    description: 'Ordered quote sources for gold (sources without a key are skipped)',
  },
  { name: 'SOURCES_M2', kind: 'sources', default: 'fred', description: 'Ordered sources for M2 money supply' },
  { name: 'HTTP_TIMEOUT_MS', kind: 'int', default: '15000', min: 100, max: 600_000, description: 'Timeout of one HTTP request to a quote source, in ms' },
  { name: 'HTTP_RETRIES', kind: 'int', default: '3', min: 0, max: 10, description: 'Retries of a failed request (5xx, 429, network) with capped backoff' },
  { name: 'HTTP_BACKOFF_MS', kind: 'int', default: '1000', min: 0, max: 60_000, description: 'First backoff delay in ms; doubles per retry, capped at 60 s' },
  {
    name: 'BACKFILL_FROM',
    kind: 'date',
    default: '1999-03-10',
    description: "First date of the daily history backfill (QQQ's launch); a day after today is refused",
  },
  { name: 'MAX_MOVE_PCT', kind: 'number', default: '15', min: 1, max: 100, description: 'A price move larger than this % is held until confirmed' },
  {
    name: 'HOLD_CONFIRM_MINUTES',
    kind: 'int',
    default: '30',
    min: 0,
    max: 1440,
    description: 'A held move is confirmed by its own source repeating it only this many minutes after it was held (0: any later fetch)',
  },
  {
    name: 'ALERT_MODE',
    kind: 'enum',
    default: 'close',
    choices: ['close', 'intraday'],
    description: 'Decide level breaks on the daily close or on the live ratio',
  },
  { name: 'APPROACH_PCT', kind: 'number', default: '3', min: 0, max: 50, description: 'Default distance in % that counts as approaching a level' },
  {
    name: 'HYSTERESIS_PCT',
    kind: 'number',
    default: '1',
    min: 0,
    max: 50,
    description: 'A broken level re-arms after the ratio moves back past it by this % of the level',
  },
  {
    name: 'ALERT_COOLDOWN_DAYS',
    kind: 'int',
    default: '14',
    min: 0,
    max: 365,
    description: 'Days after a break before the reverse break of the same level is decided (late, never lost)',
  },
  { name: 'CRON_QUOTES', kind: 'cron', default: '*/5 9-16 * * 1-5', description: 'SPX and QQQ quotes (America/New_York, US trading hours)' },
  { name: 'CRON_GOLD', kind: 'cron', default: '*/15 * * * 1-5', description: 'Gold quotes (America/New_York, weekdays)' },
  {
    name: 'CRON_CLOSE',
    kind: 'cron',
    default: '30 17 * * 1-5',
    description: 'Daily close: fetch closes, store ratios, decide level breaks (America/New_York)',
  },
  { name: 'CRON_M2', kind: 'cron', default: '0 12 * * *', description: 'M2 money supply check (published monthly; a daily check fetches only what is new)' },
  { name: 'CRON_DISPATCH', kind: 'cron', default: '*/10 * * * * *', description: 'Outbox drain (six fields: with seconds)' },
  { name: 'CRON_RETENTION', kind: 'cron', default: '45 3 * * *', description: 'Daily pruning of old delivered or dead outbox rows (America/New_York)' },
  {
    name: 'CHART_WORKERS',
    kind: 'int',
    min: 0,
    max: 64,
    description: 'Worker threads that render charts (default: cores - 1, at least 1; 0 renders on the main thread)',
  },
  {
    name: 'CHART_WARMUP',
    kind: 'enum',
    default: 'on',
    choices: ['on', 'off'],
    description: 'Render the charts commands ask for ahead, in the background, at start and after each data change (off: first askers wait for the render)',
  },
  {
    name: 'CHART_CACHE',
    kind: 'enum',
    default: 'on',
    choices: ['on', 'off'],
    description: 'Keep rendered charts on disk (DATA_DIR/charts-cache), so after a restart they are served without drawing them again (off: memory only)',
  },
  { name: 'CHART_THEME', kind: 'enum', default: 'light', choices: ['light', 'dark'], description: 'Default chart theme' },
  {
    name: 'CONSOLE_COMMANDS',
    kind: 'enum',
    default: 'auto',
    choices: ['auto', 'on', 'off'],
    description:
      "Chat commands typed into the running bot's terminal (/ratio, /chart spx 5y) are answered there, charts written under DATA_DIR/replies/, and a reply's buttons printed as what to type instead ([3M] /chart spx 3m, [Taipei] /digest 08:00 Asia/Taipei; a /mute's zone buttons as the zone to add to that /mute typed again, [Taipei] Asia/Taipei); auto: when its input is a terminal",
  },
  {
    name: 'DEFAULT_LANG',
    kind: 'enum',
    default: 'en',
    choices: LANGS,
    description: 'Language of the console subscription and of chats that state none',
  },
  {
    name: 'TELEGRAM_BOT_TOKEN',
    kind: 'secret',
    shape: telegramTokenShape,
    description: 'Telegram bot token from @BotFather; the Telegram bot runs only when set',
  },
  {
    name: 'TELEGRAM_API_ROOT',
    kind: 'url',
    default: 'https://api.telegram.org',
    description: 'Telegram Bot API root (a self-hosted Bot API server or a local fake)',
  },
  { name: 'TELEGRAM_WEBHOOK_URL', kind: 'https-url', description: 'Public HTTPS URL for webhook mode; long polling when unset' },
  { name: 'TELEGRAM_WEBHOOK_SECRET', kind: 'secret', description: 'Secret token Telegram sends with each webhook call (required with TELEGRAM_WEBHOOK_URL)' },
  { name: 'TELEGRAM_WEBHOOK_PORT', kind: 'int', default: '8443', min: 1, max: 65_535, description: 'Local port the webhook server listens on' },
  { name: 'TELEGRAM_RATE', kind: 'number', default: '25', min: 0.1, max: 1000, description: 'Global Telegram send pace, messages per second' },
  { name: 'TELEGRAM_GROUP_PER_MINUTE', kind: 'int', default: '20', min: 1, max: 60, description: 'At most this many messages per minute into one group' },
  {
    name: 'TELEGRAM_PAID_BROADCAST',
    kind: 'bool',
    default: 'false',
    description: 'Send alerts with allow_paid_broadcast (costs Stars; allows up to 1000 msg/s)',
  },
  {
    name: 'TELEGRAM_ACCEPT_NEW_BOT',
    kind: 'bool',
    default: 'false',
    description:
      "Start on a token of another bot than the one this database's chats subscribed through. Without it such a start is refused (Telegram is off, /readyz says why, and nothing is sent): a wrong token would otherwise fail every alert and unsubscribe every chat. Set it once, when the move is meant",
  },
  {
    name: 'TELEGRAM_INLINE_CHAT_ID',
    kind: 'string',
    description:
      "A chat the bot posts in (a private channel: its id, -100…, or a public one's @username) where inline-mode charts are uploaded once, so inline answers show them; unset: a chart the bot already sent, else text",
  },
  {
    name: 'WEBHOOK_RATE',
    kind: 'number',
    default: '100',
    min: 0.1,
    max: 10_000,
    description: 'Outgoing webhooks (goldratio webhook add): POSTs per second in total, across hooks',
  },
  {
    name: 'WEBHOOK_TIMEOUT_SECONDS',
    kind: 'int',
    default: '10',
    min: 1,
    max: 120,
    description:
      "An outgoing webhook that has not answered in this many seconds has failed that delivery. A stop waits this long for a POST on the wire (so it is recorded, never sent again from the next start): past 15 s it lengthens the stop, so raise the supervisor's grace with it (Kubernetes terminationGracePeriodSeconds)",
  },
  { name: 'DISCORD_TOKEN', kind: 'secret', description: 'Discord bot token; the Discord bot runs only when it and DISCORD_APPLICATION_ID are set' },
  { name: 'DISCORD_APPLICATION_ID', kind: 'string', description: 'Discord application id (Developer Portal, General Information)' },
  {
    name: 'DISCORD_ACCEPT_NEW_APP',
    kind: 'bool',
    default: 'false',
    description:
      "Start as another application than the one this database's channels subscribed through. Without it such a start is refused (Discord is off, /readyz says why, and nothing is sent): every alert would fail and unsubscribe its channel. Set it once, when the move is meant",
  },
  {
    name: 'DISCORD_API_BASE',
    kind: 'url',
    default: 'https://discord.com/api',
    description: 'Discord REST base (discord.js appends /v10; a proxy or a local fake)',
  },
  { name: 'DISCORD_RATE', kind: 'number', default: '50', min: 0.1, max: 1000, description: 'Global Discord request pace, requests per second' },
  {
    name: 'DISCORD_ALERT_ROLE_ID',
    kind: 'string',
    description: 'Optional role mentioned with every Discord alert (a channel can set its own with /subscribe role)',
  },
  {
    name: 'DISCORD_PUBLIC_KEY',
    kind: 'string',
    description:
      'Optional application public key (Developer Portal, General Information; 64 hex characters): turns on the Interactions Endpoint, POST /discord/interactions on DISCORD_INTERACTIONS_PORT, so every replica answers commands',
  },
  {
    name: 'DISCORD_INTERACTIONS_PORT',
    kind: 'int',
    default: '8444',
    min: 1,
    max: 65_535,
    description: 'Local port the Discord Interactions Endpoint listens on (with DISCORD_PUBLIC_KEY)',
  },
  {
    name: 'HTTP_PORT',
    kind: 'int',
    min: 0,
    max: 65535,
    description: 'Port of the operations server (/livez or /healthz, /readyz, /freshz, /metrics); off when unset',
  },
  { name: 'HTTP_HOST', kind: 'string', default: '127.0.0.1', description: 'Address the operations server listens on (0.0.0.0 inside a container)' },
  {
    name: 'STOP_DRAIN_SECONDS',
    kind: 'int',
    default: '0',
    min: 0,
    max: 300,
    description:
      'On SIGTERM or Ctrl-C, how long /readyz answers 503 "goldratio: shutting down" while the bot still serves (commands, webhooks, interactions) before it stops: time for a load balancer or Kubernetes to take the replica out of service (0 stops at once; a second signal ends the wait); 5 behind a Kubernetes Service. Keep it plus STOP_TIMEOUT_SECONDS under what the supervisor waits before SIGKILL: in Kubernetes terminationGracePeriodSeconds, 30 s by default; docker stop and Compose, 10 s unless stop_grace_period says more (the compose files here: 30 s)',
  },
  {
    name: 'STOP_TIMEOUT_SECONDS',
    kind: 'int',
    default: '10',
    min: 1,
    max: 300,
    description:
      "After STOP_DRAIN_SECONDS, how long the stop itself may take (the last sends, the leader's lock, closing the database) before the process exits 0 anyway, naming what it left for the next start in one line (up to 1 s later while that line waits in a pipe whose reader is behind): a PostgreSQL gone silent would otherwise hold each query for DATABASE_QUERY_TIMEOUT_MS; unsent alerts stay in the outbox. The last sends get half of it: then no new send (nor a further part of one) starts. A send still on the wire when it runs out is waited for, up to its own call's timeout (Telegram's and Discord's 15 s, a webhook's WEBHOOK_TIMEOUT_SECONDS) and 2 s for its record, so it is recorded and never goes again from the next start: the stop takes at most the larger of this and half of it + that timeout + 2 s (22 s at the defaults). Keep STOP_DRAIN_SECONDS plus that under the supervisor's grace (Kubernetes 30 s; docker stop 10 s unless given -t 30, as compose.yaml's stop_grace_period is)",
  },
  {
    name: 'RETENTION_DAYS',
    kind: 'int',
    default: '90',
    min: 1,
    max: 3650,
    description: 'Delivered or dead outbox rows older than this many days are pruned daily (events are kept)',
  },
  {
    name: 'OUTBOX_LEASE_SECONDS',
    kind: 'int',
    default: '120',
    min: 5,
    max: 3600,
    description:
      'With replicas: how long a claimed alert is reserved for the leader that claimed it (renewed every third of it while that leader is still sending); after a leader dies, what it had claimed and not sent goes out this much later',
  },
] as const satisfies readonly VarSpec[];

export type SourceName = string;

/** The database's file name in DATA_DIR when DATABASE_PATH is not set. */
export const DATABASE_FILE = 'goldratio.db';

export interface Config {
  readonly databasePath: string;
  /** DATABASE_PATH was given; otherwise databasePath is DATA_DIR/goldratio.db. */
  readonly databasePathSet: boolean;
  readonly databaseBusyTimeoutMs: number;
  /** PostgreSQL: a query's deadline (0: none); store/pg-deadline.ts. */
  readonly databaseQueryTimeoutMs: number;
  /** DATABASE_SERVER_KEEPALIVE: whether each pool session sets the server's TCP keepalives (off behind RDS Proxy or PgBouncer). */
  readonly databaseServerKeepalive: boolean;
  /** postgres://… when the store is on PostgreSQL; undefined: SQLite at databasePath. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly logFormat: 'auto' | 'json' | 'pretty';
  readonly yahooBaseUrl: string;
  readonly fredBaseUrl: string;
  readonly fredApiBaseUrl: string;
  readonly fredApiKey: string | undefined;
  readonly lbmaBaseUrl: string;
  readonly twelveDataBaseUrl: string;
  readonly twelveDataApiKey: string | undefined;
  /** A keyed source's plan: what the bot spends at most per minute and per UTC day (market/credits.ts). */
  readonly credits: Readonly<Record<'twelvedata' | 'fred', { readonly perMinute: number; readonly perDay: number | undefined }>>;
  readonly sources: {
    readonly spx: readonly SourceName[];
    readonly qqq: readonly SourceName[];
    readonly gold: readonly SourceName[];
    readonly m2: readonly SourceName[];
  };
  readonly httpTimeoutMs: number;
  readonly httpRetries: number;
  readonly httpBackoffMs: number;
  readonly backfillFrom: string;
  readonly maxMovePct: number;
  /** HOLD_CONFIRM_MINUTES in ms: a repeat of a held move confirms it from this long after the hold. */
  readonly holdConfirmMs: number;
  readonly alertMode: 'close' | 'intraday';
  readonly approachPct: number;
  readonly hysteresisPct: number;
  readonly cooldownDays: number;
  readonly cron: {
    readonly quotes: string;
    readonly gold: string;
    readonly close: string;
    readonly m2: string;
    readonly dispatch: string;
    readonly retention: string;
  };
  readonly chartTheme: 'light' | 'dark';
  readonly chartWorkers: number | undefined;
  readonly chartWarmUp: boolean;
  /** Commands typed into the terminal (platforms/console): on, off, or when stdin is a terminal. */
  readonly consoleCommands: 'auto' | 'on' | 'off';
  readonly chartCache: boolean;
  readonly defaultLang: Lang;
  readonly http: { readonly port: number | undefined; readonly host: string };
  readonly retentionDays: number;
  readonly outboxLeaseMs: number;
  /** STOP_DRAIN_SECONDS: not ready but still serving, this long after a stop signal, before stopping. */
  readonly stopDrainMs: number;
  /** STOP_TIMEOUT_SECONDS: how long the stop after the drain may take before the process leaves the rest. */
  readonly stopTimeoutMs: number;
  readonly telegram: {
    readonly token: string | undefined;
    readonly apiRoot: string;
    readonly webhookUrl: string | undefined;
    readonly webhookSecret: string | undefined;
    readonly webhookPort: number;
    readonly rate: number;
    readonly groupPerMinute: number;
    readonly paidBroadcast: boolean;
    readonly inlineChatId: string | undefined;
    readonly acceptNewBot: boolean;
  };
  readonly webhook: { readonly rate: number; readonly timeoutSeconds: number };
  readonly discord: {
    readonly token: string | undefined;
    readonly applicationId: string | undefined;
    readonly acceptNewApp: boolean;
    readonly apiBase: string;
    readonly rate: number;
    readonly alertRoleId: string | undefined;
    /** Hex Ed25519 key: commands also arrive at the Interactions Endpoint. */
    readonly publicKey: string | undefined;
    readonly interactionsPort: number;
  };
}

type VarName = (typeof CONFIG_VARS)[number]['name'];

export class ConfigError extends Error {
  /** The same on one line, for a log line (one line, one message): the problems joined by "; ". */
  readonly oneLine: string;
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.oneLine = `invalid configuration: ${problems.join('; ')}`;
  }
}

/**
 * The variable that placed the SQLite file, for a message about it: DATABASE_PATH when set, else
 * DATA_DIR (the file is goldratio.db in it); an operator who set only DATA_DIR looks there.
 */
export function databaseVariable(config: Pick<Config, 'databasePathSet'>): 'DATABASE_PATH' | 'DATA_DIR' {
  return config.databasePathSet ? 'DATABASE_PATH' : 'DATA_DIR';
}

/** Names people give goldratio's variables that are not a typo of them. */
const VARIABLE_ALIASES: Readonly<Record<string, string>> = {
  discord_bot_token: 'DISCORD_TOKEN',
  telegram_token: 'TELEGRAM_BOT_TOKEN',
  discord_app_id: 'DISCORD_APPLICATION_ID',
};

/**
 * Variables that are none of goldratio's but a misspelling of one (TELEGRAM_BOT_TOKN): goldratio
 * would run on that one's default (no Telegram bot) without a word. One line each, naming the
 * variable meant; never the value (it may be a token). Only near names: the environment holds
 * many variables of other programs.
 */
export function misspeltVariables(env: Readonly<Record<string, string | undefined>>): string[] {
  const known = (CONFIG_VARS as readonly VarSpec[]).map((v) => v.name);
  const lower = known.map((n) => n.toLowerCase());
  const aliases = Object.fromEntries(Object.entries(VARIABLE_ALIASES).map(([k, v]) => [k, v.toLowerCase()]));
  const said: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (env[name] === undefined || known.includes(name)) continue;
    const near = nearestName(name, lower, aliases);
    // An exact name in another case: the environment's names are case-sensitive on Linux.
    const meant = near === undefined ? undefined : known[lower.indexOf(near)];
    if (meant !== undefined) said.push(`${name} is not a goldratio variable, so it is ignored: did you mean ${meant}?`);
  }
  return said;
}

/**
 * A path a shell would have expanded (~/data, $HOME/data) but a .env, a compose file or a systemd
 * unit hands over as typed: goldratio would make a folder named "~" or "$HOME" in its working
 * directory, and say "~/data/goldratio.db" as if it were the home folder's.
 */
function shellOnlyPath(name: string, path: string, home: string | undefined): string | undefined {
  const tilde = /^~(?:\/|$)/.test(path);
  const braced = /^\$(?:\{(\w+)\}|(\w+))/.exec(path);
  const variable = braced?.[0];
  if (!tilde && variable === undefined) return undefined;
  const rest = path.replace(tilde ? /^~\/?/ : /^\$(\{\w+\}|\w+)\/?/, '');
  const isHome = tilde || (braced?.[1] ?? braced?.[2]) === 'HOME';
  const example = isHome && home?.startsWith('/') ? `: write the full path, e.g. ${join(home, rest)}` : ': write the full path';
  return `${name}: ${JSON.stringify(path)} ${tilde ? 'starts with ~' : `names the variable ${variable}`}, which only a shell expands (a .env, docker or systemd keeps it as typed)${example}`;
}

/** The sslmode values the pg driver reads as named: libpq's, less `allow`, and the driver's `no-verify`. */
const SSL_MODES: readonly string[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** Reads every variable; throws one ConfigError listing every problem. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const problems: string[] = [];
  const raw = new Map<VarName, string | number | boolean | string[] | undefined>();
  for (const spec of CONFIG_VARS as readonly VarSpec[]) {
    const given = env[spec.name];
    const text = given === undefined || given.trim() === '' ? spec.default : given.trim();
    if (text === undefined) {
      raw.set(spec.name as VarName, undefined);
      continue;
    }
    const parsed = parseVar(spec, text);
    if (typeof parsed === 'object' && parsed !== null && 'problem' in parsed) {
      // Never echo a secret's value back.
      const shown = spec.kind === 'secret' ? '(hidden)' : JSON.stringify(text);
      problems.push(`${spec.name}: ${parsed.problem}, got ${shown}`);
    } else {
      raw.set(spec.name as VarName, parsed);
    }
  }
  const databaseUrl = raw.get('DATABASE_URL');
  if (typeof databaseUrl === 'string') {
    // The URL holds a password: the problem names the part at fault, never the URL.
    const urlProblem = postgresUrlProblem(databaseUrl);
    if (urlProblem !== undefined) problems.push(`DATABASE_URL: ${urlProblem}`);
    else if (env.DATABASE_PATH !== undefined && env.DATABASE_PATH.trim() !== '')
      problems.push('DATABASE_URL and DATABASE_PATH are both set: set DATABASE_URL for PostgreSQL or DATABASE_PATH for SQLite, not both');
    else {
      // The pg driver reads any other sslmode as verify-full, without a word: a typo would refuse a
      // self-signed server later, or (an empty one) connect without SSL.
      const mode = new URL(databaseUrl).searchParams.get('sslmode');
      if (mode !== null && !SSL_MODES.includes(mode))
        problems.push(`DATABASE_URL: sslmode must be one of ${SSL_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
      // The driver refuses verify-ca without its CA only at the first connection, in a paragraph.
      else if (mode === 'verify-ca' && !new URL(databaseUrl).searchParams.has('sslrootcert'))
        problems.push(
          "DATABASE_URL: sslmode=verify-ca needs sslrootcert=/path/to/ca.pem (the CA that signed the server's certificate); or use sslmode=verify-full",
        );
    }
  }
  for (const name of ['DATA_DIR', 'DATABASE_PATH'] as const) {
    const path = raw.get(name);
    if (typeof path === 'string') {
      const problem = shellOnlyPath(name, path, env.HOME);
      if (problem !== undefined) problems.push(problem);
    }
  }
  // SQLite would make a file of the folder's name (/srv/goldratio), then the folder step fails on it.
  const dbPath = raw.get('DATABASE_PATH');
  if (typeof dbPath === 'string' && /[/\\]$/.test(dbPath)) {
    const folder = dbPath.replace(/[/\\]+$/, '');
    problems.push(
      `DATABASE_PATH: ${JSON.stringify(dbPath)} ends with /, a folder: name the database file (${join(folder, DATABASE_FILE)}), or set DATA_DIR=${folder} instead`,
    );
  }
  // After today, the first backfill would ask every source for a range that ends before it starts.
  const backfillFrom = raw.get('BACKFILL_FROM');
  if (typeof backfillFrom === 'string' && backfillFrom > new Date().toISOString().slice(0, 10)) {
    problems.push(`BACKFILL_FROM: ${backfillFrom} is in the future; the history starts on a past day (default 1999-03-10)`);
  }
  if (raw.get('TELEGRAM_WEBHOOK_URL') !== undefined && raw.get('TELEGRAM_WEBHOOK_SECRET') === undefined) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  }
  for (const id of ['DISCORD_APPLICATION_ID', 'DISCORD_ALERT_ROLE_ID'] as const) {
    const v = raw.get(id);
    if (typeof v === 'string' && !/^\d{17,20}$/.test(v)) problems.push(`${id}: expected a Discord id (17-20 digits), got ${JSON.stringify(v)}`);
  }
  // A chat id as the Bot API takes it: a number (a channel's -100…) or a public channel's @username.
  // Anything else is refused by Telegram at each inline chart's upload, long after the start.
  const inlineChat = raw.get('TELEGRAM_INLINE_CHAT_ID');
  if (typeof inlineChat === 'string' && !/^(?:-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/.test(inlineChat)) {
    problems.push(
      `TELEGRAM_INLINE_CHAT_ID: expected a Telegram chat id (a number, a channel's starts with -100) or a public channel's @username, got ${JSON.stringify(inlineChat)}`,
    );
  }
  const publicKey = raw.get('DISCORD_PUBLIC_KEY');
  if (typeof publicKey === 'string' && !/^[0-9a-f]{64}$/i.test(publicKey)) {
    problems.push(
      `DISCORD_PUBLIC_KEY: expected the application's public key, 64 hex characters (Developer Portal, General Information), got ${publicKey.length} characters`,
    );
  }
  // A misspelt name is then most likely why (TELEGRAM_WEBHOOK_SECRT beside TELEGRAM_WEBHOOK_URL):
  // listed with the problems, since the command stops before it could warn about it.
  if (problems.length > 0) throw new ConfigError([...problems, ...misspeltVariables(env)]);

  const s = (k: VarName) => raw.get(k) as string;
  const o = (k: VarName) => raw.get(k) as string | undefined;
  const n = (k: VarName) => raw.get(k) as number;
  const l = (k: VarName) => raw.get(k) as string[];
  return Object.freeze({
    // In the data folder unless named: DATA_DIR=/srv/goldratio moves everything.
    databasePath: o('DATABASE_PATH') ?? join(s('DATA_DIR'), DATABASE_FILE),
    databasePathSet: o('DATABASE_PATH') !== undefined,
    databaseBusyTimeoutMs: n('DATABASE_BUSY_TIMEOUT_MS'),
    databaseQueryTimeoutMs: n('DATABASE_QUERY_TIMEOUT_MS'),
    databaseServerKeepalive: s('DATABASE_SERVER_KEEPALIVE') === 'on',
    databaseUrl: o('DATABASE_URL'),
    dataDir: s('DATA_DIR'),
    logLevel: s('LOG_LEVEL') as Config['logLevel'],
    logFormat: s('LOG_FORMAT') as Config['logFormat'],
    yahooBaseUrl: s('YAHOO_BASE_URL'),
    fredBaseUrl: s('FRED_BASE_URL'),
    fredApiBaseUrl: s('FRED_API_BASE_URL'),
    fredApiKey: o('FRED_API_KEY'),
    lbmaBaseUrl: s('LBMA_BASE_URL'),
    twelveDataBaseUrl: s('TWELVEDATA_BASE_URL'),
    twelveDataApiKey: o('TWELVEDATA_API_KEY'),
    credits: Object.freeze({
      twelvedata: Object.freeze({ perMinute: n('TWELVEDATA_CREDITS_PER_MINUTE'), perDay: n('TWELVEDATA_CREDITS_PER_DAY') }),
      fred: Object.freeze({ perMinute: n('FRED_REQUESTS_PER_MINUTE'), perDay: undefined }),
    }),
    sources: Object.freeze({ spx: l('SOURCES_SPX'), qqq: l('SOURCES_QQQ'), gold: l('SOURCES_GOLD'), m2: l('SOURCES_M2') }),
    httpTimeoutMs: n('HTTP_TIMEOUT_MS'),
    httpRetries: n('HTTP_RETRIES'),
    httpBackoffMs: n('HTTP_BACKOFF_MS'),
    backfillFrom: s('BACKFILL_FROM'),
    maxMovePct: n('MAX_MOVE_PCT'),
    holdConfirmMs: n('HOLD_CONFIRM_MINUTES') * 60_000,
    alertMode: s('ALERT_MODE') as Config['alertMode'],
    approachPct: n('APPROACH_PCT'),
    hysteresisPct: n('HYSTERESIS_PCT'),
    cooldownDays: n('ALERT_COOLDOWN_DAYS'),
    cron: Object.freeze({
      quotes: s('CRON_QUOTES'),
      gold: s('CRON_GOLD'),
      close: s('CRON_CLOSE'),
      m2: s('CRON_M2'),
      dispatch: s('CRON_DISPATCH'),
      retention: s('CRON_RETENTION'),
    }),
    chartTheme: s('CHART_THEME') as Config['chartTheme'],
    chartWorkers: raw.get('CHART_WORKERS') as number | undefined,
    chartWarmUp: s('CHART_WARMUP') === 'on',
    consoleCommands: s('CONSOLE_COMMANDS') as Config['consoleCommands'],
    chartCache: s('CHART_CACHE') === 'on',
    defaultLang: s('DEFAULT_LANG') as Config['defaultLang'],
    http: Object.freeze({ port: raw.get('HTTP_PORT') as number | undefined, host: s('HTTP_HOST') }),
    retentionDays: n('RETENTION_DAYS'),
    outboxLeaseMs: n('OUTBOX_LEASE_SECONDS') * 1000,
    stopDrainMs: n('STOP_DRAIN_SECONDS') * 1000,
    stopTimeoutMs: n('STOP_TIMEOUT_SECONDS') * 1000,
    telegram: Object.freeze({
      token: o('TELEGRAM_BOT_TOKEN'),
      apiRoot: s('TELEGRAM_API_ROOT'),
      webhookUrl: o('TELEGRAM_WEBHOOK_URL'),
      webhookSecret: o('TELEGRAM_WEBHOOK_SECRET'),
      webhookPort: n('TELEGRAM_WEBHOOK_PORT'),
      rate: n('TELEGRAM_RATE'),
      groupPerMinute: n('TELEGRAM_GROUP_PER_MINUTE'),
      paidBroadcast: raw.get('TELEGRAM_PAID_BROADCAST') as boolean,
      inlineChatId: o('TELEGRAM_INLINE_CHAT_ID'),
      acceptNewBot: raw.get('TELEGRAM_ACCEPT_NEW_BOT') as boolean,
    }),
    webhook: Object.freeze({ rate: n('WEBHOOK_RATE'), timeoutSeconds: n('WEBHOOK_TIMEOUT_SECONDS') }),
    discord: Object.freeze({
      token: o('DISCORD_TOKEN'),
      applicationId: o('DISCORD_APPLICATION_ID'),
      acceptNewApp: raw.get('DISCORD_ACCEPT_NEW_APP') as boolean,
      apiBase: s('DISCORD_API_BASE'),
      rate: n('DISCORD_RATE'),
      alertRoleId: o('DISCORD_ALERT_ROLE_ID'),
      publicKey: o('DISCORD_PUBLIC_KEY')?.toLowerCase(),
      interactionsPort: n('DISCORD_INTERACTIONS_PORT'),
    }),
  });
}

/** node-cron's check of an expression, the package loaded at the first call (its CommonJS build). */
let cronValidateFn: ((expression: string) => boolean) | undefined;
function cronValidate(expression: string): boolean {
  cronValidateFn ??= (createRequire(import.meta.url)('node-cron') as typeof import('node-cron')).validate;
  return cronValidateFn(expression);
}

function parseVar(spec: VarSpec, text: string): string | number | boolean | string[] | { problem: string } {
  switch (spec.kind) {
    case 'string':
      return text;
    case 'secret':
      // A docker env-file (and compose's env_file) keeps the quotes: the platform would refuse the
      // token with a bare 401/404 and no hint. No token, key or secret of theirs holds a quote.
      if (/^(["'`]).*\1$/s.test(text) && text.length >= 2)
        return { problem: 'is wrapped in quotes, which are kept as part of the value (a docker env-file keeps them): write it without quotes' };
      {
        const wrong = spec.shape?.(text);
        if (wrong !== undefined) return { problem: wrong };
      }
      return text;
    case 'url':
    case 'https-url': {
      let u: URL;
      try {
        u = new URL(text);
      } catch {
        return { problem: `expected a URL like https://example.com` };
      }
      if (spec.kind === 'https-url' && u.protocol !== 'https:') return { problem: 'expected an https:// URL (Telegram calls webhooks only over HTTPS)' };
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: 'expected an http(s) URL' };
      return text.replace(/\/+$/, '');
    }
    case 'int':
    case 'number': {
      // Plain decimal only: Number() would also read 0x10, 1e3 and Infinity.
      const plain = spec.kind === 'int' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      const v = Number(text);
      // One wording for the variable's rule, whichever part of it the value breaks (0x10 or 70000).
      const rule = { problem: `expected ${spec.kind === 'int' ? 'a whole number' : 'a number'}${rangeText(spec)}` };
      if (!plain.test(text) || !Number.isFinite(v)) return rule;
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) return rule;
      return v;
    }
    case 'bool':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      return { problem: 'expected true or false' };
    case 'date':
      return isIsoDate(text) ? text : { problem: 'expected a date YYYY-MM-DD' };
    case 'sources': {
      const items = text
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter((x) => x !== '');
      if (items.length === 0) return { problem: `expected a comma-separated list of ${KNOWN_SOURCES.join(', ')}` };
      const unknown = items.filter((x) => !(KNOWN_SOURCES as readonly string[]).includes(x));
      if (unknown.length > 0) return { problem: `unknown source ${unknown.map((x) => `"${x}"`).join(', ')}; known: ${KNOWN_SOURCES.join(', ')}` };
      return items;
    }
    case 'cron':
      // The defaults are good (tests/config.test.ts): node-cron is loaded for a value set by hand
      // alone, so a command that schedules nothing (status, import, ratio) does not load it.
      return text === spec.default || cronValidate(text)
        ? text
        : { problem: 'expected a cron expression like "30 17 * * 1-5" (minute hour day month weekday, optional seconds first)' };
    case 'enum': {
      // A language as --lang and the chats' /lang read it: a locale's code too (zh_TW, zh-Hant).
      if (spec.name === 'DEFAULT_LANG') return langFromInput(text) ?? { problem: `expected one of ${LANGS.join(', ')}` };
      // Any case is accepted; the value is the spelling the spec gives (zh-tw → zh-TW).
      const choice = spec.choices?.find((c) => c.toLowerCase() === text.toLowerCase());
      return choice ?? { problem: `expected one of ${spec.choices?.join(', ')}` };
    }
  }
}

function rangeText(spec: VarSpec): string {
  return spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}` : '';
}

const ENV_EXAMPLE_HEAD = [
  '# goldratio configuration. Copy to .env (or export the variables) and change what you need.',
  '# Every variable is optional: with none set, goldratio runs on its embedded defaults,',
  '# with the console notifier (alerts printed, charts written under DATA_DIR).',
  '# A value with a # in it goes in quotes (KEY="p#ss"): unquoted, a # starts a comment.',
  '# Generated from src/config.ts by `npm run env:example`; a test checks the two agree.',
];

/** The text of .env.example, generated from CONFIG_VARS: one commented entry per variable. */
export function envExample(): string {
  const entries = (CONFIG_VARS as readonly VarSpec[]).map((v) => {
    const notes: string[] = [];
    if (v.choices) notes.push(v.choices.join(' | '));
    if (v.min !== undefined && v.max !== undefined) notes.push(`${v.min} to ${v.max}`);
    if (v.kind === 'sources') notes.push(`from ${KNOWN_SOURCES.join(', ')}`);
    const comment = `# ${v.description}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    return `${comment}\n${v.default === undefined ? `# ${v.name}=` : `${v.name}=${v.default}`}`;
  });
  return `${ENV_EXAMPLE_HEAD.join('\n')}\n\n${entries.join('\n\n')}\n`;
}

/** Config for display: secrets replaced by whether they are set. */
export function redacted(config: Config): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(config, (key, value: unknown) => ((/token|key|secret/i.test(key) || key === 'databaseUrl') && typeof value === 'string' ? '(set)' : value)),
  ) as Record<string, unknown>;
}

/** Every secret value in the config (tokens, keys, webhook secret): the logger scrubs them from every line. */
export function secretValues(config: Config): string[] {
  const found: string[] = [];
  JSON.stringify(config, (key, value: unknown) => {
    if (/token|key|secret/i.test(key) && typeof value === 'string') found.push(value);
    // The URL whole, and its password alone (a driver's error may quote either); the password may
    // also be a query parameter (?password=, as pg reads it). A URL with none (trust, .pgpass,
    // PGPASSWORD) holds no secret: scrubbed whole, every line naming the server read "database ***".
    if (key === 'databaseUrl' && typeof value === 'string') {
      const url = URL.canParse(value) ? new URL(value) : undefined;
      const passwords = url === undefined ? [] : [decodeURIComponent(url.password), ...['password', 'sslpassword'].flatMap((p) => url.searchParams.getAll(p))];
      const set = passwords.filter((p) => p !== '');
      if (url === undefined || set.length > 0) found.push(value);
      found.push(...set);
    }
    return value;
  });
  return found;
}
