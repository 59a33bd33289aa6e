/**
 * One stored digest per close, read on different days: its "(N days ago)" counts to the day each
 * chat reads it on in its own zone, not to the close. New York reads Friday's close that evening,
 * a Taipei chat whose delivery waited over the weekend on Monday morning; a webhook counts to UTC's
 * day; a message in parts resumed the next day goes on with the words of its first part. Through
 * the real dispatcher, the Telegram, Discord and webhook notifiers against their fakes, on SQLite
 * and PostgreSQL.
 */
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { buildDigest, digestMessage, withoutCloseLine } from '../../src/domain/digest.ts';
import { addDays } from '../../src/domain/dates.ts';
import { ESSAY_LEVELS } from '../../src/domain/levels.ts';
import type { Message } from '../../src/domain/message.ts';
import type { Point } from '../../src/domain/series.ts';
import { story } from '../../src/domain/story.ts';
import { memoryLogger } from '../../src/log.ts';
import { notifierRest } from '../../src/platforms/discord/client.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { TelegramNotifier } from '../../src/platforms/telegram/notifier.ts';
import { ConsoleNotifier } from '../../src/platforms/console/notifier.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { hookWorld, type HookWorld } from '../helpers/webhook-world.ts';

/** SPX/Gold closes on weekdays from `from` to `to`, above 2.5 before `broke` and below it from then (a break that held). */
function closes(from: string, to: string, broke: string): Point[] {
  const out: Point[] = [];
  for (let d = from; d <= to; d = addDays(d, 1))
    if (![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay())) out.push({ date: d, value: d < broke ? 2.7 : 2.4 });
  return out;
}

/** The digest the job stores for the last of these closes (schedule/digest-due.ts), with its first line when it waited in vain for `missing`. */
function digestOf(series: Point[], missing?: string): Message {
  const d = buildDigest({
    series: { 'spx-gold': series },
    levels: ESSAY_LEVELS,
    stories: story({ 'spx-gold': series }, { approachPct: 3 }).pairs,
    m2: [],
    power: undefined,
    approachPct: 3,
  })!;
  const m = digestMessage(d);
  return missing === undefined ? m : { ...m, lines: [withoutCloseLine(missing, d.date), ...m.lines] };
}

// A break on Thursday 2021-12-23, the last close Friday 2026-12-04: 1,807 days to the Friday
// (4.947 years: "4.9"), 1,810 to the Monday after it (4.956: "5.0").
const FRIDAY_CLOSE = closes('2021-12-13', '2026-12-04', '2021-12-23');
// A break on Friday 2026-11-27 and nothing since: the newest close ten days old on Monday 2026-12-07.
const STALE = closes('2026-11-16', '2026-11-27', '2026-11-20');

const NY = 101;
const TAIPEI_EN = 102;
const TAIPEI_TW = 103;

describeOnEngines('the digest of one close read on each chat’s own day', (open) => {
  let tg: FakeTelegram;
  beforeEach(async () => {
    tg = await FakeTelegram.start();
  });
  afterEach(async () => {
    await tg.close();
  });

  async function world() {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const ny = (await subs.upsert('telegram', String(NY), { digestTime: '18:00', timezone: 'America/New_York' }))!;
    const tpe = (await subs.upsert('telegram', String(TAIPEI_EN), { digestTime: '08:00', timezone: 'Asia/Taipei' }))!;
    const tw = (await subs.upsert('telegram', String(TAIPEI_TW), { digestTime: '08:00', timezone: 'Asia/Taipei', lang: 'zh-TW' }))!;
    const clock = { now: 0 };
    const api = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: 5 });
    const notifier = new TelegramNotifier({ api, rate: 25, groupPerMinute: 20, paidBroadcast: false, log: memoryLogger() });
    const dispatcher = new Dispatcher(outbox, subs, { notifiers: [notifier], now: () => clock.now, backoffMs: 1000 });
    /** Drains at `iso`, the fake clock's instant. */
    const drainAt = async (iso: string) => {
      clock.now = Date.parse(iso);
      return dispatcher.drain();
    };
    const text = (chat: number) =>
      tg
        .callsTo('sendMessage', chat)
        .filter((c) => c.status === 200)
        .map((c) => String(c.params.text));
    const messages = async () => (await db.k.selectFrom('messages').select(['id', 'body']).execute()).map((r) => r.id);
    return { db, outbox, chats: [ny.id, tpe.id, tw.id], drainAt, text, messages };
  }

  test("GIVEN Friday's digest, New York at 18:00 Friday and two Taipei chats whose Telegram failed until Monday 08:00 THEN New York reads 4.9 years, Taipei 5.0 (en and zh-TW), from the one stored message", async () => {
    const w = await world();
    await w.outbox.enqueue('digest', digestOf(FRIDAY_CLOSE), w.chats, { dedupeKey: 'digest:2026-12-04' });
    // Taipei's deliveries fail (Telegram answering 502 for those chats) until Monday.
    tg.fault(TAIPEI_EN, { kind: 'server', status: 502 });
    tg.fault(TAIPEI_TW, { kind: 'server', status: 502 });
    expect(await w.drainAt('2026-12-04T23:00:00Z')).toMatchObject({ sent: 1, retried: 2 });
    tg.clearFaults();
    // Monday 2026-12-07 08:00 in Taipei (00:00 UTC).
    expect(await w.drainAt('2026-12-07T00:00:00Z')).toMatchObject({ sent: 2 });

    expect(w.text(NY).join('\n')).toContain('last broke below 2.5 on 2021-12-23 (4.9 years ago).');
    expect(w.text(TAIPEI_EN).join('\n')).toContain('last broke below 2.5 on 2021-12-23 (5.0 years ago).');
    expect(w.text(TAIPEI_TW).join('\n')).toContain('上次跌破 2.5 是在2021年12月23日（5.0 年前）。');
    expect(w.text(TAIPEI_EN).join('\n')).not.toContain('4.9 years');
    // One stored message, its rows all sent.
    expect(await w.messages()).toHaveLength(1);
    const rows = await w.db.k.selectFrom('outbox').select(['message_id', 'status']).execute();
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(1);
  });

  test('GIVEN a digest that waited in vain, its newest close from 2026-11-27 THEN "10 days ago" to New York on Monday evening, "11 days" to Taipei on Tuesday morning, from the one message', async () => {
    const w = await world();
    await w.outbox.enqueue('digest', digestOf(STALE, '2026-12-07'), w.chats, { dedupeKey: 'digest:2026-11-27:without:2026-12-07' });
    tg.fault(TAIPEI_EN, { kind: 'server', status: 502 });
    tg.fault(TAIPEI_TW, { kind: 'server', status: 502 });
    await w.drainAt('2026-12-07T23:00:00Z');
    tg.clearFaults();
    await w.drainAt('2026-12-08T00:00:00Z');
    expect(w.text(NY)[0]).toContain('The newest close the bot has is from 2026-11-27, 10 days ago:');
    expect(w.text(TAIPEI_EN)[0]).toContain('The newest close the bot has is from 2026-11-27, 11 days ago:');
    expect(w.text(TAIPEI_TW)[0]).toContain('機器人目前最新的收盤資料是2026年11月27日，距今 11 天');
    // The story's break (2026-11-20) counts to the same days.
    expect(w.text(NY).join('\n')).toContain('on 2026-11-20 (17 days ago)');
    expect(w.text(TAIPEI_EN).join('\n')).toContain('on 2026-11-20 (18 days ago)');
    expect(await w.messages()).toHaveLength(1);
  });
});

describeOnEngines('the console’s digest', (open) => {
  test("GIVEN the console in zh-CN with its digest at 18:00 Los Angeles, Friday's digest printed on Friday evening and again (another row) on Monday evening THEN each says its own day's count", async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const sub = (await subs.upsert('console', 'local', { digestTime: '18:00', timezone: 'America/Los_Angeles', lang: 'zh-CN' }))!;
    const printed: string[] = [];
    const clock = { now: Date.parse('2026-12-05T02:00:00Z') };
    const dispatcher = new Dispatcher(outbox, subs, { notifiers: [new ConsoleNotifier({ out: (x) => printed.push(x) })], now: () => clock.now });
    await outbox.enqueue('digest', digestOf(FRIDAY_CLOSE), [sub.id], { dedupeKey: 'digest:2026-12-04' });
    await dispatcher.drain();
    clock.now = Date.parse('2026-12-08T02:00:00Z');
    await outbox.enqueue('digest', digestOf(FRIDAY_CLOSE), [sub.id], { dedupeKey: 'digest:2026-12-04:again' });
    await dispatcher.drain();
    expect(printed).toHaveLength(2);
    // Friday 2026-12-04 and Monday 2026-12-07 in Los Angeles (already the 5th and the 8th in UTC).
    expect(printed[0]).toContain('上次跌破 2.5 是在2021年12月23日（4.9 年前）。');
    expect(printed[1]).toContain('上次跌破 2.5 是在2021年12月23日（5.0 年前）。');
  });
});

describeOnEngines('a digest in parts whose first part went out on Sunday night and the rest on Monday', (open) => {
  const CHANNEL = '730000000000000002';
  const OTHER = '730000000000000003';
  const posts = (channel: string) => new RegExp(`^/channels/${channel}/messages$`);
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await FakeDiscord.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  test("GIVEN Taipei channels and a long digest (several embeds), the second refused at 23:55 Sunday, resumed at 08:00 Monday THEN the rest reads as Sunday's (16 days), while a channel reading it all on Monday gets 17", async () => {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const a = (await subs.upsert('discord', CHANNEL, { digestTime: '08:00', timezone: 'Asia/Taipei' }))!;
    const b = (await subs.upsert('discord', OTHER, { digestTime: '08:00', timezone: 'Asia/Taipei' }))!;
    // The digest's story last, behind 150 long lines: three embeds or more, its break in the last.
    const m = digestOf(STALE);
    const filler = Array.from({ length: 150 }, (_, i) => `Line ${i + 1} of the figures, long enough that the message needs several embeds to hold.`);
    await outbox.enqueue('digest', { ...m, lines: [...filler, ...m.lines] }, [a.id]);
    const clock = { now: Date.parse('2026-12-06T15:55:00Z') };
    const rest = notifierRest({ apiBase: fake.api, rate: 50, token: undefined, applicationId: undefined, alertRoleId: undefined }, fake.token);
    const dispatcher = new Dispatcher(outbox, subs, {
      notifiers: [new DiscordNotifier({ rest, rate: 50, log: memoryLogger() })],
      now: () => clock.now,
      backoffMs: 1000,
    });
    fake.fail(posts(CHANNEL), { kind: '5xx', status: 502 }, 2, 'POST', 1);
    await dispatcher.drain();
    expect(fake.calls('POST', posts(CHANNEL)).map((r) => r.status)).toEqual([200, 502, 502]);
    // Monday 08:00 in Taipei: the rest goes out, and another channel gets the whole message fresh.
    clock.now = Date.parse('2026-12-07T00:00:00Z');
    await outbox.enqueue('digest', { ...m, lines: [...filler, ...m.lines] }, [b.id]);
    for (let i = 0; i < 5 && (await dispatcher.pending()) > 0; i++) await dispatcher.drain();
    expect(await dispatcher.pending()).toBe(0);
    const said = (channel: string) =>
      fake
        .calls('POST', posts(channel))
        .filter((r) => r.status === 200)
        .flatMap((r) => (r.body.embeds as { description?: string }[]).map((e) => e.description ?? ''))
        .join('\n');
    expect(said(CHANNEL)).toContain('last broke below 2.5 on 2026-11-20 (16 days ago).');
    expect(said(OTHER)).toContain('last broke below 2.5 on 2026-11-20 (17 days ago).');
    // Every line once, in order: the split of the rest is the one the first part was cut from.
    const numbers = [...said(CHANNEL).matchAll(/Line (\d+) of/g)].map((x) => Number(x[1]));
    expect(numbers).toEqual(filler.map((_, i) => i + 1));
  });
});

describe("a webhook's digest", () => {
  let w: HookWorld;
  beforeEach(async () => {
    w = await hookWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  test('GIVEN a hook (its digest timed 17:30 New York) sent the digest at 22:00 Sunday New York, already Monday in UTC THEN its lines count to the UTC day', async () => {
    const { id } = await w.add('/hook');
    const sub = (await w.world.deps.subs.get('webhook', id))!;
    expect(sub.timezone).toBe('America/New_York');
    await new OutboxStore(onSqlite(w.world.db)).enqueue('digest', digestOf(STALE, '2026-12-07'), [sub.id]);
    const now = () => Date.parse('2026-12-07T03:00:00Z');
    const d = new Dispatcher(new OutboxStore(onSqlite(w.world.db)), w.world.deps.subs, { notifiers: [w.notifier({ now })], now, log: w.world.log });
    expect(await d.drain()).toMatchObject({ sent: 1 });
    const body = JSON.parse(w.rx.at('/hook')[0]!.body.toString()) as { lines: string[]; text: string };
    // 2026-12-07 in UTC: Sunday 2026-12-06, New York's day, would make the break 16 days old.
    expect(body.lines[0]).toContain('from 2026-11-27, 10 days ago:');
    expect(body.text).toContain('on 2026-11-20 (17 days ago)');
  });

  test("GIVEN two hooks, one refusing the digest until after midnight UTC THEN its retry says the next day's count, not the body made for the other hook the day before", async () => {
    const a = await w.add('/a');
    const b = await w.add('/b');
    const subs = [(await w.world.deps.subs.get('webhook', a.id))!.id, (await w.world.deps.subs.get('webhook', b.id))!.id];
    await new OutboxStore(onSqlite(w.world.db)).enqueue('digest', digestOf(STALE), subs);
    w.rx.queued.set('/b', [{ status: 503 }]);
    const clock = { now: Date.parse('2026-12-06T23:50:00Z') };
    const now = () => clock.now;
    // One notifier and dispatcher throughout, as in a running bot.
    const d = new Dispatcher(new OutboxStore(onSqlite(w.world.db)), w.world.deps.subs, {
      notifiers: [w.notifier({ now })],
      now,
      log: w.world.log,
      backoffMs: 1000,
    });
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 1 });
    clock.now = Date.parse('2026-12-07T00:10:00Z');
    expect(await d.drain()).toMatchObject({ sent: 1 });
    const text = (path: string) => (JSON.parse(w.rx.at(path).at(-1)!.body.toString()) as { text: string }).text;
    expect(text('/a')).toContain('on 2026-11-20 (16 days ago)');
    expect(text('/b')).toContain('on 2026-11-20 (17 days ago)');
  });
});
