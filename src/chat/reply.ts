/**
 * The platform-neutral answer to a command. `chat/` functions build it; each platform renders it
 * (Telegram: escaped HTML; Discord: an embed; console: plain text). Text is plain: renderers escape.
 */
import type { PairId } from '../domain/instruments.ts';

/** A run of text with an optional emphasis. Renderers escape `text`. */
export type Span = string | { readonly bold: string } | { readonly code: string } | { readonly italic: string };

/** One line of a reply, made of spans. */
export type Line = readonly Span[];

export type ChartRange = '1M' | '3M' | '6M' | '1Y' | '5Y' | '10Y' | 'MAX';
export const CHART_RANGES: readonly ChartRange[] = ['1M', '3M', '6M', '1Y', '5Y', '10Y', 'MAX'];

/** What chart to attach; the platform asks the chart service to render (or reuse) it. */
export type ChartRequest =
  | { readonly kind: 'ratio'; readonly pair: PairId; readonly range: ChartRange }
  | { readonly kind: 'power'; readonly base: string }
  /** Both ratios over one year with the essay's levels in view (the daily digest). */
  | { readonly kind: 'digest' }
  | {
      readonly kind: 'alert';
      readonly pair: PairId;
      readonly levelId: string;
      readonly date: string;
      readonly value: number;
      /** What happened; without it the chart reads a break, its direction taken from the data. */
      readonly event?: 'cross-up' | 'cross-down' | 'zone-enter' | 'zone-exit' | 'approach';
    };

/** A button; `action` is an opaque string (≤ 64 bytes) given back when pressed. */
export interface Button {
  readonly label: string;
  readonly action: string;
}

export interface Reply {
  /** `error` and `usage` replies changed nothing. */
  readonly status: 'ok' | 'error' | 'usage' | 'denied';
  readonly lines: readonly Line[];
  readonly chart?: ChartRequest;
  readonly buttons?: readonly (readonly Button[])[];
}

export const reply = (lines: readonly Line[], extra: Partial<Omit<Reply, 'lines'>> = {}): Reply => ({ status: 'ok', lines, ...extra });
export const errorReply = (message: string): Reply => ({ status: 'error', lines: [[message]] });
export const usageReply = (message: string, usage: string): Reply => ({ status: 'usage', lines: [[message], [{ code: usage }]] });

/** The reply as plain text (console, logs, tests). */
export function plainText(r: Reply): string {
  return r.lines.map((line) => line.map((s) => (typeof s === 'string' ? s : 'bold' in s ? s.bold : 'code' in s ? s.code : s.italic)).join('')).join('\n');
}
