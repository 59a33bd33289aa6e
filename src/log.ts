/**
 * The one logger (pino), to stderr so stdout stays for command output: JSON lines when stderr is
 * not a terminal, readable lines when it is. Every line passes a scrubber before it is written:
 * the configured secret values and anything shaped like a token are replaced by `***`, so a token
 * inside an error message (grammY puts the bot token in its URLs) never reaches a log line.
 */
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import { createRequire } from 'node:module';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'json' | 'pretty' | 'auto';

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export type LogSink = (line: string) => void;

export interface LoggerOptions {
  readonly scope?: string;
  /** json: one JSON object per line; pretty: readable lines; auto: pretty when stderr is a TTY. */
  readonly format?: LogFormat;
  /** Exact values that must never be written (tokens, keys, webhook secret from the config). */
  readonly secrets?: readonly (string | undefined)[];
  /** Where finished (scrubbed) lines go; default stderr. */
  readonly sink?: LogSink;
}

/** Structured fields whose value is replaced whatever it holds. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'webhookSecret',
  '*.webhookSecret',
  'previousSecret',
  '*.previousSecret',
];

/** Token shapes that may hide inside a message or URL. */
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  // Telegram bot token, in a URL (`/bot123:ABC/`) or alone.
  [/\b\d{5,}:[A-Za-z0-9_-]{30,}/g, '***'],
  [/\/bot[^/\s"]+\//g, '/bot***/'],
  // Discord bot token: three base64url parts.
  [/\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g, '***'],
  // Keys in query strings and auth headers.
  [/\b(api_?key|apikey|token|key|secret_token)=([^&\s"]+)/gi, '$1=***'],
  [/\b(Bot|Bearer)\s+[A-Za-z0-9._-]{20,}/g, '$1 ***'],
  // A password where one stands, whoever's and however short: a URL's user info (user:pw@host, as a
  // driver may quote the URL it was given after changing it: the whole URL no longer matches) and a
  // password=… of a query string or a libpq connection string.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'`]*:)[^\s/@"'`]+@/gi, '$1***@'],
  [/\b(password|passwd|sslpassword)=([^&\s"';]+)/gi, '$1=***'],
];

/** A secret this long is hidden wherever it occurs; a shorter one only where it stands as a value (see shortValue). */
const HIDDEN_ANYWHERE = 6;

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A short secret (a password of 1 to 5 characters) where it stands alone as a value: quoted whole
 * ("pw", 'pw', `pw`, a JSON string's \"pw\"), or after = (key=pw), up to the next space, quote, & or ;.
 * Not where it is a word of a sentence, nor inside one ("pw" in "pwd"): blanked there, "at" would
 * turn "PostgreSQL at db:5432" into "PostgreSQL *** db:5432", which hides nothing and says what the
 * password is. In a URL's user info the patterns above hide it.
 */
function shortValue(s: string): RegExp {
  // As written, or as a JSON line escapes it (a " or \ in it).
  const e = `(?:${[...new Set([s, JSON.stringify(s).slice(1, -1)])].map(escapeRe).join('|')})`;
  return new RegExp(`(\\\\?["'\`])${e}\\1|(=)${e}(?=$|[\\s"'&;,)\\]}])`, 'g');
}

/** Returns a function that removes the secrets and token-shaped strings from one line. */
export function scrubber(secrets: readonly (string | undefined)[] = []): (line: string) => string {
  const given = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s !== ''))];
  const exact = given.filter((s) => s.length >= HIDDEN_ANYWHERE).sort((a, b) => b.length - a.length);
  const short = given.filter((s) => s.length < HIDDEN_ANYWHERE).map(shortValue);
  return (line) => {
    let out = line;
    for (const s of exact) {
      if (out.includes(s)) out = out.split(s).join('***');
      // A secret inside a JSON string may have been escaped.
      const escaped = JSON.stringify(s).slice(1, -1);
      if (escaped !== s && out.includes(escaped)) out = out.split(escaped).join('***');
    }
    for (const re of short)
      out = out.replace(re, (_m, quote: string | undefined, eq: string | undefined) => (quote !== undefined ? `${quote}***${quote}` : `${eq}***`));
    for (const [re, to] of TOKEN_PATTERNS) out = out.replace(re, to);
    return out;
  };
}

function stderrSink(): LogSink {
  return (l) => void process.stderr.write(l.endsWith('\n') ? l : `${l}\n`);
}

function usePretty(format: LogFormat): boolean {
  return format === 'pretty' || (format === 'auto' && process.stderr.isTTY === true);
}

/** Whether a logger of this format writes JSON lines (json, or auto off a terminal). */
export function writesJson(format: LogFormat = 'auto'): boolean {
  return !usePretty(format);
}

export function createLogger(level: LogLevel = 'info', opts: LoggerOptions | string = {}, legacySink?: LogSink): Logger {
  const o: LoggerOptions = typeof opts === 'string' ? { scope: opts, ...(legacySink ? { sink: legacySink } : {}) } : opts;
  const scrub = scrubber(o.secrets);
  const sink = o.sink ?? stderrSink();
  let dest: DestinationStream;
  if (usePretty(o.format ?? 'auto')) {
    // pino-pretty's formatter called synchronously in this thread (no worker transport): lines appear in order, none lost at exit.
    // Loaded here, at the first pretty logger: JSON lines (a service, a CLI off a terminal, every
    // spawned test process) never need pino-pretty and its dependencies, 30-60 ms at a start.
    const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    const prettify = prettyFactory({
      colorize: o.sink === undefined && process.stderr.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,scope',
      messageFormat: '{scope}: {msg}',
    });
    dest = { write: (l: string) => sink(prettify(scrub(l))) };
  } else {
    dest = { write: (l: string) => sink(scrub(l)) };
  }
  const root = pino(
    {
      level,
      base: null,
      redact: { paths: REDACT_PATHS, censor: '***' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  return wrap(root, o.scope ?? 'goldratio');
}

function wrap(root: Pino, scope: string): Logger {
  const p = root.child({ scope });
  const emit = (lvl: 'debug' | 'info' | 'warn' | 'error') => (msg: string, extra?: Record<string, unknown>) => {
    if (extra === undefined) p[lvl](msg);
    else p[lvl](extra, msg);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'), child: (s) => wrap(root, `${scope}/${s}`) };
}

/**
 * A logger that records lines, for tests: the real pino logger and scrubber, its JSON rendered as
 * `time LEVEL scope: message {extra}` so tests can match text. `records` keeps the parsed objects.
 */
export function memoryLogger(
  level: LogLevel = 'debug',
  secrets: readonly string[] = [],
): Logger & { lines: string[]; records: Record<string, unknown>[]; raw: string[] } {
  const lines: string[] = [];
  const records: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const sink: LogSink = (l) => {
    raw.push(l);
    const { time, level: lvl, scope, msg, ...extra } = JSON.parse(l) as Record<string, unknown>;
    records.push({ time, level: lvl, scope, msg, ...extra });
    const tail = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    lines.push(`${String(time)} ${String(lvl).toUpperCase().padEnd(5)} ${String(scope)}: ${String(msg)}${tail}`);
  };
  return Object.assign(createLogger(level, { scope: 'test', format: 'json', secrets, sink }), { lines, records, raw });
}
