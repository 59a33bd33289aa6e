/** Test stand-ins for the alert path's ends: a notifier that records what it would send, and closes on NYSE trading days. */
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import type { Platform } from '../../src/domain/platform.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';

/** What a scripted send answers, given the delivery and how many sends came before it: in all, and to its chat. */
export type SendScript = (d: Delivery, before: { readonly all: number; readonly chat: number }) => SendResult | Promise<SendResult>;

/** A delivery's text as a chat would read it: its title, then its lines. */
export const textOf = (d: Delivery): string => [d.message.title, ...d.message.lines].join('\n');

/**
 * A notifier that sends nothing: it records each delivery and answers from its script (default:
 * sent). One part per send, so it never calls `partSent` (the outcome stores the last part).
 */
export class RecordingNotifier implements Notifier {
  readonly platform: Platform;
  readonly ratePerSecond: number;
  readonly got: Delivery[] = [];
  readonly #script: SendScript;
  /**
   * `ratePerSecond`: the dispatcher's pace for it, unlimited in effect unless a test sets one. Most
   * tests freeze the dispatcher's clock, and the pace spaces sends on that clock but waits in real
   * time: at 10,000/s, 800 sends at a frozen clock slept 4 s (0.1 ms more for each).
   */
  constructor(o: { readonly platform?: Platform; readonly script?: SendScript; readonly ratePerSecond?: number } = {}) {
    this.platform = o.platform ?? 'telegram';
    this.ratePerSecond = o.ratePerSecond ?? 10_000_000;
    this.#script = o.script ?? (() => ({ kind: 'sent' }));
  }
  async send(d: Delivery): Promise<SendResult> {
    const r = this.#script(d, { all: this.got.length, chat: this.got.filter((g) => g.chatId === d.chatId).length });
    this.got.push(d);
    return r;
  }
  /** Each delivery as its chat and its text. */
  texts(): { chatId: string; text: string }[] {
    return this.got.map((d) => ({ chatId: d.chatId, text: textOf(d) }));
  }
}

/** Ratio points on NYSE trading days from `from` (2024-01-02 by default), one per value. */
export function tradingDayCloses(values: readonly number[], from = '2024-01-02'): { date: string; value: number }[] {
  const out: { date: string; value: number }[] = [];
  let d = from;
  for (const value of values) {
    while (!isTradingDay(d)) d = addDays(d, 1);
    out.push({ date: d, value });
    d = addDays(d, 1);
  }
  return out;
}
