/**
 * The typed outbox: message kinds, a message stored once and read in each chat's language at send
 * time, migration of version-2 alert rows, the dispatcher's one retry policy, and a crash between
 * two parts of one send resuming at the missing part.
 */
import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, schemaVersion, type Db } from '../../src/store/db.ts';
import { m001 } from '../../src/store/migrations/001-quotes.ts';
import { m002 } from '../../src/store/migrations/002-alerts.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import type { Delivery, SendResult } from '../../src/alerts/notifier.ts';
import { localize, parseMessage, type Message } from '../../src/domain/message.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { CHILD_CHARTS, CHILD_PNG, partNotifier } from '../fakes/part-crash-child.ts';
import { drain } from '../fakes/drain-once.ts';
import { runChildScript } from '../helpers/process.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';
import { RecordingNotifier } from '../helpers/recording.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0)) await f();
});

function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-outbox-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'outbox.db');
}

function open(path = writeDatabase(tempPath())): { db: Db; subs: SubscriptionStore; outbox: OutboxStore } {
  const db = openDatabase(path);
  cleanups.unshift(() => {
    db.close();
  });
  return { db, subs: new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' }), outbox: new OutboxStore(onSqlite(db)) };
}

/** A digest-like message: both ratios as fields, keyed texts, literal numbers. */
const DIGEST: Message = {
  title: { key: 'alert.basis.close', params: { date: '2026-11-24' } },
  lines: [{ key: 'alert.cross-up', params: { pair: { key: 'pair.spx-gold' }, level: '2.500', value: '2.510', distance: '0.4%' } }, 'literal line'],
  fields: [
    { name: { key: 'pair.spx-gold' }, value: '1.391', inline: true },
    { name: { key: 'pair.qqq-gold' }, value: '0.1500', inline: true },
  ],
  footer: { en: 'sources: yahoo', 'zh-TW': '來源：yahoo' },
  chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' },
};

describe('messages and kinds', () => {
  test('GIVEN a digest enqueued for three chats, one inactive THEN two rows of kind digest, one stored message, and a second enqueue under the same key adds nothing', async () => {
    const { subs, outbox } = open();
    const a = await subs.upsert('telegram', '1');
    const b = await subs.upsert('discord', 'c2', { lang: 'zh-TW' });
    const gone = await subs.upsert('telegram', '3');
    await subs.deactivate('telegram', '3', 'blocked');
    const first = await outbox.enqueue('digest', DIGEST, [a.id, b.id, gone.id], { dedupeKey: 'digest:2026-11-24', nowMs: 5 });
    expect(first.queued).toBe(2);
    expect(await outbox.enqueue('digest', DIGEST, [a.id, b.id], { dedupeKey: 'digest:2026-11-24', nowMs: 6 })).toEqual({
      messageId: first.messageId,
      queued: 0,
    });
    const rows = [...(await outbox.due('telegram', 10, 10)), ...(await outbox.due('discord', 10, 10))];
    expect(rows.map((r) => [r.kind, r.chatId, r.lang, r.messageId])).toEqual([
      ['digest', '1', 'en', first.messageId],
      ['digest', 'c2', 'zh-TW', first.messageId],
    ]);
    const parsed = parseMessage(rows[0]!.body);
    expect(parsed).toEqual({ ok: true, message: DIGEST });
  });

  test('GIVEN a stored message THEN it reads in each language, parameters that are keys translated too', async () => {
    expect(localize(DIGEST, 'en')).toEqual({
      lang: 'en',
      title: 'Daily close of 2026-11-24',
      lines: ['SPX/Gold broke above 2.500: now 2.510', 'literal line'],
      fields: [
        { name: 'SPX/Gold', value: '1.391', inline: true },
        { name: 'QQQ/Gold', value: '0.1500', inline: true },
      ],
      footer: 'sources: yahoo',
      chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' },
      mention: false,
      tone: undefined,
    });
    expect(localize(DIGEST, 'zh-TW').lines[0]).toBe('標普500/黃金向上突破 2.500：目前 2.510');
    expect(localize(DIGEST, 'zh-CN').lines[0]).toBe('标普500/黄金向上突破 2.500：当前 2.510');
    expect(localize(DIGEST, 'zh-TW').footer).toBe('來源：yahoo');
  });

  test.each([
    ['not JSON', '{', 'message is not JSON'],
    ['no lines', '{"title":"x"}', 'message lines must be texts'],
    ['a line that is no text', '{"lines":[{"nope":1}]}', 'message lines must be texts'],
    ['a field without value', '{"lines":[],"fields":[{"name":"a"}]}', 'message fields must have a name and a value'],
  ])('GIVEN a stored body with %s THEN parseMessage names the problem', (_name, body, error) => {
    expect(parseMessage(body)).toMatchObject({ ok: false, error: expect.stringContaining(error) });
  });

  test('GIVEN a chat that changes its language after the message was queued THEN it gets the message in the new language, the chart drawn in it', async () => {
    const { subs, outbox } = open();
    const s = await subs.upsert('telegram', '1');
    await outbox.enqueue('digest', DIGEST, [s.id]);
    await subs.upsert('telegram', '1', { lang: 'zh-TW' });
    const n = new RecordingNotifier();
    const drawn: string[] = [];
    const charts = {
      render: async (_req: unknown, o: { lang: string }) => {
        drawn.push(o.lang);
        return { png: Buffer.from('png'), key: 'k', filename: 'c.png' };
      },
    };
    expect(await new Dispatcher(outbox, subs, { notifiers: [n], charts }).drain()).toMatchObject({ sent: 1 });
    expect(n.got[0]).toMatchObject({ kind: 'digest', lang: 'zh-TW', fromPart: 0, mention: null });
    expect(n.got[0]?.message.title).toBe('2026-11-24收盤');
    expect(drawn).toEqual(['zh-TW']);
  });

  test('GIVEN a message asking for a mention THEN only a chat that set one gets it', async () => {
    const { subs, outbox } = open();
    const withRole = await subs.upsert('telegram', '1', { mention: '<@&42>' });
    const without = await subs.upsert('telegram', '2');
    await outbox.enqueue('alert', { ...DIGEST, mention: true }, [withRole.id, without.id]);
    await outbox.enqueue('digest', DIGEST, [withRole.id]);
    const n = new RecordingNotifier();
    await new Dispatcher(outbox, subs, { notifiers: [n] }).drain();
    expect(n.got.map((d) => [d.kind, d.chatId, d.mention])).toEqual([
      ['alert', '1', '<@&42>'],
      ['alert', '2', null],
      ['digest', '1', null],
    ]);
  });

  test('GIVEN a row whose stored body is broken THEN that row is given up with the reason and the rest is sent', async () => {
    const { db, subs, outbox } = open();
    const s = await subs.upsert('telegram', '1');
    const bad = await outbox.enqueue('digest', DIGEST, [s.id]);
    await outbox.enqueue('digest', DIGEST, [s.id]);
    db.prepare('UPDATE messages SET body = \'{"lines":7}\' WHERE id = ?').run(bad.messageId);
    const n = new RecordingNotifier();
    expect(await new Dispatcher(outbox, subs, { notifiers: [n] }).drain()).toMatchObject({ sent: 1, failed: 1 });
    const rows = db.prepare('SELECT status, last_error FROM outbox ORDER BY id').all();
    expect(rows).toEqual([
      { status: 'dead', last_error: 'message lines must be texts' },
      { status: 'sent', last_error: null },
    ]);
  });
});

describe('migration of version-2 alert rows', () => {
  test("GIVEN a version-2 database with a pending and a sent alert row THEN both point at the event's alert message, and the pending one is delivered", async () => {
    const path = tempPath();
    const old = openDatabase(path, [m001, m002]);
    old.exec(`
      INSERT INTO subscriptions (id, platform, chat_id, pairs, level_ids, custom_levels, approach_pct, lang, created_at, updated_at)
        VALUES (1, 'telegram', '7', '["spx-gold"]', 'all', '[]', 3, 'zh-TW', 1, 1), (2, 'telegram', '8', '["spx-gold"]', 'all', '[]', 3, 'en', 1, 1);
      INSERT INTO events (id, date, pair, level_id, watch_key, kind, direction, value, level_value, basis, created_at)
        VALUES (5, '2024-01-03', 'spx-gold', 'spx-gold-2.5', 'spx-gold-2.5', 'cross-up', 'up', 2.6, 2.5, 'close', 1);
      INSERT INTO outbox (id, event_id, subscription_id, platform, chat_id, status, attempts, next_at, created_at)
        VALUES (10, 5, 1, 'telegram', '7', 'pending', 2, 0, 1), (11, 5, 2, 'telegram', '8', 'sent', 1, 0, 1);
    `);
    old.close();
    const { db, subs, outbox } = open(path);
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3); // 3 and any later migration (004 digest)
    expect(await outbox.row(11)).toMatchObject({ status: 'sent' });
    const [row] = await outbox.due('telegram', 1, 10);
    expect(row).toMatchObject({ id: 10, kind: 'alert', chatId: '7', attempts: 2, partsSent: 0 });
    const n = new RecordingNotifier();
    // Sent right after it was decided (created_at 1): its value is "now".
    await new Dispatcher(outbox, subs, { notifiers: [n], now: () => 2 }).drain();
    expect(n.got.map((d) => d.message.title)).toEqual(['標普500/黃金向上突破 2.5：目前 2.600']);
    expect(n.got[0]?.message.chart).toEqual({ kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2024-01-03', value: 2.6, event: 'cross-up' });
    expect(await outbox.pendingCount()).toBe(0);
  });
});

describe('one retry policy, in the dispatcher', () => {
  test('GIVEN repeated 5xx (a retry without a delay) THEN the backoff doubles per try, is capped, and a new row starts again at the base', async () => {
    const { subs, outbox } = open();
    const s = await subs.upsert('telegram', '5');
    const first = await outbox.enqueue('alert', DIGEST, [s.id]);
    let now = 1_000_000;
    let failures = 5;
    const n = new RecordingNotifier({ script: () => (failures-- > 0 ? { kind: 'retry', reason: 'Internal Server Error' } : { kind: 'sent' }) });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => now, backoffMs: 1000, maxBackoffMs: 8000 });
    const rowId = (await outbox.due('telegram', now, 1))[0]!.id;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await d.drain();
      const r = (await outbox.row(rowId))!;
      waits.push(r.nextAt - now);
      now = r.nextAt;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(await d.drain()).toMatchObject({ sent: 1 });
    expect(await outbox.row(rowId)).toMatchObject({ status: 'sent', attempts: 6 });
    failures = 1;
    const second = await outbox.enqueue('alert', DIGEST, [s.id]);
    expect(second.messageId).not.toBe(first.messageId);
    await d.drain();
    const again = (await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 1))[0]!;
    expect((await outbox.row(again.id))!.nextAt - now).toBe(1000);
  });

  test('GIVEN a global 429 THEN the row waits exactly retry_after and sends waiting behind it hold without calling the platform', async () => {
    const { subs, outbox } = open();
    const ids = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c)).id));
    await outbox.enqueue('alert', DIGEST, ids);
    let now = 1_000_000;
    // Paced at 20/s: the second and third sends wait for their slots when the first one's 429 comes back.
    const n = new RecordingNotifier({
      script: (_d, k) => (k.all === 0 ? { kind: 'retry', afterMs: 60_000, reason: 'Too Many Requests: retry after 60', global: true } : { kind: 'sent' }),
      ratePerSecond: 20,
    });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], now: () => now, concurrency: 3, maxPauseWaitMs: 1_000, backoffMs: 5_000 });
    expect(await d.drain()).toMatchObject({ sent: 0, retried: 1 });
    // The two other sends were already queued for a slot when the 429 came: neither reached the platform.
    expect(n.got).toHaveLength(1);
    const rows = await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 10);
    const stored = await Promise.all(rows.map((r) => outbox.row(r.id)));
    // The 429 is the bot's, not the chat's: no attempt spent on it (a long one gives nothing up).
    expect(rows.map((r, i) => [r.chatId, stored[i]!.nextAt - 1_000_000, r.attempts])).toEqual([
      ['1', 60_000, 0],
      ['2', 60_000, 0],
      ['3', 60_000, 0],
    ]);
    now += 60_000;
    expect(await d.drain()).toMatchObject({ sent: 3 });
  });
  test('GIVEN a short global 429 THEN the drain waits it out and sends the rest after it, not during it', async () => {
    const { subs, outbox } = open();
    const ids = await Promise.all(['1', '2', '3'].map(async (c) => (await subs.upsert('telegram', c)).id));
    await outbox.enqueue('alert', DIGEST, ids);
    const at: number[] = [];
    const n = new RecordingNotifier({
      script: (_d, k) => {
        at.push(Date.now());
        return k.all === 0 ? { kind: 'retry', afterMs: 300, reason: 'Too Many Requests: retry after 0.3', global: true } : { kind: 'sent' };
      },
      ratePerSecond: 20,
    });
    const d = new Dispatcher(outbox, subs, { notifiers: [n], concurrency: 3, maxPauseWaitMs: 1_000 });
    // All three within this drain: the 429'd row is due again once the pause is over.
    expect(await d.drain()).toMatchObject({ sent: 3, retried: 1 });
    expect(at).toHaveLength(4);
    // Every later call went out only once the 300 ms were over (a little slack for the timer's granularity).
    expect(Math.min(...at.slice(1)) - at[0]!).toBeGreaterThanOrEqual(290);
  });
});

describe('a record that fails', () => {
  test('GIVEN the database refusing one row’s record (not busy) THEN the drain fails, but only after the sends beside it settled: nothing of its batch is sent after it returned', async () => {
    const { db, subs, outbox } = open();
    const ids = await Promise.all(Array.from({ length: 12 }, async (_, i) => (await subs.upsert('telegram', String(i + 1))).id));
    await outbox.enqueue('alert', { lines: ['a level break'] }, ids);
    const [first] = await outbox.due('telegram', Number.MAX_SAFE_INTEGER, 1);
    // The database itself refuses (as a full disk would): no module of ours is replaced.
    db.exec(
      `CREATE TRIGGER refuse BEFORE UPDATE OF parts_sent, sent_at, attempts ON outbox WHEN OLD.id = ${first!.id} BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    );
    // Each send takes a while, so the other workers are in flight when the first one's record fails.
    class Slow extends RecordingNotifier {
      override async send(d: Delivery): Promise<SendResult> {
        await new Promise((r) => setTimeout(r, 30));
        return super.send(d);
      }
    }
    const n = new Slow();
    const d = new Dispatcher(outbox, subs, { notifiers: [n], concurrency: 3 });
    await expect(d.drain()).rejects.toThrow(/disk I\/O error/);
    const sentByTheDrain = n.got.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(n.got.length).toBe(sentByTheDrain);
    // The failed row and the sends beside it, not the batch's other rows.
    expect(sentByTheDrain).toBeLessThanOrEqual(3);
  });
});

describe('a crash between two parts of one send', () => {
  const CHILD = fileURLToPath(new URL('../fakes/part-crash-child.ts', import.meta.url));

  const runChild = (args: string[]) => runChildScript(CHILD, args);

  test('GIVEN the process dies after the photo and before the text THEN the restart sends only the text, and the photo once', async () => {
    const fake = await FakeTelegram.start();
    cleanups.push(() => fake.close());
    const path = tempPath();
    const { db, subs, outbox } = open(path);
    const s = await subs.upsert('telegram', '77');
    // Longer than a caption: the photo carries the first part, a message the rest.
    const long: Message = { lines: ['First part <caption>', 'word '.repeat(300).trim()], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } };
    await outbox.enqueue('digest', long, [s.id]);
    const rowId = (await outbox.due('telegram', Date.now(), 1))[0]!.id;
    db.close();
    cleanups.shift();

    const crashed = await runChild([path, fake.apiRoot, fake.token, 'kill']);
    expect(crashed.signal, crashed.out).toBe('SIGKILL');
    expect(fake.callsTo('sendPhoto', '77').map((c) => c.status)).toEqual([200]);
    expect(fake.callsTo('sendMessage', '77')).toEqual([]);
    const mid = open(path);
    expect(await mid.outbox.row(rowId)).toMatchObject({ status: 'pending', partsSent: 1 });
    mid.db.close();
    cleanups.shift();

    // The restart: a new dispatcher on the file, as a restarted process's first drain (the child killed
    // mid-send is the process this is about; a second one to resume it was a start for nothing).
    const again = openDatabase(path);
    expect(await drain(again, partNotifier(fake.apiRoot, fake.token, false), CHILD_CHARTS)).toBe(1);
    again.close();
    const photos = fake.callsTo('sendPhoto', '77');
    expect(photos).toHaveLength(1);
    expect(photos[0]?.params.caption).toBe('First part &lt;caption&gt;');
    expect(photos[0]?.files[0]?.bytes.subarray(0, 8)).toEqual(CHILD_PNG.subarray(0, 8));
    const texts = fake.callsTo('sendMessage', '77');
    expect(texts.map((c) => [c.status, c.params.text])).toEqual([[200, 'word '.repeat(300).trim()]]);
    const after = open(path);
    // The last part is stored with the outcome: one write, not a parts count and then the status.
    expect(await after.outbox.row(rowId)).toMatchObject({ status: 'sent', partsSent: 1 });
  }, 60_000);
});
