/**
 * A Notifier over plain HTTP (undici), speaking to tests/fakes/notifier-server.ts: the same
 * decisions a real platform notifier makes (200 sent, 429 retry with Retry-After, 403 dead).
 */
import { request } from 'undici';
import type { Delivery, Notifier, Platform, SendResult } from '../../src/alerts/notifier.ts';

export class HttpNotifier implements Notifier {
  constructor(
    readonly baseUrl: string,
    readonly platform: Platform = 'telegram',
    readonly ratePerSecond = 5_000,
  ) {}

  async send(d: Delivery): Promise<SendResult> {
    try {
      const res = await request(`${this.baseUrl}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: d.chatId, messageKey: d.messageKey, text: [d.message.title, ...d.message.lines].join('\n') }),
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await res.body.text();
      if (res.statusCode === 200) {
        await d.partSent(0);
        return { kind: 'sent' };
      }
      if (res.statusCode === 429) {
        const after = Number(res.headers['retry-after'] ?? 1);
        return { kind: 'retry', afterMs: after * 1000, reason: 'HTTP 429', global: true };
      }
      if (res.statusCode === 403) return { kind: 'dead', cause: 'rights', reason: 'HTTP 403' };
      return { kind: 'retry', reason: `HTTP ${res.statusCode}` };
    } catch (e) {
      return { kind: 'retry', reason: (e as Error).message };
    }
  }
}
