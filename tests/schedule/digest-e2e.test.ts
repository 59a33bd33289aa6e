/**
 * The digest through the whole path on a fixed clock: config → startApp (the composition root) →
 * /digest typed in Telegram → the digest job each hour → digest rows → the Telegram notifier → the
 * Telegram fake. Closes "arrive" as the close job would store them, 90 minutes after 16:00 New York
 * on NYSE trading days only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { createRenderPool, type RenderPool } from '../../src/charts/pool.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { closeInstant } from '../../src/domain/digest-schedule.ts';
import { FakeTelegram, type RecordedCall } from '../fakes/telegram.ts';
import { CLOCK_DRIVEN_ENV } from '../helpers/app.ts';
import { telegramEnv } from '../helpers/telegram-harness.ts';
import { quotesOf, seedCloses, storeClose } from '../helpers/digest-closes.ts';

const HOUR = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * The digests are drawn as production draws them, in a render worker (CHART_WORKERS' pool): one pool for
 * the file's apps (a worker's start costs ~0.8 s of CPU), the owner's to stop.
 */
let workers: RenderPool;
/** The digests' stacks drawn, as the pool was asked for them. */
let stacks = 0;
/** The pool, counting the digests it is asked for (the worker's own count has every chart). */
const pool: RenderPool = {
  size: 1,
  completed: () => workers.completed(),
  render: (spec) => workers.render(spec),
  renderStack: (specs) => {
    stacks++;
    return workers.renderStack(specs);
  },
  close: () => workers.close(),
};
beforeAll(() => {
  workers = createRenderPool(1);
});
afterAll(() => workers.close());

interface Rig {
  readonly tg: FakeTelegram;
  readonly config: Config;
  readonly clock: { now: number };
  app: App;
  readonly log: ReturnType<typeof memoryLogger>;
  /** Sends to chats, with the fake clock at the time they were made. */
  readonly sends: { chatId: string; at: number; call: RecordedCall }[];
  /** Closes that do not arrive (a source down) until taken out of here. */
  readonly held: Set<string>;
}

async function rig(startIso: string, lastClose: string): Promise<Rig> {
  const tg = await FakeTelegram.start();
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-digest-'));
  cleanups.push(
    () => tg.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    ...telegramEnv(tg),
    // Nothing reaches a quote source in this test; the closes arrive through storeClose.
    ...CLOCK_DRIVEN_ENV,
  });
  seedCloses(config.databasePath, lastClose);
  const clock = { now: Date.parse(startIso) };
  const log = memoryLogger('info');
  const r: Rig = { tg, config, clock, log, sends: [], held: new Set(), app: undefined as unknown as App };
  r.app = await start(r);
  return r;
}

async function start(r: Rig): Promise<App> {
  const app = await startApp(r.config, r.log, { now: () => r.clock.now, skipInitialSync: true, out: () => {}, charts: pool });
  cleanups.push(() => app.stop());
  // Telegram up: until its start has said who the bot is, it sends nothing (platforms/owner.ts).
  await app.ready;
  return app;
}

/** Types a command in a chat and waits for the bot's answer. */
async function type(r: Rig, chatId: number, text: string, language_code = 'en'): Promise<string> {
  const before = r.tg.callsTo('sendMessage', chatId).length;
  r.tg.textMessage(chatId, text, { id: chatId, first_name: 'U', language_code });
  await r.tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId) && r.tg.callsTo('sendMessage', chatId).length > before);
  return String(r.tg.callsTo('sendMessage', chatId).at(-1)!.params.text);
}

/** Records the digest photos that went out since the last call, at the fake time. */
function collect(r: Rig): void {
  const seen = new Set(r.sends.map((s) => s.call));
  for (const c of r.tg.calls) if (c.method === 'sendPhoto' && c.status === 200 && !seen.has(c)) r.sends.push({ chatId: c.chatId!, at: r.clock.now, call: c });
}

/** One scheduler tick at the fake `now` (as the minute cron would run it), with closes arriving on time. */
async function tick(r: Rig, iso: number | string): Promise<void> {
  r.clock.now = typeof iso === 'number' ? iso : Date.parse(iso);
  const db = r.app.db;
  const last = (await quotesOf(db).lastClose('spx'))!.date;
  for (let d = addDays(last, 1); closeInstant(d) + 1.5 * HOUR <= r.clock.now; d = addDays(d, 1)) if (isTradingDay(d) && !r.held.has(d)) await storeClose(db, d);
  for (;;) {
    const outcome = await r.app.scheduler.trigger('digest', { now: new Date(r.clock.now) });
    if (outcome !== 'skipped-overlap') break; // the real minute cron happened to be running: run ours after it
  }
  collect(r);
}

const sentTo = (r: Rig, chatId: number) => r.sends.filter((s) => s.chatId === String(chatId)).map((s) => new Date(s.at).toISOString().slice(0, 16));

/** Ticks every hour from `fromIso` to `toIso` (the minute cron, run on the hours that matter). */
async function ticks(r: Rig, fromIso: string, toIso: string): Promise<void> {
  for (let t = Date.parse(fromIso); t <= Date.parse(toIso); t += HOUR) await tick(r, t);
}

const CHATS = [501, 502, 503, 601, 701];

/** Digests at 08:00 Taipei (en, zh-TW, en), 18:00 New York and 09:00 London; the bot's answers, in that order. */
async function subscribeAll(r: Rig): Promise<string[]> {
  return [
    await type(r, 501, '/digest 08:00 Asia/Taipei'),
    await type(r, 502, '/digest 08:00 Asia/Taipei', 'zh-hant'),
    await type(r, 503, '/digest 08:00 Asia/Taipei'),
    await type(r, 601, '/digest 18:00 America/New_York'),
    await type(r, 701, '/digest 09:00 Europe/London'),
  ];
}

/** Never on a local Sunday or Monday in Taipei, never on a Saturday or Sunday in New York, once per local day. */
function expectLocalDays(r: Rig): void {
  const weekday = (iso: string, offsetH: number) => new Date(Date.parse(`${iso}Z`) + offsetH * HOUR).getUTCDay();
  expect(sentTo(r, 501).every((s) => ![0, 1].includes(weekday(s, 8)))).toBe(true);
  expect(sentTo(r, 601).every((s) => ![0, 6].includes(weekday(s, -5)))).toBe(true);
  for (const chat of CHATS) expect(new Set(sentTo(r, chat).map((s) => s.slice(0, 10))).size).toBe(sentTo(r, chat).length);
  expect(sentTo(r, 502)).toEqual(sentTo(r, 501));
  expect(sentTo(r, 503)).toEqual(sentTo(r, 501));
}

/** Every digest row delivered: one per chat and close, and one stored message per close for every chat and language. */
function expectAllDelivered(r: Rig, closes: number): void {
  expect(
    r.app.db.prepare("SELECT o.status, count(*) AS n FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.kind = 'digest' GROUP BY o.status").all(),
  ).toEqual([{ status: 'sent', n: closes * CHATS.length }]);
  // One slot per digest time and zone in use, each moved on past the last digest.
  expect(r.app.db.prepare('SELECT count(*) AS n FROM digest_slots').get()).toEqual({
    n: new Set(
      r.app.db
        .prepare<[], { k: string }>("SELECT digest_time || ' ' || timezone AS k FROM subscriptions WHERE digest_time IS NOT NULL")
        .all()
        .map((x) => x.k),
    ).size,
  });
  expect(r.app.db.prepare("SELECT count(*) AS n FROM messages WHERE kind = 'digest'").get()).toEqual({ n: closes });
}

// Windows of the autumn, each ticked hour by hour: the weeks between them hold nothing new (each
// digest is a render per language, the slow part of this file).
describe('the daily digest on a fixed clock', () => {
  test('GIVEN chats in Taipei (en, zh-TW, en), New York and London over each autumn clock change (London 2026-10-25, New York 2026-11-01), from the Friday before to the Tuesday after THEN one digest per local day after each US close, weekends respected', {
    timeout: 60_000,
  }, async () => {
    // London's change: Friday 2026-10-23 to Tuesday 2026-10-27. (The days between the two changes,
    // Tuesday to Friday, hold nothing the days around them do not: a render per language each.)
    const r = await rig('2026-10-23T12:00:00Z', '2026-10-22');
    const answers = await subscribeAll(r);
    expect(answers[0]).toBe('Daily digest set for 08:00 (Taipei time). Next: 2026-10-24 08:00 (Taipei time).');
    expect(answers[1]).toBe('每日摘要已設為 08:00（台北時間）。下一次：2026年10月24日 08:00（台北時間）。');
    expect(await type(r, 701, '/digest')).toBe('Daily digest at 09:00 (London time). Next: 2026-10-24 09:00 (London time).');

    await ticks(r, '2026-10-23T13:00:00Z', '2026-10-27T12:00:00Z');

    // London: 09:00 local is 08:00 UTC in summer time, 09:00 UTC after 2026-10-25; Tuesday to Saturday
    // (09:00 London is before the New York open: it speaks about the day before).
    expect(sentTo(r, 701)).toEqual(['2026-10-24T08:00', '2026-10-27T09:00']);
    // New York: 18:00 local is 22:00 UTC until 2026-11-01; trading days only.
    expect(sentTo(r, 601)).toEqual(['2026-10-23T22:00', '2026-10-26T22:00']);
    // Taipei 08:00 (00:00 UTC, no summer time) follows the US close: Tuesday to Saturday.
    expect(sentTo(r, 501)).toEqual(['2026-10-24T00:00', '2026-10-27T00:00']);
    expectLocalDays(r);
    // 2026-10-23 and 2026-10-26: one digest each, per chat.
    expectAllDelivered(r, 2);

    // New York's change: Friday 2026-10-30 to Tuesday 2026-11-03, the same chats.
    const ny = await rig('2026-10-30T12:00:00Z', '2026-10-29');
    await subscribeAll(ny);
    await ticks(ny, '2026-10-30T13:00:00Z', '2026-11-03T12:00:00Z');
    // 18:00 New York is 22:00 UTC until 2026-11-01, 23:00 UTC after.
    expect(sentTo(ny, 601)).toEqual(['2026-10-30T22:00', '2026-11-02T23:00']);
    // London, in winter time since the week before: 09:00 UTC; nothing new on Monday (Friday's close told).
    expect(sentTo(ny, 701)).toEqual(['2026-10-31T09:00', '2026-11-03T09:00']);
    expect(sentTo(ny, 501)).toEqual(['2026-10-31T00:00', '2026-11-03T00:00']);
    expectLocalDays(ny);
    expectAllDelivered(ny, 2);
  });

  test('GIVEN the same chats over Thanksgiving week, Friday 2026-11-20 to Saturday 2026-11-28 THEN no digest about the holiday, the half day counts, and one render and upload per language for each close', {
    timeout: 60_000,
  }, async () => {
    const r = await rig('2026-11-20T12:00:00Z', '2026-11-19');
    await subscribeAll(r);
    const [drawnBefore, stacksBefore] = [pool.completed(), stacks];
    await ticks(r, '2026-11-20T13:00:00Z', '2026-11-28T12:00:00Z');

    // Thanksgiving week in New York: nothing on Thursday 2026-11-26, the half day on Friday counts.
    expect(sentTo(r, 601)).toEqual(['2026-11-20T23:00', '2026-11-23T23:00', '2026-11-24T23:00', '2026-11-25T23:00', '2026-11-27T23:00']);
    // Taipei: no digest on Friday 2026-11-27 (Thursday in New York was Thanksgiving).
    expect(sentTo(r, 501)).toEqual(['2026-11-21T00:00', '2026-11-24T00:00', '2026-11-25T00:00', '2026-11-26T00:00', '2026-11-28T00:00']);
    expect(sentTo(r, 701)).toEqual(['2026-11-21T09:00', '2026-11-24T09:00', '2026-11-25T09:00', '2026-11-26T09:00', '2026-11-28T09:00']);
    expectLocalDays(r);

    // The digests about Monday 2026-11-23's close (New York that evening, Taipei and London the next
    // morning): one render and one upload per language, every other chat by file_id.
    const sameClose = r.sends.filter((s) => /US close of 2026-11-23|美股2026年11月23日/.test(String(s.call.params.caption)));
    expect(sameClose.map((s) => s.chatId).sort()).toEqual(['501', '502', '503', '601', '701']);
    const uploads = sameClose.filter((s) => s.call.files.length > 0);
    expect(uploads.map((s) => s.chatId).sort()).toEqual(['502', '601']);
    expect(uploads.every((s) => s.call.files[0]!.bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])))).toBe(true);
    expect(sameClose.filter((s) => s.call.files.length === 0).every((s) => typeof s.call.params.photo === 'string')).toBe(true);
    const slot = r.sends.filter((s) => new Date(s.at).toISOString() === '2026-11-24T00:00:00.000Z');
    expect(slot.map((s) => s.chatId).sort()).toEqual(['501', '502', '503']);

    const en = String(slot.find((s) => s.chatId === '501')!.call.params.caption);
    const zh = String(slot.find((s) => s.chatId === '502')!.call.params.caption);
    expect(en).toMatch(/^<b>goldratio digest · US close of 2026-11-23<\/b>\nSPX\/Gold 1\.\d{3} · 1D [+-]/);
    expect(en).toContain('\nQQQ/Gold 0.1');
    expect(en).toMatch(/\nS&amp;P 500 [+-]?(?:&lt;)?[\d,.]+% in USD, [+-]?(?:&lt;)?[\d,.]+% in gold, \+?(?:&lt;)?[\d,.]+% (above|below) M2\n/);
    expect(en).toMatch(/\nQQQ [+-]?(?:&lt;)?[\d,.]+% in USD, [+-]?(?:&lt;)?[\d,.]+% in gold, \+?(?:&lt;)?[\d,.]+% (above|below) M2\n/);
    expect(en.length).toBeLessThanOrEqual(1024 + 40); // escaped '&amp;' is counted as one visible character by Telegram
    expect(zh).toMatch(/^<b>goldratio 每日摘要 · 美股2026年11月23日收盤<\/b>\n標普500\/黃金 1\.\d{3}/);
    expect(zh).toMatch(/\n標普500：美元計價 [+-]?(?:&lt;)?[\d,.]+%，黃金計價 [+-]?(?:&lt;)?[\d,.]+%，(跑贏|落後) M2/);
    // 2026-11-20 .. 2026-11-27 holds 5 NYSE trading days (Thanksgiving excluded): one digest each, per chat.
    expectAllDelivered(r, 5);
    // Each digest uploaded was drawn in the render worker, none on the main thread: 5 closes, 2 languages.
    expect(r.sends.filter((s) => s.call.files.length > 0)).toHaveLength(10);
    expect(stacks - stacksBefore).toBe(10);
    expect(pool.completed() - drawnBefore).toBeGreaterThanOrEqual(10);
  });
});

describe('a close that comes late', () => {
  test('GIVEN a digest due before its close is stored THEN it waits and goes out when the close arrives, once; a close that does not come in 6 hours THEN it goes out without it and says so', {
    timeout: 60_000,
  }, async () => {
    // Monday 2026-10-26; 17:00 New York is 21:00 UTC, the close is stored at 21:30 UTC.
    const r = await rig('2026-10-26T12:00:00Z', '2026-10-23');
    await type(r, 801, '/digest 17:00 America/New_York');
    await type(r, 802, '/digest 17:00 America/New_York', 'zh-hant');
    await tick(r, '2026-10-26T21:00:00Z');
    expect(sentTo(r, 801)).toEqual([]);
    // Still due today, as /digest promised.
    expect(await type(r, 801, '/digest')).toBe('Daily digest at 17:00 (New York time). Next: 2026-10-26 17:00 (New York time).');
    await tick(r, '2026-10-26T21:30:00Z');
    await ticks(r, '2026-10-26T22:00:00Z', '2026-10-27T20:00:00Z');
    expect(sentTo(r, 801)).toEqual(['2026-10-26T21:30']);
    expect(String(r.sends.at(-1)!.call.params.caption)).toMatch(/US close of 2026-10-26|美股2026年10月26日/);
    expect(r.log.lines.filter((l) => /wait for the US close of 2026-10-26/.test(l))).toHaveLength(1);

    // Tuesday's close does not come: after 6 hours of waiting the digest goes out with Monday's, saying so.
    r.held.add('2026-10-27');
    await ticks(r, '2026-10-27T21:00:00Z', '2026-10-28T05:00:00Z');
    expect(sentTo(r, 801)).toEqual(['2026-10-26T21:30', '2026-10-28T03:00']);
    expect(sentTo(r, 802)).toEqual(sentTo(r, 801));
    const last = (chat: number) => String(r.sends.filter((s) => s.chatId === String(chat)).at(-1)!.call.params.caption);
    expect(last(801)).toContain('US close of 2026-10-26');
    expect(last(801)).toContain('The US close of 2026-10-27 has not reached the bot yet: this digest speaks about the closes to 2026-10-26.');
    expect(last(802)).toContain('美股2026年10月27日的收盤尚未送達，本摘要以截至2026年10月26日的收盤為準。');

    // It comes on Wednesday with Wednesday's: the next digest as usual, nothing sent twice.
    r.held.clear();
    await ticks(r, '2026-10-28T06:00:00Z', '2026-10-29T05:00:00Z');
    expect(sentTo(r, 801)).toEqual(['2026-10-26T21:30', '2026-10-28T03:00', '2026-10-28T22:00']);
    expect(last(801)).toContain('US close of 2026-10-28');
  });
});

describe('restarts', () => {
  test('GIVEN a restart right after sending, 3 hours after the due time, and 7 hours after THEN never twice, sent late once, skipped and logged', {
    timeout: 60_000,
  }, async () => {
    // Monday 2026-11-16, 12:00 UTC; New York 18:00 is 23:00 UTC.
    const r = await rig('2026-11-16T12:00:00Z', '2026-11-13');
    await type(r, 601, '/digest 18:00 America/New_York');
    await tick(r, '2026-11-16T23:00:00Z');
    expect(sentTo(r, 601)).toEqual(['2026-11-16T23:00']);

    // Restart a minute after the send: the start-time check and the next ticks send nothing more.
    await r.app.stop();
    r.clock.now = Date.parse('2026-11-16T23:01:00Z');
    r.app = await start(r);
    collect(r);
    await tick(r, '2026-11-16T23:01:30Z');
    await tick(r, '2026-11-17T00:00:00Z');
    expect(sentTo(r, 601)).toEqual(['2026-11-16T23:00']);

    // Down from Tuesday 22:00 UTC; back at 02:00 UTC Wednesday, 3 hours after Tuesday's 18:00: sent at start.
    await tick(r, '2026-11-17T22:00:00Z');
    await r.app.stop();
    r.clock.now = Date.parse('2026-11-18T02:00:00Z');
    await withDb(r, (db) => storeClose(db, '2026-11-17'));
    r.app = await start(r);
    // Sent once Telegram has said who it is (its start): the fake clock stands still meanwhile.
    await r.tg.waitFor(() => r.tg.callsTo('sendPhoto', 601).filter((c) => c.status === 200).length === 2);
    collect(r);
    expect(sentTo(r, 601)).toEqual(['2026-11-16T23:00', '2026-11-18T02:00']);
    expect(String(r.sends.at(-1)!.call.params.caption)).toContain('US close of 2026-11-17');

    // Down from Wednesday 22:00 UTC; back at 06:00 UTC Thursday, 7 hours late: skipped and logged.
    await tick(r, '2026-11-18T22:00:00Z');
    await r.app.stop();
    r.clock.now = Date.parse('2026-11-19T06:00:00Z');
    await withDb(r, (db) => storeClose(db, '2026-11-18'));
    r.app = await start(r);
    collect(r);
    expect(sentTo(r, 601)).toHaveLength(2);
    expect(r.log.lines.some((l) => /1 digest\(s\) due 2026-11-18T23:00:00.000Z \(18:00 America\/New_York\) skipped for the day: 420 min late/.test(l))).toBe(
      true,
    );
    // The next day goes out as usual.
    await tick(r, '2026-11-19T23:00:00Z');
    expect(sentTo(r, 601)).toEqual(['2026-11-16T23:00', '2026-11-18T02:00', '2026-11-19T23:00']);
  });
});

/** Ticks every half hour (a digest at a half-hour offset or in a DST gap falls between the hours). */
async function halfHourTicks(r: Rig, fromIso: string, toIso: string): Promise<void> {
  for (let t = Date.parse(fromIso); t <= Date.parse(toIso); t += HOUR / 2) await tick(r, t);
}

describe('a digest at a time the spring-forward day skips, and at half-hour offsets', () => {
  test('GIVEN 02:30 New York over 2026-03-08 (02:00 EST → 03:00 EDT) and 08:00 UTC+5:45 THEN each close once: the slot of the gap day moves forward by the gap, nothing skipped or doubled', {
    timeout: 60_000,
  }, async () => {
    const r = await rig('2026-03-06T12:00:00Z', '2026-03-05');
    expect(await type(r, 601, '/digest 02:30 America/New_York')).toBe('Daily digest set for 02:30 (New York time). Next: 2026-03-07 02:30 (New York time).');
    expect((await type(r, 701, '/digest 08:00 UTC+5:45')).split('\n')[0]).toBe('Daily digest set for 08:00 (UTC+5:45). Next: 2026-03-07 08:00 (UTC+5:45).');
    await halfHourTicks(r, '2026-03-06T12:30:00Z', '2026-03-10T12:00:00Z');
    // Sat 02:30 EST (07:30Z): Friday's close. Sun: 02:30 does not exist, due at 03:30 EDT (07:30Z), no
    // close since Saturday's. Mon 02:30 EDT: Friday's again, already told. Tue 02:30 EDT (06:30Z): Monday's.
    expect(sentTo(r, 601)).toEqual(['2026-03-07T07:30', '2026-03-10T06:30']);
    // 08:00 at UTC+5:45 is 02:15Z, ticked at 02:30Z: Friday's close on Saturday, Monday's on Tuesday.
    expect(sentTo(r, 701)).toEqual(['2026-03-07T02:30', '2026-03-10T02:30']);
    expect(r.sends.map((s) => String(s.call.params.caption).match(/US close of (\d{4}-\d{2}-\d{2})/)?.[1])).toEqual([
      '2026-03-06',
      '2026-03-06',
      '2026-03-09',
      '2026-03-09',
    ]);
  });

  test('GIVEN 02:30 Adelaide over 2026-10-04 (02:00 ACST → 03:00 ACDT, a Sunday that follows a US close) THEN that digest goes out once, moved forward by the gap (03:30 ACDT)', {
    timeout: 60_000,
  }, async () => {
    const r = await rig('2026-10-02T00:00:00Z', '2026-10-01');
    expect(await type(r, 801, '/digest 02:30 australia/adelaide')).toBe('Daily digest set for 02:30 (Adelaide time). Next: 2026-10-03 02:30 (Adelaide time).');
    await halfHourTicks(r, '2026-10-02T00:30:00Z', '2026-10-06T16:00:00Z');
    // Sat 02:30 ACST (Fri 17:00Z): Thursday's close. Sun 02:30 does not exist: moved forward by the
    // hour skipped, 03:30 ACDT (Sat 17:00Z), Friday's close. Mon and Tue 02:30 ACDT: nothing new.
    // Wed 02:30 ACDT (Tue 16:00Z): Monday's.
    expect(sentTo(r, 801)).toEqual(['2026-10-02T17:00', '2026-10-03T17:00', '2026-10-06T16:00']);
    expect(r.sends.map((s) => String(s.call.params.caption).match(/US close of (\d{4}-\d{2}-\d{2})/)?.[1])).toEqual(['2026-10-01', '2026-10-02', '2026-10-05']);
  });
});

/** The database file between two runs of the app (as if the close job had run before the crash). */
async function withDb(r: Rig, f: (db: Db) => Promise<void> | void): Promise<void> {
  const db = openDatabase(r.config.databasePath);
  try {
    await f(db);
  } finally {
    db.close();
  }
}
