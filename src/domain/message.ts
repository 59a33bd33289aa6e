/**
 * A message the bot sends on its own (an alert, a digest), as data: platform-neutral and
 * language-neutral, so it can be stored in the outbox as JSON when it is decided and rendered per
 * platform at send time in each chat's language.
 *
 * Texts are `Text` values: a literal (numbers, dates: the same in every language), an i18n key
 * with parameters (which may be Texts themselves), or a text given in several languages (the
 * essay's level notes; English always, so a message stored before a language existed still reads),
 * how long ago a day was (`{ daysSince }`), or sentences joined as one line (`{ join }`).
 * `localize(message, lang, { today })` resolves them all.
 *
 * How long ago is counted when the message is rendered for a chat, to the day it is read on there
 * (`today`: the chat's day on its clock, alerts/dispatcher.ts): one stored digest of Friday's
 * close says three days more to a chat reading it on Monday than to one reading it that evening.
 */
import type { ChartRequest } from './chart-request.ts';
import { fmtSinceDay } from './i18n/format.ts';
import { isLang, LANG_INFO, pickLang, t, type Lang } from './i18n/index.ts';

export type MessageKind = 'alert' | 'digest';
export const MESSAGE_KINDS: readonly MessageKind[] = ['alert', 'digest'];

export type ByLang = Readonly<Partial<Record<Lang, string>>> & { readonly en: string };
/**
 * How long ago `daysSince` was, in days, calendar months or years (fmtSinceDay), counted to the reader's day;
 * to `asOf` when no reader's day is given (a text read outside a chat: tests, a preview without a
 * clock), and never to a day before `asOf` (the day the message speaks about: nobody reads a
 * digest of a close before that close).
 */
export interface DaysSince {
  readonly daysSince: string;
  readonly asOf: string;
}
/** Sentences of one line, joined as the language writes them: a space in English, nothing in Chinese. */
export interface Joined {
  readonly join: readonly Text[];
}
export type Text = string | { readonly key: string; readonly params?: Readonly<Record<string, Text | number>> } | DaysSince | Joined | ByLang;

/** Which way the news goes (Discord colours its embed by it). */
export type Tone = 'up' | 'down' | 'neutral';

export interface MessageField {
  readonly name: Text;
  readonly value: Text;
  /** Discord lays inline fields side by side; other platforms print `name: value` lines. */
  readonly inline?: boolean;
}

export interface Message {
  /** Headline (Telegram: a bold first line; Discord: the embed title). */
  readonly title?: Text;
  /** Body lines, in order. */
  readonly lines: readonly Text[];
  /** Named values (e.g. both ratios of a digest). */
  readonly fields?: readonly MessageField[];
  /** Small print after everything else (sources, data age). */
  readonly footer?: Text;
  /** A chart to draw once per language and attach. */
  readonly chart?: ChartRequest;
  /** Ping the chat's mention (e.g. a Discord role) with this message, where the chat set one. */
  readonly mention?: boolean;
  readonly tone?: Tone;
  /**
   * What the message says as data, in no language (the figures the texts are written from): for
   * receivers that act on it, such as the webhook's `json` format. Flat: names to numbers and words.
   */
  readonly data?: MessageData;
}

export type MessageData = Readonly<Record<string, string | number | boolean | null>>;

/** A Message resolved into one language: what a notifier renders. */
export interface LocalizedMessage {
  /** The language it was read in (a platform may colour or lay out by it). */
  readonly lang: Lang;
  readonly title: string | undefined;
  readonly lines: readonly string[];
  readonly fields: readonly { readonly name: string; readonly value: string; readonly inline: boolean }[];
  readonly footer: string | undefined;
  readonly chart: ChartRequest | undefined;
  readonly mention: boolean;
  readonly tone: Tone | undefined;
  readonly data?: MessageData | undefined;
}

/** Where and when a message is read: `today`, the reader's day (YYYY-MM-DD), which a DaysSince counts to. */
export interface ReadOn {
  readonly today?: string | undefined;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function localizeText(text: Text, lang: Lang, on: ReadOn = {}): string {
  if (typeof text === 'string') return text;
  if ('key' in text && typeof text.key === 'string') {
    const params: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(text.params ?? {})) params[k] = typeof v === 'number' ? v : localizeText(v, lang, on);
    return t(lang, text.key, params);
  }
  if ('daysSince' in text && typeof text.daysSince === 'string') {
    const to = on.today !== undefined && on.today > text.asOf ? on.today : text.asOf;
    return fmtSinceDay(text.daysSince, to, lang);
  }
  if ('join' in text && Array.isArray(text.join)) {
    return text.join.map((x) => localizeText(x, lang, on)).join(LANG_INFO[lang].spacesBetweenWords ? ' ' : '');
  }
  return pickLang(text as ByLang, lang);
}

export function localize(m: Message, lang: Lang, on: ReadOn = {}): LocalizedMessage {
  return {
    lang,
    title: m.title === undefined ? undefined : localizeText(m.title, lang, on),
    lines: m.lines.map((l) => localizeText(l, lang, on)),
    fields: (m.fields ?? []).map((f) => ({ name: localizeText(f.name, lang, on), value: localizeText(f.value, lang, on), inline: f.inline ?? false })),
    footer: m.footer === undefined ? undefined : localizeText(m.footer, lang, on),
    chart: m.chart,
    mention: m.mention ?? false,
    tone: m.tone,
    data: m.data,
  };
}

/** Whether anything in the message counts to the day it is read on (a DaysSince): then each chat's day is asked. */
export function readsDay(m: Message): boolean {
  const has = (x: Text): boolean => {
    if (typeof x === 'string') return false;
    if ('daysSince' in x) return true;
    if ('join' in x && Array.isArray(x.join)) return x.join.some(has);
    if ('key' in x && typeof x.key === 'string') return Object.values(x.params ?? {}).some((v) => typeof v !== 'number' && has(v));
    return false;
  };
  return [m.title, ...m.lines, m.footer, ...(m.fields ?? []).flatMap((f) => [f.name, f.value])].some((x) => x !== undefined && has(x));
}

function isText(x: unknown): x is Text {
  if (typeof x === 'string') return true;
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.key === 'string') {
    if (o.params === undefined) return true;
    if (typeof o.params !== 'object' || o.params === null) return false;
    return Object.values(o.params).every((v) => typeof v === 'number' || isText(v));
  }
  if ('daysSince' in o) return typeof o.daysSince === 'string' && DAY.test(o.daysSince) && typeof o.asOf === 'string' && DAY.test(o.asOf);
  if ('join' in o) return Array.isArray(o.join) && o.join.every(isText);
  // A language this build does not know (a row from a newer one) is ignored, not an error.
  return typeof o.en === 'string' && Object.entries(o).every(([k, v]) => !isLang(k) || typeof v === 'string');
}

/**
 * Reads a stored message back (JSON from the outbox): the Message, or why not. A row written by
 * a bug must not stop the queue: the dispatcher gives that one row up.
 */
export function parseMessage(json: string): { ok: true; message: Message } | { ok: false; error: string } {
  let x: unknown;
  try {
    x = JSON.parse(json);
  } catch (e) {
    return { ok: false, error: `message is not JSON: ${(e as Error).message}` };
  }
  if (typeof x !== 'object' || x === null) return { ok: false, error: 'message is not an object' };
  const m = x as Record<string, unknown>;
  if (!Array.isArray(m.lines) || !m.lines.every(isText)) return { ok: false, error: 'message lines must be texts' };
  if (m.title !== undefined && !isText(m.title)) return { ok: false, error: 'message title must be a text' };
  if (m.footer !== undefined && !isText(m.footer)) return { ok: false, error: 'message footer must be a text' };
  if (m.fields !== undefined && !(Array.isArray(m.fields) && m.fields.every((f) => typeof f === 'object' && f !== null && isText(f.name) && isText(f.value)))) {
    return { ok: false, error: 'message fields must have a name and a value' };
  }
  if (m.chart !== undefined && (typeof m.chart !== 'object' || m.chart === null || typeof (m.chart as { kind?: unknown }).kind !== 'string')) {
    return { ok: false, error: 'message chart must be a chart request' };
  }
  if (
    m.data !== undefined &&
    (typeof m.data !== 'object' || m.data === null || Array.isArray(m.data) || !Object.values(m.data).every((v) => v === null || typeof v !== 'object'))
  ) {
    return { ok: false, error: 'message data must be an object of numbers and words' };
  }
  return { ok: true, message: x as Message };
}
