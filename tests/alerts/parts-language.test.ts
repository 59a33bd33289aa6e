/**
 * A long message sent in parts whose chat runs /lang between two of them (a retry after a 502 or
 * a 429 can leave up to the backoff's hour between parts): the rest goes out in the language the
 * first part went out in, so the chat gets one whole message, every item once, in order. A message
 * none of which went out yet takes the chat's language at send time. Through the real dispatcher
 * and the Discord notifier against the fake, on SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { localize } from '../../src/domain/message.ts';
import { quietSummary, type HeldAlert } from '../../src/domain/quiet-summary.ts';
import { notifierRest } from '../../src/platforms/discord/client.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { sleep } from '../../src/sleep.ts';
import { memoryLogger } from '../../src/log.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { describeOnEngines } from '../helpers/engines.ts';

const CHANNEL = '730000000000000002';
const MESSAGES = new RegExp(`^/channels/${CHANNEL}/messages$`);
let fake: FakeDiscord;

beforeEach(async () => {
  fake = await FakeDiscord.start();
});
afterEach(async () => {
  await fake.close();
});

/** `count` held alerts, each titled with its own number. */
function held(count: number): HeldAlert[] {
  const start = Date.UTC(2026, 10, 23, 16, 0);
  return Array.from({ length: count }, (_, i) => ({
    message: { title: `📉 Alert number ${i + 1}: SPX/Gold closed below 2.5 (essay level), now 1.83`, lines: ['detail'] },
    decidedAt: start + i * 60_000,
  }));
}

/** The text of every embed of the delivered messages, in order. */
function delivered(): string {
  return fake.requests
    .filter((r) => r.method === 'POST' && MESSAGES.test(r.path) && r.status === 200)
    .flatMap((r) =>
      (r.body.embeds as { title?: string; description?: string; footer?: { text: string } }[]).map((e) =>
        [e.title, e.description, e.footer?.text].filter((x) => x !== undefined).join('\n'),
      ),
    )
    .join('\n');
}

const numbers = () => [...delivered().matchAll(/Alert number (\d+):/g)].map((m) => Number(m[1]));
const ALL = Array.from({ length: 200 }, (_, i) => i + 1);

describeOnEngines('a long message whose chat changes language between its parts', (open) => {
  async function world() {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const sub = await subs.upsert('discord', CHANNEL);
    await outbox.enqueue('alert', quietSummary(held(200), 'Asia/Taipei'), [sub!.id]);
    const rest = notifierRest({ apiBase: fake.api, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined }, fake.token);
    // The refused part's retry is due 1 s later: with 50 ms, a drain slowed by a loaded machine took
    // it up again before it ended, and the scene (two parts out, the third refused) never was.
    const dispatcher = new Dispatcher(outbox, subs, { notifiers: [new DiscordNotifier({ rest, rate: 50, log: memoryLogger() })], backoffMs: 1_000 });
    const drainAll = async () => {
      for (let i = 0; i < 40 && (await dispatcher.pending()) > 0; i++) {
        await dispatcher.drain();
        if ((await dispatcher.pending()) > 0) await sleep(100);
      }
    };
    return { subs, outbox, dispatcher, drainAll };
  }
  const footer = (lang: 'en' | 'zh-TW') => localize(quietSummary(held(200), 'Asia/Taipei'), lang).footer ?? '';

  test('GIVEN two parts of a 200-item summary out in English, the third refused, then /lang zh-TW THEN the rest goes out in English: every item once, in order, one footer', async () => {
    const { subs, dispatcher, drainAll } = await world();
    fake.fail(MESSAGES, { kind: '5xx', status: 502 }, 2, 'POST', 2);
    await dispatcher.drain();
    expect(fake.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path)).map((r) => r.status)).toEqual([200, 200, 502, 502]);
    await subs.upsert('discord', CHANNEL, { lang: 'zh-TW' });
    await drainAll();
    expect(await dispatcher.pending()).toBe(0);
    expect(numbers()).toEqual(ALL);
    expect(footer('en')).not.toBe(footer('zh-TW'));
    expect(delivered().split(footer('en')).length - 1).toBe(1);
    expect(delivered()).not.toContain(footer('zh-TW'));
  });

  test("GIVEN a first part recorded in English, then /lang zh-CN THEN the row stays English through later parts; WHEN its group becomes a supergroup THEN the message starts over there, in the chat's language", async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const sub = await subs.upsert('telegram', '-100');
    await outbox.enqueue('alert', quietSummary(held(3), 'Asia/Taipei'), [sub!.id]);
    const [row] = await outbox.due('telegram', Date.now() + 1, 10);
    expect(row?.lang).toBe('en');
    await outbox.markPartsSent(row!.id, 1, 'en');
    await subs.upsert('telegram', '-100', { lang: 'zh-CN' });
    // A later part's record (by a row read before the change, say) does not change the language either.
    await outbox.markPartsSent(row!.id, 2, 'zh-CN');
    expect((await outbox.due('telegram', Date.now() + 1, 10)).map((r) => [r.lang, r.partsSent])).toEqual([['en', 2]]);
    await subs.move('telegram', '-100', '-1009');
    expect((await outbox.due('telegram', Date.now() + 1, 10)).map((r) => [r.chatId, r.lang, r.partsSent])).toEqual([['-1009', 'zh-CN', 0]]);
  });

  test('GIVEN /lang zh-TW before any part went out THEN the whole message is in the new language', async () => {
    const { subs, drainAll } = await world();
    await subs.upsert('discord', CHANNEL, { lang: 'zh-TW' });
    await drainAll();
    expect(numbers()).toEqual(ALL);
    expect(delivered()).toContain(footer('zh-TW'));
    expect(delivered()).not.toContain(footer('en'));
  });
});
