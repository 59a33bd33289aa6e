import { onSqlite } from '../../../src/store/engine.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeNotifier, makeWorld, seedAlert, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import type { TelegramNotifier } from '../../../src/platforms/telegram/notifier.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { sleep } from '../../../src/sleep.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
let fake: FakeTelegram;
let world: World;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake, { TELEGRAM_RATE: '200' }));
});
afterEach(async () => {
  await fake.close();
  world.cleanup();
});

function dispatcher(): { dispatcher: Dispatcher; notifier: TelegramNotifier } {
  const notifier = makeNotifier(world, fake);
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [notifier],
    charts: world.charts,
    log: world.log,
    backoffMs: 100,
  });
  return { dispatcher: d, notifier };
}

/** Drains until the outbox is empty, as the dispatch cron would. */
async function drainAll(d: Dispatcher, maxRounds = 20): Promise<void> {
  for (let i = 0; i < maxRounds && (await d.pending()) > 0; i++) {
    await d.drain();
    if ((await d.pending()) > 0) await sleep(250);
  }
}

describe('one alert broadcast through the dispatcher and the Telegram notifier', () => {
  test('GIVEN 60 chats, one blocked, one gone, one migrating and one rate-limited THEN each gets its due outcome and the chart is uploaded once', async () => {
    const healthy = Array.from({ length: 56 }, (_, i) => String(10_000 + i));
    const blocked = '20001';
    const gone = '20002';
    const migrating = '-7001';
    const limited = '20003';
    fake.fault(blocked, { kind: 'blocked' });
    fake.fault(gone, { kind: 'not-found' });
    fake.fault(migrating, { kind: 'migrated', to: -1007001 });
    fake.fault(limited, { kind: 'too-many', retryAfter: 1 }, { times: 1 });
    await seedAlert(world, [limited, ...healthy, blocked, gone, migrating]);
    const { dispatcher: d, notifier } = dispatcher();

    await drainAll(d);

    expect(await d.pending()).toBe(0);
    // One upload; every other photo went by the returned file_id.
    expect(fake.uploads()).toHaveLength(1);
    expect(notifier.uploads).toBe(1);
    expect(fake.uploads()[0]?.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_MAGIC);
    const delivered = new Set(
      fake
        .callsTo('sendPhoto')
        .filter((c) => c.status === 200)
        .map((c) => c.chatId),
    );
    for (const chat of [...healthy, limited, '-1007001']) expect(delivered.has(chat)).toBe(true);
    expect(delivered.size).toBe(healthy.length + 2);

    // The 429: nothing went to that chat before retry_after, then it was delivered once.
    expect(fake.violations).toEqual([]);
    const tries = fake.callsTo('sendPhoto', limited);
    expect(tries.map((c) => c.status)).toEqual([429, 200]);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);

    // Dead chats are deactivated at once; the migrated group is followed.
    expect(await world.deps.subs.get('telegram', blocked)).toMatchObject({
      active: false,
      deactivatedReason: 'blocked: Forbidden: bot was blocked by the user',
    });
    expect(await world.deps.subs.get('telegram', gone)).toMatchObject({ active: false, deactivatedReason: 'gone: Bad Request: chat not found' });
    expect((await world.deps.subs.get('telegram', migrating))?.active ?? false).toBe(false);
    expect((await world.deps.subs.get('telegram', '-1007001'))?.active).toBe(true);
    expect(fake.callsTo('sendPhoto', blocked)).toHaveLength(1);
  });

  test('GIVEN the whole API answers 429 once THEN the queue pauses for retry_after and nobody is sent to meanwhile', async () => {
    const chats = Array.from({ length: 20 }, (_, i) => String(30_000 + i));
    await seedAlert(world, chats);
    fake.fault('*', { kind: 'too-many', retryAfter: 1 }, { times: 1 });
    const { dispatcher: d } = dispatcher();
    await drainAll(d);
    expect(await d.pending()).toBe(0);
    expect(fake.violations).toEqual([]);
    expect(
      new Set(
        fake
          .callsTo('sendPhoto')
          .filter((c) => c.status === 200)
          .map((c) => c.chatId),
      ).size,
    ).toBe(20);
    expect(fake.uploads()).toHaveLength(1);
  });
});
