/**
 * A digest sent late, after the next close arrived (the bot down over its time and back within six
 * hours, the close job having run first): it speaks of the newest close, the one its message is built
 * from, and that close is not sent again the next day. Real SQLite, the digest job's tick, the real
 * store, view and dispatcher.
 */
import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { openDatabase } from '../../src/store/db.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { DigestStore } from '../../src/store/digests.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { digestTick } from '../../src/schedule/digest-due.ts';
import { closesOf, quotesOf, seedCloses, storeClose } from '../helpers/digest-closes.ts';
import { RecordingNotifier, textOf } from '../helpers/recording.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

/**
 * A database holding the closes up to Monday 2026-11-23, one chat with a digest at `time` in `zone`,
 * and the digest job's deps on a clock the test moves (`clock.now`), starting at `startMs`.
 */
async function world(startMs: number, time: string, zone: string) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-digest-late-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'g.db');
  seedCloses(path, '2026-11-23');
  const db = openDatabase(path);
  cleanups.push(() => db.close());
  const store = onSqlite(db);
  const config = loadConfig({ DATABASE_PATH: path, DATA_DIR: dir });
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const digests = new DigestStore(store);
  const n = new RecordingNotifier();
  const clock = { now: startMs };
  const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => clock.now });
  const s = (await subs.upsert('telegram', '1'))!;
  await digests.set(s.id, time, zone, clock.now);
  const deps = { config, view: new MarketView(quotesOf(db)), digests, dispatcher, now: () => clock.now, log: memoryLogger('warn') };
  return { db, n, clock, deps };
}

test('GIVEN a 15:00 New York digest due Tuesday and sent at 17:45, after Tuesday’s close was stored THEN it is Tuesday’s digest, and Wednesday’s 15:00 sends no second one of Tuesday', async () => {
  // Monday 18:00 New York.
  const { db, n, clock, deps } = await world(Date.parse('2026-11-23T23:00:00Z'), '15:00', 'America/New_York');
  // Down from Tuesday 14:00 to 17:45 New York; the close job stored Tuesday's close first.
  await storeClose(db, '2026-11-24');
  clock.now = Date.parse('2026-11-24T22:45:00Z');
  await digestTick(deps);
  clock.now = Date.parse('2026-11-25T20:00:00Z'); // Wednesday 15:00: the close of Tuesday is the last before it
  await digestTick(deps);
  expect(n.got.map((d) => d.message.title)).toEqual([expect.stringContaining('2026-11-24')]);
});

test('GIVEN Tuesday’s SPX close stored and QQQ’s not, six hours past an 08:00 Taipei digest THEN it goes out with SPX/Gold of Tuesday and QQQ/Gold as of Monday, and does not say Tuesday’s close has not reached the bot', async () => {
  const { db, n, clock, deps } = await world(Date.parse('2026-11-24T01:00:00Z'), '08:00', 'Asia/Taipei');
  // Tuesday's close: SPX and gold stored, QQQ's source failing.
  const tuesday = closesOf('2026-11-24');
  await quotesOf(db).upsertCloses('gold', [tuesday.gold]);
  await quotesOf(db).upsertCloses('spx', [tuesday.spx]);
  // Wednesday 08:00 Taipei, and every half hour until it has waited six hours for QQQ.
  for (clock.now = Date.parse('2026-11-25T00:00:00Z'); clock.now <= Date.parse('2026-11-25T06:30:00Z'); clock.now += 30 * 60_000) await digestTick(deps);
  expect(n.got).toHaveLength(1);
  const text = textOf(n.got[0]!);
  expect(text).toContain('US close of 2026-11-24');
  expect(text).toContain('QQQ/Gold 0.1602 as of 2026-11-23, its last close');
  expect(text).not.toContain('has not reached the bot');
});

test('GIVEN three chats at 07:00 and 08:00 Taipei and Friday’s close sent Saturday WHEN Sunday’s slots come with no US close since THEN one info line for the tick names the 3 chats and their next digest, Tuesday 07:00 Taipei; none on Saturday', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-digest-weekend-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'g.db');
  seedCloses(path, '2026-11-20');
  const db = openDatabase(path);
  cleanups.push(() => db.close());
  const store = onSqlite(db);
  const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
  const digests = new DigestStore(store);
  const n = new RecordingNotifier();
  // Friday 2026-11-20, 17:00 New York: its close stored, the chats' first slots still to come.
  const clock = { now: Date.parse('2026-11-20T22:00:00Z') };
  for (const [chat, time] of [
    ['1', '07:00'],
    ['2', '08:00'],
    ['3', '08:00'],
  ] as const)
    await digests.set((await subs.upsert('telegram', chat))!.id, time, 'Asia/Taipei', clock.now);
  const log = memoryLogger();
  const dispatcher = new Dispatcher(new OutboxStore(store), subs, { notifiers: [n], now: () => clock.now });
  const deps = {
    config: loadConfig({ DATABASE_PATH: path, DATA_DIR: dir }),
    view: new MarketView(quotesOf(db)),
    digests,
    dispatcher,
    now: () => clock.now,
    log,
  };
  const said = () => log.lines.filter((l) => l.includes('no US close since'));

  // Saturday 08:30 Taipei: both slots send Friday's close.
  clock.now = Date.parse('2026-11-21T00:30:00Z');
  await digestTick(deps);
  expect(n.got).toHaveLength(3);
  expect(said()).toEqual([]);
  // Sunday 08:30 Taipei: both slots due, no close since Saturday's.
  clock.now = Date.parse('2026-11-22T00:30:00Z');
  await digestTick(deps);
  expect(n.got).toHaveLength(3);
  expect(said()).toEqual([
    expect.stringMatching(
      /INFO {2}test\/digest: 3 chat\(s\) due with no US close since their last digest \(weekend or holiday\): next on 2026-11-23T23:00:00\.000Z$/,
    ),
  ]);
});
