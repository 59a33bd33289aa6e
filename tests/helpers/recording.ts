/** Test stand-ins for the alert path's ends: a notifier that records what it would send, and closes on NYSE trading days. */
import type { Delivery, Notifier, SendResult } from '../../src/alerts/notifier.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';

/** A Telegram-shaped notifier that sends nothing: each delivery's title and lines, by chat. */
export class RecordingNotifier implements Notifier {
  readonly platform = 'telegram' as const;
  readonly ratePerSecond = 10_000;
  readonly got: { chatId: string; text: string }[] = [];
  async send(d: Delivery): Promise<SendResult> {
    this.got.push({ chatId: d.chatId, text: [d.message.title, ...d.message.lines].join('\n') });
    return { kind: 'sent' };
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
