/**
 * The platform-neutral answer to a command. `chat/` functions build it; each platform renders it
 * (Telegram: escaped HTML; Discord: an embed; console: plain text). Text is plain: renderers escape.
 */
import type { ChartRequest } from '../domain/chart-request.ts';
import type { Tone } from '../domain/message.ts';

/**
 * A run of text with an optional emphasis. Renderers escape `text`. `aboutButtons`: the text speaks
 * of the reply's buttons ("Tap a level…"), so a platform that draws none (the console) leaves it out.
 */
export type Span = string | { readonly bold: string } | { readonly code: string } | { readonly italic: string; readonly aboutButtons?: true };

/** One line of a reply, made of spans. */
export type Line = readonly Span[];

export type { ChartRange, ChartRequest } from '../domain/chart-request.ts';
export { CHART_RANGES } from '../domain/chart-request.ts';

/**
 * A button; `action` is an opaque string (≤ 64 bytes) given back when pressed. `selected` marks
 * the current choice of a row of alternatives (the chart's pair and range); each renderer shows it
 * its own way (Telegram: a `•` before the label; Discord: a highlighted button, or the default
 * option of a select menu when the row is too long for one row of buttons).
 */
export interface Button {
  readonly label: string;
  readonly action: string;
  readonly selected?: boolean;
}

/** A named figure beside the text (Discord: an embed field; printed as `name: value` elsewhere). */
export interface ReplyField {
  readonly name: string;
  readonly value: Line;
  readonly inline?: boolean;
}

/**
 * What a platform draws, for a command's answer and for an outbox message alike (messageReply in
 * message-lines.ts turns one into this): one renderer per platform draws both.
 */
export interface Reply {
  /** `error` and `usage` replies changed nothing. */
  readonly status: 'ok' | 'error' | 'usage' | 'denied';
  readonly lines: readonly Line[];
  readonly chart?: ChartRequest;
  readonly buttons?: readonly (readonly Button[])[];
  /** A heading above the lines (Discord: the embed's title; printed in bold elsewhere). */
  readonly title?: string;
  readonly fields?: readonly ReplyField[];
  /** A small print line below (the data's source and age). */
  readonly footer?: string;
  /** Which way the news points (Discord: the embed's colour). */
  readonly tone?: Tone;
}

const COPY_OPEN = '\uE000';
const COPY_CLOSE = '\uE001';
const COPY_MARKS = /[\uE000\uE001]/g;
const COPIED = /\uE000([^\uE000\uE001]*)\uE001/g;

/**
 * A command line for the reader to copy and type (`/digest 08:00 Asia/Taipei`, on Discord `/摘要
 * 時間:08:00 時區:Asia/Taipei`), set inside a catalogue text as one of its params: marked here, and
 * drawn as a code span by `textLine` (errorReply and usageReply take their text through it). One
 * rule in every language and on every platform: an example is the typed form in the reader's
 * names, in code (Discord draws no mention there, Telegram makes no tappable bare command of it).
 */
export const copyable = (commandLine: string): string => `${COPY_OPEN}${commandLine.replace(COPY_MARKS, '')}${COPY_CLOSE}`;

/** A text as one line: each `copyable` command line in it a code span, the rest as it is. */
export function textLine(text: string): Line {
  const line: Span[] = [];
  let at = 0;
  for (const m of text.matchAll(COPIED)) {
    if (m.index > at) line.push(text.slice(at, m.index).replace(COPY_MARKS, ''));
    line.push({ code: m[1]! });
    at = m.index + m[0].length;
  }
  const rest = text.slice(at).replace(COPY_MARKS, '');
  if (rest !== '' || line.length === 0) line.push(rest);
  return line;
}

export const reply = (lines: readonly Line[], extra: Partial<Omit<Reply, 'lines'>> = {}): Reply => ({ status: 'ok', lines, ...extra });
export const errorReply = (message: string): Reply => ({ status: 'error', lines: [textLine(message)] });
export const usageReply = (message: string, usage: string): Reply => ({ status: 'usage', lines: [textLine(message), [{ code: usage }]] });

/** A line that only speaks of buttons (see Span): left out where there are none. */
export const aboutButtons = (line: Line): boolean => line.length > 0 && line.every((s) => typeof s === 'object' && 'aboutButtons' in s);

/** The visible text of a span, without its emphasis. */
export const spanText = (s: Span): string => (typeof s === 'string' ? s : 'bold' in s ? s.bold : 'code' in s ? s.code : s.italic);

/** The whole reply as lines, for platforms that print lines (Telegram, the console): the title in bold, the body, the fields as `name: value`, the footer in italics. */
export function replyLines(r: Reply): Line[] {
  return [
    ...(r.title !== undefined ? [[{ bold: r.title }]] : []),
    ...r.lines,
    ...(r.fields ?? []).map((f): Line => [{ bold: f.name }, ': ', ...f.value]),
    ...(r.footer !== undefined ? [[{ italic: r.footer }]] : []),
  ];
}

/** Lines as plain text (console, logs, tests). */
export const linesText = (lines: readonly Line[]): string => lines.map((line) => line.map(spanText).join('')).join('\n');

/** The reply as plain text (console, logs, tests). */
export function plainText(r: Reply): string {
  return linesText(r.lines);
}
