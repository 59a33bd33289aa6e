/**
 * Quiet hours end to end, on a fixed clock: startApp with both platforms (the real grammY bot and
 * discord.js Client against tests/fakes) → /quiet typed in a Telegram chat and a Discord channel →
 * level alerts decided by the real pipeline at night in Taipei → held in the outbox, nothing sent
 * (a digest at the same moment is not held) → the app stopped and started again on the same SQLite
 * file → after 07:00 Taipei each chat gets ONE message listing the night's alerts in order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { QuietStore } from '../../src/store/quiet.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { addDays } from '../../src/domain/dates.ts';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { FakeDiscord, MANAGE_CHANNELS, slashInteraction, type RecordedRequest } from '../fakes/discord.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { CLOCK_DRIVEN_ENV } from '../helpers/app.ts';
import { discordEnv } from '../helpers/discord-harness.ts';
import { telegramEnv } from '../helpers/telegram-harness.ts';

const GUILD = '800000000000000001';
const CHANNEL = '700000000000000031';
const TG_CHAT = 502;
const USER = { id: TG_CHAT, first_name: 'U', language_code: 'en' };

let dir: string;
let tg: FakeTelegram;
let dc: FakeDiscord;
let config: Config;
let app: App;
// Monday 2026-11-23, 15:00 UTC = 23:00 in Taipei.
const clock = { now: Date.parse('2026-11-23T14:00:00Z') };
const start = () => startApp(config, memoryLogger('info'), { now: () => clock.now, skipInitialSync: true, out: () => {} });

beforeAll(async () => {
  tg = await FakeTelegram.start();
  dc = await FakeDiscord.start();
  dir = mkdtempSync(join(tmpdir(), 'goldratio-quiet-'));
  config = loadConfig({
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    ...telegramEnv(tg),
    ...discordEnv(dc),
    ...CLOCK_DRIVEN_ENV,
    // The test drains the outbox itself, at the instants it chooses.
    CRON_DISPATCH: '0 0 1 1 *',
    // Charts on the main thread: a render worker would only be started and stopped (the pool is
    // tested in tests/charts/pool.test.ts and tests/main.test.ts).
    CHART_WORKERS: '0',
  });
  const db = openDatabase(config.databasePath);
  const q = new QuoteStore(onSqlite(db));
  const days: string[] = [];
  for (let d = '2025-11-01'; d <= '2026-11-23'; d = addDays(d, 1)) if (isTradingDay(d)) days.push(d);
  await q.upsertCloses(
    'gold',
    days.map((date) => ({ date, close: 4000, source: 'test' })),
  );
  await q.upsertCloses(
    'spx',
    days.map((date) => ({ date, close: 6800, source: 'test' })),
  );
  await q.upsertCloses(
    'qqq',
    days.map((date) => ({ date, close: 640, source: 'test' })),
  );
  db.close();
  app = await start();
  await app.ready; // the platforms' starts included: Discord is connected
}, 30_000);

afterAll(async () => {
  await app?.stop();
  await dc?.close();
  await tg?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function slash(o: Parameters<typeof slashInteraction>[0]): Promise<RecordedRequest> {
  const { token } = dc.interact(slashInteraction({ guildId: GUILD, channelId: CHANNEL, permissions: MANAGE_CHANNELS, ...o }));
  const [callback] = await dc.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return callback!;
}

async function telegram(text: string): Promise<string> {
  const before = tg.callsTo('sendMessage', TG_CHAT).length;
  tg.textMessage(TG_CHAT, text, USER);
  await tg.waitFor(() => tg.callsTo('sendMessage', TG_CHAT).length > before);
  return String(tg.callsTo('sendMessage', TG_CHAT).at(-1)!.params.text);
}

const channelPosts = () => dc.calls('POST', new RegExp(`^/channels/${CHANNEL}/messages$`)).filter((r) => r.status === 200);
const tgSends = () => [...tg.callsTo('sendMessage', TG_CHAT), ...tg.callsTo('sendPhoto', TG_CHAT)].filter((c) => c.status === 200);

describe('quiet hours on Telegram and Discord, with a restart in the middle', () => {
  test('GIVEN 23:00-07:00 Asia/Taipei in both chats and three nights alerts THEN nothing at night, the digest on time, and one summary each after 07:00', {
    timeout: 60_000,
  }, async () => {
    await telegram('/subscribe');
    expect(await telegram('/quiet 23:00-07:00 Asia/Taipei')).toContain('Quiet hours set: 23:00-07:00 (Taipei time).');
    await slash({ name: 'subscribe' });
    const set = await slash({
      name: 'quiet',
      options: [
        { name: 'hours', type: 3, value: '23:00-07:00' },
        { name: 'timezone', type: 3, value: 'Asia/Taipei' },
      ],
    });
    expect(set.body.data.embeds[0].description).toContain('Quiet hours set: 23:00-07:00 (Taipei time).');
    const tgBefore = tgSends().length;
    const dcBefore = channelPosts().length;

    // Three moments of the Taipei night, each a live ratio that breaks levels (decided by the real pipeline).
    const decided: string[] = [];
    for (const [iso, value] of [
      ['2026-11-23T16:05:00Z', 2.6], // 00:05: breaks above 2.5
      ['2026-11-23T18:40:00Z', 5.7], // 02:40: breaks above 5.5
      ['2026-11-23T21:15:00Z', 0.65], // 05:15: enters the 0.6-0.7 zone from above
    ] as const) {
      clock.now = Date.parse(iso);
      const r = await app.pipeline.tick('spx-gold', { date: '2026-11-23', value }, 'intraday');
      decided.push(...r.events.map((e) => `${e.kind} ${e.levelId}`));
      await app.dispatcher.drain();
    }
    expect(decided).toEqual(['cross-up spx-gold-2.5', 'cross-up spx-gold-5.5', 'zone-enter spx-gold-0.6-0.7']);
    expect(tgSends().length).toBe(tgBefore);
    expect(channelPosts().length).toBe(dcBefore);
    expect(await new QuietStore(onSqlite(app.db)).heldCount()).toBe(2 * decided.length);

    // A digest at 05:20 Taipei is not held: its hour is the chat's own choice.
    clock.now = Date.parse('2026-11-23T21:20:00Z');
    const subIds = (app.db.prepare('SELECT id FROM subscriptions WHERE active = 1').all() as { id: number }[]).map((r) => r.id);
    await new OutboxStore(onSqlite(app.db)).enqueue('digest', { title: 'digest now', lines: ['a digest line'] }, subIds, { nowMs: clock.now });
    await app.dispatcher.drain();
    expect(tgSends().length).toBe(tgBefore + 1);
    expect(channelPosts().length).toBe(dcBefore + 1);

    // The bot restarts at 06:00 Taipei: the held alerts are rows in the SQLite file and survive it.
    await app.stop();
    clock.now = Date.parse('2026-11-23T22:00:00Z');
    app = await start();
    await app.ready; // the platforms' starts included: Discord is connected
    expect(await new QuietStore(onSqlite(app.db)).heldCount()).toBe(2 * decided.length);
    await app.dispatcher.drain();
    expect(tgSends().length).toBe(tgBefore + 1);

    // 07:00:30 Taipei: one message per chat, every alert of the night in order, each with its time.
    clock.now = Date.parse('2026-11-23T23:00:30Z');
    await app.dispatcher.drain();
    const tgNew = tgSends().slice(tgBefore + 1);
    const dcNew = channelPosts().slice(dcBefore + 1);
    expect(tgNew).toHaveLength(1);
    expect(dcNew).toHaveLength(1);
    const text = String(tgNew[0]!.params.text);
    expect(text).toContain(`Quiet hours are over: ${decided.length} alerts while you were away, oldest first`);
    const items = [
      '2026-11-24 00:05: SPX/Gold broke above 2.5: then 2.600',
      '2026-11-24 02:40: SPX/Gold broke above 5.5: then 5.700',
      '2026-11-24 05:15: SPX/Gold entered the 0.6–0.7 zone from above: then 0.6500',
    ];
    expect(text).toBe(`<b>Quiet hours are over: 3 alerts while you were away, oldest first</b>\n${items.join('\n')}\n<i>Times in Taipei time.</i>`);
    const embed = dcNew[0]!.body.embeds[0];
    expect(embed.title).toBe(`Quiet hours are over: ${decided.length} alerts held for this channel meanwhile, oldest first`);
    expect(embed.description).toBe(items.join('\n'));
    expect(embed.footer.text).toBe('Times in Taipei time.');

    // Every held row was folded into the summaries; another drain sends nothing more.
    expect(await new QuietStore(onSqlite(app.db)).heldCount()).toBe(0);
    expect(app.db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'merged'").get()).toEqual({ n: 2 * decided.length });
    await app.dispatcher.drain();
    expect(tgSends().length).toBe(tgBefore + 2);
    expect(channelPosts().length).toBe(dcBefore + 2);
  });
});

describe('a move alert on Telegram and Discord', () => {
  test('GIVEN /move spx 5 2 typed in both chats THEN the close that lifts SPX/Gold 6% over two trading days is one move alert with its chart in each', {
    timeout: 60_000,
  }, async () => {
    // Noon in Taipei the next day: outside the quiet hours of the test above.
    clock.now = Date.parse('2026-11-24T04:00:00Z');
    expect(await telegram('/move spx 5 2')).toContain('Move alert added: SPX/Gold: 5% or more over 2 trading days.');
    const added = await slash({
      name: 'move',
      options: [
        { name: 'pair', type: 3, value: 'spx' },
        { name: 'percent', type: 3, value: '5' },
        { name: 'days', type: 3, value: '2' },
      ],
    });
    expect(added.body.data.embeds[0].description).toContain('Move alert added: SPX/Gold: 5% or more over 2 trading days.');
    const tgBefore = tgSends().length;
    const dcBefore = channelPosts().length;

    const q = new QuoteStore(onSqlite(app.db));
    await q.upsertCloses('gold', [{ date: '2026-11-24', close: 4000, source: 'test' }]);
    await q.upsertCloses('spx', [{ date: '2026-11-24', close: 6800 * 1.06, source: 'test' }]);
    await q.upsertCloses('qqq', [{ date: '2026-11-24', close: 640, source: 'test' }]);
    const r = await app.pipeline.catchUp(await new MarketView(q).snapshot());
    expect(r.moves?.map((e) => `${e.date} ${e.pair} ${e.direction} ${e.changePct.toFixed(2)}`)).toEqual(['2026-11-24 spx-gold up 6.00']);
    await app.dispatcher.drain();

    const title = 'SPX/Gold rose 6.00% in 2 trading days: now 1.802';
    const photo = tgSends()
      .slice(tgBefore)
      .find((c) => String(c.params.caption ?? c.params.text).includes(title));
    expect(photo?.method).toBe('sendPhoto');
    expect(String(photo!.params.caption)).toContain('From 1.700 on 2026-11-20 to 1.802 on 2026-11-24');
    // The whole chat's watch, not one member's; on Discord the channel's (below).
    expect(String(photo!.params.caption)).toContain("This chat's move alert: 5% or more over 2 trading days");
    const post = channelPosts()
      .slice(dcBefore)
      .find((p) => p.body.embeds?.[0]?.title === title);
    expect(post).toBeDefined();
    expect(post!.files[0]!.bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true);
    expect(post!.body.embeds[0].description).toContain("This channel's move alert: 5% or more over 2 trading days");
  });
});
