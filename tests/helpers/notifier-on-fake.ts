/** A real Telegram notifier on the Telegram fake, for the tests of the alert path's senders (lease.test, alert-path.test). */
import { Api } from 'grammy';
import { memoryLogger } from '../../src/log.ts';
import { TelegramNotifier, type TelegramNotifierOptions } from '../../src/platforms/telegram/notifier.ts';
import type { FakeTelegram } from '../fakes/telegram.ts';

/** Paced far above what a test sends (1000 a second), a request timing out after 10 s; `extra` adds to or overrides that. */
export function notifierOnFake(fake: FakeTelegram, extra: Partial<TelegramNotifierOptions> = {}): TelegramNotifier {
  return new TelegramNotifier({
    api: new Api(fake.token, { apiRoot: fake.apiRoot, timeoutSeconds: 10 }),
    rate: 1000,
    groupPerMinute: 20,
    paidBroadcast: false,
    log: memoryLogger(),
    ...extra,
  });
}
