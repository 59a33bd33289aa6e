import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { CHAT_COMMANDS, chatLang, findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import { watchesOf } from '../../src/domain/watches.ts';
import { t } from '../../src/domain/i18n/index.ts';

let w: ChatWorld;
beforeEach(async () => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => {
  const c = findCommand(name);
  if (c === undefined) throw new Error(`no command ${name}`);
  return c.run(w.deps, ctx, args);
};
const sub = async (chatId = '1001') => w.deps.subs.get('telegram', chatId);

describe('subscribe and unsubscribe', () => {
  test("GIVEN /subscribe alone THEN both pairs, every essay level, the user's language, and a toggle keyboard", async () => {
    const r = await run('subscribe', [], chatCtx({ userLanguageCode: 'zh-hant' }));
    expect(r.status).toBe('ok');
    expect(await sub()).toMatchObject({ active: true, pairs: ['spx-gold', 'qqq-gold'], levelIds: 'all', customLevels: [], lang: 'zh-TW' });
    expect(plainText(r)).toContain('訂閱成功');
    expect(r.buttons?.flat().map((b) => b.action)).toEqual([
      'sub:off:spx-gold-5.5',
      'sub:off:spx-gold-2.5',
      'sub:off:spx-gold-0.6-0.7',
      'sub:off:qqq-gold-0.4',
      'sub:off:qqq-gold-0.25',
      'sub:off:qqq-gold-0.03',
    ]);
    expect(r.buttons?.flat().every((b) => b.label.startsWith('✅') && Buffer.byteLength(b.action) <= 64)).toBe(true);
  });

  test('GIVEN /subscribe spx 2.5 1.8 qqq 0.25 0.2 THEN each level is read on the pair named before it: both pairs, two essay levels, two custom ones', async () => {
    const r = await run('subscribe', ['spx', '2.5', '1.8', 'qqq', '0.25', '0.2']);
    expect(r.status).toBe('ok');
    expect(await sub()).toMatchObject({
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: ['spx-gold-2.5', 'qqq-gold-0.25'],
      customLevels: [
        { pair: 'spx-gold', value: 1.8 },
        { pair: 'qqq-gold', value: 0.2 },
      ],
    });
    // Without a pair first, a pair among the levels is still refused (which pair would 2.5 be on?), saying what it is.
    expect(plainText(await run('subscribe', ['2.5', 'qqq', '0.25']))).toMatch(
      /^"qqq" is a pair: name the pairs before the levels, e\.g\. \/subscribe qqq 0\.25\./,
    );
  });

  test('GIVEN /subscribe spx 2.5 1.8 THEN SPX only, the essay 2.5 and a custom 1.8', async () => {
    const r = await run('subscribe', ['spx', '2.5', '1.8']);
    expect(r.status).toBe('ok');
    expect(await sub()).toMatchObject({ pairs: ['spx-gold'], levelIds: ['spx-gold-2.5'], customLevels: [{ pair: 'spx-gold', value: 1.8 }] });
    // One of each is said in the singular; two in the plural.
    expect(plainText(r)).toContain("SPX/Gold: essay level 2.5; this chat's level 1.8");
    expect(plainText(await run('subscribe', ['spx', '5.5', '1.5']))).toMatch(
      /SPX\/Gold: essay levels 5\.5 and 2\.5; this chat's levels 1\.8 and 1\.5|SPX\/Gold: essay levels 5\.5, 2\.5; this chat's levels 1\.8, 1\.5/,
    );
  });

  test('GIVEN /subscribe 0.25 0.65 (no pair) THEN the pairs follow the levels named', async () => {
    await run('subscribe', ['0.25', '0.65']);
    expect(await sub()).toMatchObject({ pairs: ['spx-gold', 'qqq-gold'], levelIds: ['spx-gold-0.6-0.7', 'qqq-gold-0.25'] });
  });

  test.each([
    [['spx', 'abc'], '"abc" is neither a pair (spx, qqq) nor a level like 0.25.'],
    [['spx', '2.5x'], 'Level must be a number like 0.25, got "2.5x".'],
    [['spx', '-2.5'], 'Level must be above 0, got "-2.5".'],
    [['1.8'], '"1.8" is not one of the essay\'s levels'],
    [['dow'], '"dow" is neither a pair'],
    [['spx', 'qqq-gold-0.25'], 'belongs to qqq-gold'],
  ])('GIVEN /subscribe %j THEN the usage line and nothing is stored', async (args, message) => {
    const before = w.dump();
    const r = await run('subscribe', args);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain(message);
    expect(plainText(r)).toContain('/subscribe [spx|qqq]');
    expect(w.dump()).toBe(before);
    expect(await sub()).toBeUndefined();
  });

  test('GIVEN an active chat THEN /subscribe with pairs or levels adds them: nothing it had is dropped', async () => {
    await run('subscribe', ['spx', '2.5']);
    await run('subscribe', ['qqq', '0.25', '0.2']);
    expect(await sub()).toMatchObject({
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: ['spx-gold-2.5', 'qqq-gold-0.25'],
      customLevels: [{ pair: 'qqq-gold', value: 0.2 }],
    });
    // A pair named alone brings all its essay levels, beside those already chosen.
    await run('subscribe', ['spx']);
    expect((await sub())?.levelIds).toEqual(['spx-gold-5.5', 'spx-gold-2.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.25']);
    // Every level of both pairs chosen reads as "all" again; a custom level then adds to it.
    const r = await run('subscribe', ['qqq', '1.8']);
    expect(await sub()).toMatchObject({
      pairs: ['spx-gold', 'qqq-gold'],
      customLevels: [
        { pair: 'qqq-gold', value: 0.2 },
        { pair: 'qqq-gold', value: 1.8 },
      ],
    });
    await run('subscribe', ['qqq']);
    expect((await sub())?.levelIds).toBe('all');
    // 1.8 on QQQ/Gold (0.15 now) is far: said, with the pair it fits, below the summary "Added to this chat's alerts:" introduces.
    expect(plainText(r)).toMatch(
      /^Added to this chat's alerts:\nAlerts for SPX\/Gold, QQQ\/Gold\n[\s\S]*\nQQQ\/Gold is 0\.1500 now: 1\.8 is 12× that\. Did you mean SPX\/Gold\? It is 1\.390 now\.\nTap a level/,
    );
  });

  test('GIVEN an active chat THEN /subscribe alone changes nothing and shows the settings', async () => {
    await run('subscribe', ['qqq']);
    const before = w.dump();
    const r = await run('subscribe', []);
    expect(plainText(r)).toContain('already subscribed');
    expect(w.dump()).toBe(before);
    // Naming what it already has: the same, not "added".
    expect(plainText(await run('subscribe', ['qqq']))).toMatch(/^This chat is already subscribed\.\nAlerts for QQQ\/Gold\n/);
    expect(plainText(await run('subscribe', ['qqq', '0.25']))).toMatch(/^This chat is already subscribed\./);
  });

  test.each([
    ['en', 'telegram', 'Unsubscribed. No more alerts here.\nThe daily digest still comes at 08:00 (Taipei time); /digest off stops it.'],
    ['zh-TW', 'telegram', '已取消訂閱，這裡不會再收到通知。\n每日摘要仍會在 08:00（台北時間）送達；如要停止，請傳送 /digest off。'],
    ['zh-CN', 'telegram', '已取消订阅，这里不会再收到提醒。\n每日摘要仍会在 08:00（台北时间）送达；如需停止，请发送 /digest off。'],
    ['zh-TW', 'discord', '已取消訂閱，這裡不會再收到通知。\n每日摘要仍會在 08:00（台北時間）送達；如要停止，請傳送 /摘要 時間:off。'],
  ] as const)(
    'GIVEN a chat (%s, %s) with a digest WHEN /unsubscribe, all of it or its last pair THEN the reply says the digest still comes and how to stop it, as it does',
    async (lang, platform, text) => {
      const ctx = chatCtx({ platform, chatId: '1001', ...(platform === 'discord' && { chatType: 'group' as const }) });
      await run('subscribe', ['qqq'], ctx);
      await run('lang', [lang], ctx);
      await run('digest', ['08:00', 'Asia/Taipei'], ctx);
      const r = await run('unsubscribe', [], ctx);
      expect(plainText(r)).toBe(text);
      expect(r.lines[1]?.some((span) => typeof span !== 'string' && 'code' in span)).toBe(true);
      // The digest is indeed kept (DigestStore sends to a chat that only unsubscribed).
      const s = await w.deps.subs.get(platform, '1001');
      expect((await w.deps.digests?.get(s!.id))?.time).toBe('08:00');
      // Its last pair named: the same reply; and with the digest off, the plain one.
      await run('subscribe', ['qqq'], ctx);
      expect(plainText(await run('unsubscribe', ['qqq'], ctx))).toBe(text);
      // Unsubscribed again, to be sure: not subscribed, and the digest still comes.
      const again = plainText(await run('unsubscribe', [], ctx)).split('\n');
      expect(again).toEqual([t(lang, platform === 'discord' ? 'chat.sub.none.discord' : 'chat.sub.none.dm'), text.split('\n')[1]]);
      await run('subscribe', ['qqq'], ctx);
      await run('digest', ['off'], ctx);
      expect(plainText(await run('unsubscribe', [], ctx))).toBe(text.split('\n')[0]);
      expect(plainText(await run('unsubscribe', [], ctx))).toBe(t(lang, platform === 'discord' ? 'chat.sub.none.discord' : 'chat.sub.none.dm'));
    },
  );

  test('GIVEN /unsubscribe THEN the chat is inactive; a new /subscribe brings it back, custom levels kept', async () => {
    await run('subscribe', ['spx', '1.8']);
    const r = await run('unsubscribe', []);
    expect(plainText(r)).toBe('Unsubscribed. No more alerts here.');
    expect(await sub()).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
    expect(await w.deps.subs.countActive()).toBe(0);
    await run('subscribe', []);
    expect(await sub()).toMatchObject({
      active: true,
      deactivatedReason: null,
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: 'all',
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
    });
  });

  test('GIVEN /unsubscribe spx THEN only SPX/Gold stops, its own levels kept for later; the last pair named stops them all', async () => {
    await run('subscribe', ['spx', '2.5', '1.8', 'qqq', '0.25', '0.2']);
    const r = await run('unsubscribe', ['spx']);
    expect(plainText(r)).toMatch(/^No more SPX\/Gold alerts here\. Still on:\nAlerts for QQQ\/Gold\nQQQ\/Gold: essay level 0\.25; this chat's level 0\.2\n/);
    expect(await sub()).toMatchObject({ active: true, pairs: ['qqq-gold'], levelIds: ['qqq-gold-0.25'] });
    // Nothing alerts on SPX/Gold any more; its own level 1.8 comes back with it.
    expect(watchesOf((await sub())!, 3).map((x) => x.watch.level.pair)).not.toContain('spx-gold');
    await run('subscribe', ['spx']);
    expect((await sub())?.customLevels).toEqual([
      { pair: 'spx-gold', value: 1.8 },
      { pair: 'qqq-gold', value: 0.2 },
    ]);
    await run('unsubscribe', ['spx']);
    // A pair it does not watch: said, nothing written.
    const before = w.dump();
    expect(plainText(await run('unsubscribe', ['spx']))).toMatch(/^This chat does not watch SPX\/Gold\. Its alerts:\n/);
    expect(w.dump()).toBe(before);
    expect(plainText(await run('unsubscribe', ['qqq']))).toBe('Unsubscribed. No more alerts here.');
    expect(await sub()).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
    // In the chat's language, the pair in any language's words.
    await run('subscribe', []);
    await run('lang', ['zh-TW']);
    expect(plainText(await run('unsubscribe', ['纳指']))).toMatch(/^這裡不會再收到 QQQ\/黃金的通知。仍開啟的通知：\n通知：標普500\/黃金\n/);
  });

  test('GIVEN /unsubscribe spx 2.5 (a level after the pair) THEN that level stops, the rest stay on; a level of its own is removed; one it has not, said, nothing written', async () => {
    await run('subscribe', ['spx', '2.5', '5.5', '1.8', 'qqq', '0.25']);
    const r = await run('unsubscribe', ['spx', '2.5']);
    expect(r.status).toBe('ok');
    expect(plainText(r)).toMatch(
      /^2\.5 is one of the essay's levels on SPX\/Gold: it is now off for this chat\.\nAlerts for SPX\/Gold, QQQ\/Gold\nSPX\/Gold: essay level 5\.5; this chat's level 1\.8\n/,
    );
    expect(await sub()).toMatchObject({ active: true, pairs: ['spx-gold', 'qqq-gold'], levelIds: ['spx-gold-5.5', 'qqq-gold-0.25'] });
    expect(watchesOf((await sub())!, 3).map((x) => `${x.watch.level.pair} ${x.watch.level.low}`)).not.toContain('spx-gold 2.5');
    // Its own level, and a second pair's in the same line.
    expect(plainText(await run('unsubscribe', ['spx', '1.8', 'qqq', '0.25']))).toMatch(
      /^Removed 1\.8 on SPX\/Gold from this chat's levels\.\n0\.25 is one of the essay's levels on QQQ\/Gold: it is now off for this chat\.\n/,
    );
    expect(await sub()).toMatchObject({ active: true, levelIds: ['spx-gold-5.5'], customLevels: [] });
    // A level the chat does not have: said, nothing written.
    const before = w.dump();
    const none = await run('unsubscribe', ['spx', '3.3']);
    expect(none.status).toBe('error');
    expect(plainText(none)).toBe("3.3 on SPX/Gold is not one of this chat's levels.");
    expect(w.dump()).toBe(before);
    // In the chat's language.
    await run('lang', ['zh-TW']);
    expect(plainText(await run('unsubscribe', ['標普', '5.5']))).toMatch(/^5\.5 是文章中標普500\/黃金的水位之一，已為本對話關閉。\n/);
  });

  test.each([['all'], ['全部'], ['both']])('GIVEN /unsubscribe %s THEN every alert stops, as /unsubscribe alone', async (word) => {
    await run('subscribe', ['spx', '2.5', 'qqq', '0.25']);
    expect(plainText(await run('unsubscribe', [word]))).toBe('Unsubscribed. No more alerts here.');
    expect(await sub()).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
    // And /subscribe all is /subscribe: both pairs, every essay level.
    await run('subscribe', [word]);
    expect(await sub()).toMatchObject({ active: true, pairs: ['spx-gold', 'qqq-gold'] });
  });

  test('GIVEN a chat never subscribed THEN /unsubscribe says so and writes nothing', async () => {
    const before = w.dump();
    const r = await run('unsubscribe', []);
    expect(plainText(r)).toContain('not subscribed');
    expect(w.dump()).toBe(before);
  });
});

describe('alerts the platform stopped', () => {
  afterEach(() => vi.useRealTimers());
  /** `f` run with the store's clock at `iso` (when the dispatcher stopped the chat). */
  const atMoment = async (iso: string, f: () => Promise<unknown>) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(iso));
    await f();
    vi.useRealTimers();
  };

  test('GIVEN a chat whose alerts stopped for missing rights THEN /mylevels says why, since when and how, /subscribe brings them back as they were', async () => {
    await run('subscribe', ['spx', '2.5', '1.8']);
    await run('lang', ['zh-TW']);
    // As the dispatcher keeps it after Discord's 50013 (stop-cause.ts), 6 hours before the command.
    await atMoment('2026-11-20T18:00:00Z', () => w.deps.subs.chatGone('telegram', '1001', 'rights: 50013 Missing Permissions'));
    expect(plainText(await run('mylevels', []))).toBe(
      '本對話的通知已停止：機器人沒有在這裡發文的權限。補上權限後，使用 /subscribe 即可依原設定恢復通知。\n停止時間：2026年11月20日（6 小時前）。',
    );
    await run('lang', ['en']);
    expect(plainText(await run('mylevels', []))).toMatch(/^Alerts here stopped: the bot was not allowed to post here\. Once it is, \/subscribe /);
    const r = await run('subscribe', []);
    expect(plainText(r)).toMatch(
      /^Alerts are on again, as they were before they stopped\.\nAlerts for SPX\/Gold\nSPX\/Gold: essay level 2\.5; this chat's level 1\.8\n/,
    );
    expect(await sub()).toMatchObject({
      active: true,
      deactivatedReason: null,
      pairs: ['spx-gold'],
      levelIds: ['spx-gold-2.5'],
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
    });
  });

  test('GIVEN a chat stopped weeks ago THEN /mylevels and /start say the day in its zone and how long ago, in its language; a lang change meanwhile does not move it', async () => {
    await run('subscribe', []);
    await w.deps.subs.upsert('telegram', '1001', { timezone: 'Asia/Taipei' });
    // 20:30 UTC on 31 October is 1 November in Taipei: the chat's day, not the server's.
    await atMoment('2026-10-31T20:30:00Z', () => w.deps.subs.chatGone('telegram', '1001', 'blocked: Forbidden: bot was blocked by the user'));
    await atMoment('2026-11-15T00:00:00Z', () => run('lang', ['zh-CN']));
    expect(plainText(await run('mylevels', []))).toBe(
      '机器人被屏蔽后，提醒已停止。使用 /subscribe 即可按原设置恢复提醒。\n停止时间：2026年11月1日（20 天前）。',
    );
    await run('lang', ['en']);
    expect(plainText(await run('mylevels', []))).toBe(
      'Alerts here stopped when the bot was blocked. /subscribe starts them again as they were.\nStopped on 2026-11-01 (20 days ago).',
    );
    expect(plainText(await run('start', []))).toMatch(
      /\nAlerts here stopped when the bot was blocked\. \/subscribe starts them again as they were\.\nStopped on 2026-11-01 \(20 days ago\)\.$/,
    );
    // Months later, and a stop seconds before the command.
    expect(plainText(await run('mylevels', [], chatCtx({ nowMs: Date.parse('2027-03-01T00:00:00Z') })))).toMatch(/\nStopped on 2026-11-01 \(4 months ago\)\.$/);
    await run('subscribe', []);
    expect((await sub())?.deactivatedAt).toBeNull();
    await atMoment('2026-11-20T23:59:30Z', () => w.deps.subs.chatGone('telegram', '1001', 'removed: bot kicked'));
    expect(plainText(await run('mylevels', []))).toMatch(/\nStopped on 2026-11-21, less than a minute ago\.$/);
  });

  test('GIVEN a chat stopped before the bot kept when (no moment stored) THEN /mylevels says why, and nothing about when', async () => {
    await run('subscribe', []);
    await w.deps.subs.chatGone('telegram', '1001', 'removed: bot kicked');
    w.db.prepare("UPDATE subscriptions SET deactivated_at = NULL WHERE chat_id = '1001'").run();
    expect(plainText(await run('mylevels', []))).toBe(
      'Alerts here stopped when the bot was removed from this chat. /subscribe starts them again as they were.',
    );
  });

  test.each([
    ['removed: bot kicked', /^Alerts here stopped when the bot was removed from this chat\./],
    ['blocked: Forbidden: bot was blocked by the user', /^Alerts here stopped when the bot was blocked\./],
    // A Telegram group's: a forum topic closed (Discord's threads and forum posts have their own words).
    ['closed: Bad Request: TOPIC_CLOSED', /^Alerts here stopped: the topic they were posted in was closed\. Once it is reopened,/],
    // Kept before causes were: the platform's words alone.
    ['Forbidden: bot was blocked by the user', /^Alerts here stopped: the last one could not be delivered here\./],
    ['unsubscribed', /^This chat is not subscribed\./],
  ])('GIVEN a chat stopped with %j THEN /mylevels says %s', async (reason, said) => {
    await run('subscribe', []);
    await w.deps.subs.chatGone('telegram', '1001', reason);
    expect(plainText(await run('mylevels', []))).toMatch(said);
  });

  test('GIVEN stopped alerts THEN /subscribe qqq adds to what they were, and /unsubscribe makes the stop the chat’s own: the next /subscribe starts afresh', async () => {
    await run('subscribe', ['spx', '2.5']);
    await w.deps.subs.chatGone('telegram', '1001', 'removed: bot kicked');
    await run('subscribe', ['qqq']);
    expect(await sub()).toMatchObject({
      active: true,
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: ['spx-gold-2.5', 'qqq-gold-0.4', 'qqq-gold-0.25', 'qqq-gold-0.03'],
    });
    await w.deps.subs.chatGone('telegram', '1001', 'removed: bot kicked');
    expect(plainText(await run('unsubscribe', []))).toBe('Unsubscribed. No more alerts here.');
    expect(await sub()).toMatchObject({ active: false, deactivatedReason: 'unsubscribed' });
    expect(plainText(await run('mylevels', []))).toMatch(/^This chat is not subscribed\./);
    await run('subscribe', []);
    expect(await sub()).toMatchObject({ active: true, pairs: ['spx-gold', 'qqq-gold'], levelIds: 'all' });
  });
});

describe('level toggles', () => {
  test('GIVEN every level on THEN toggling 2.5 off and on again returns to "all"', async () => {
    await run('subscribe', []);
    const off = await handleAction(w.deps, chatCtx(), 'sub:toggle:spx-gold-2.5');
    expect(off.edit).toBe(true);
    expect((await sub())?.levelIds).toEqual(['spx-gold-5.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.4', 'qqq-gold-0.25', 'qqq-gold-0.03']);
    expect(off.reply.buttons?.flat().find((b) => b.action === 'sub:on:spx-gold-2.5')?.label).toMatch(/^⬜/);
    await handleAction(w.deps, chatCtx(), 'sub:toggle:spx-gold-2.5');
    expect((await sub())?.levelIds).toBe('all');
  });

  test('GIVEN an SPX-only chat THEN toggling a QQQ level adds QQQ with only that level', async () => {
    await run('subscribe', ['spx']);
    await handleAction(w.deps, chatCtx(), 'sub:toggle:qqq-gold-0.25');
    expect(await sub()).toMatchObject({ pairs: ['spx-gold', 'qqq-gold'], levelIds: ['spx-gold-5.5', 'spx-gold-2.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.25'] });
  });

  test.each(['sub:toggle:spx-gold-9', 'sub:toggle', 'nonsense', 'chart:btc:1Y', 'chart:spx-gold:2Y', 'cmd:drop'])(
    'GIVEN the forged action %j THEN an error reply, no edit, nothing written',
    async (action) => {
      await run('subscribe', []);
      const before = w.dump();
      const r = await handleAction(w.deps, chatCtx(), action);
      expect(r.edit).toBe(false);
      expect(r.reply.status).not.toBe('ok');
      expect(w.dump()).toBe(before);
    },
  );
});

describe('mylevels', () => {
  test("GIVEN one of the essay's levels (2.50, or 0.65 inside the 0.6–0.7 zone) THEN add and remove switch it on and off, never a second copy as the chat's own", async () => {
    await run('subscribe', ['spx', '5.5']);
    expect(plainText(await run('mylevels', ['add', 'spx', '2.50']))).toMatch(/^2\.5 is one of the essay's levels on SPX\/Gold: it is now on for this chat\.\n/);
    expect(await sub()).toMatchObject({ levelIds: ['spx-gold-5.5', 'spx-gold-2.5'], customLevels: [] });
    expect(plainText(await run('mylevels', ['add', 'spx', '2.5']))).toMatch(/already on for this chat/);
    expect(plainText(await run('mylevels', ['spx', '0.65']))).toMatch(/^0\.6–0\.7 is one of the essay's levels on SPX\/Gold: it is now on/);
    expect(plainText(await run('mylevels', ['remove', 'spx', '5.5']))).toMatch(/: it is now off for this chat\.\n/);
    expect(await sub()).toMatchObject({ levelIds: ['spx-gold-2.5', 'spx-gold-0.6-0.7'], customLevels: [] });
    // On a pair not followed yet, the pair comes with that level only.
    expect(plainText(await run('mylevels', ['add', 'qqq', '0.25']))).toMatch(/now on/);
    expect(await sub()).toMatchObject({ pairs: ['spx-gold', 'qqq-gold'], levelIds: ['spx-gold-2.5', 'spx-gold-0.6-0.7', 'qqq-gold-0.25'] });
    await run('lang', ['zh-CN']);
    expect(plainText(await run('mylevels', ['remove', 'qqq', '0.4']))).toMatch(/^0\.4 是文章中 QQQ\/黄金的点位之一，本对话已经关闭。\n/);
  });

  test('GIVEN a level far from the pair now (QQQ/Gold 0.15, 1.8: 12×) THEN still added, and the answer says how far and names the pair it fits', async () => {
    await run('subscribe', ['spx']);
    // The seeded closes: SPX/Gold 5560/4000 = 1.39, QQQ/Gold 600/4000 = 0.15.
    const far = await run('mylevels', ['add', 'qqq', '1.8']);
    expect(far.status).toBe('ok');
    expect((await sub())?.customLevels).toEqual([{ pair: 'qqq-gold', value: 1.8 }]);
    expect(plainText(far).split('\n').slice(0, 2)).toEqual([
      "Added 1.8 on QQQ/Gold to this chat's levels.",
      'QQQ/Gold is 0.1500 now: 1.8 is 12× that. Did you mean SPX/Gold? It is 1.390 now.',
    ]);
    // Below; and fitting neither pair: how far only.
    expect(plainText(await run('mylevels', ['add', 'spx', '0.1']))).toContain(
      'SPX/Gold is 1.390 now: 0.1 is far below that (14 times smaller). Did you mean QQQ/Gold? It is 0.1500 now.',
    );
    // Very far: grouped as every count is (1,390, not 1390×).
    expect(plainText(await run('mylevels', ['add', 'spx', '0.001']))).toContain('SPX/Gold is 1.390 now: 0.001 is far below that (1,390 times smaller).');
    const neither = plainText(await run('mylevels', ['add', 'spx', '20']));
    expect(neither).toContain('SPX/Gold is 1.390 now: 20 is 14× that.');
    expect(neither).not.toContain('Did you mean');
    // Under 10×, to a tenth: 7.2×, not 7× (a level 7.5× away is no 8×).
    expect(plainText(await run('mylevels', ['add', 'spx', '10']))).toContain('SPX/Gold is 1.390 now: 10 is 7.2× that.');
    // Near the pair (within 5×): nothing more said.
    expect(plainText(await run('mylevels', ['add', 'spx', '1.8'])).split('\n')[1]).not.toMatch(/now:/);
    // In Chinese too, and through /subscribe's levels.
    await run('lang', ['zh-TW']);
    expect(plainText(await run('subscribe', ['qqq', '2']))).toContain('QQQ/黃金目前為 0.1500：2 是其 13 倍。您是否要設定標普500/黃金？其目前為 1.390。');
    // A fraction's denominator as Chinese reads it: whole, without a thousands separator (1264 分之一, not 1,264 分之一).
    expect(plainText(await run('mylevels', ['add', 'spx', '0.0011']))).toContain('標普500/黃金目前為 1.390：0.0011 僅約為其 1264 分之一。');
    await run('lang', ['zh-CN']);
    expect(plainText(await run('mylevels', ['add', 'spx', '0.2']))).toContain('标普500/黄金目前为 1.390：0.2 仅约为其 7 分之一。');
  });

  test('GIVEN add, list, remove THEN the custom level round-trips', async () => {
    await run('subscribe', ['spx']);
    const added = await run('mylevels', ['add', 'qqq', '0.2']);
    expect(plainText(added)).toContain("Added 0.2 on QQQ/Gold to this chat's levels.");
    // Adding a QQQ level follows QQQ for that level only, not for every QQQ essay level.
    expect(await sub()).toMatchObject({
      pairs: ['spx-gold', 'qqq-gold'],
      levelIds: ['spx-gold-5.5', 'spx-gold-2.5', 'spx-gold-0.6-0.7'],
      customLevels: [{ pair: 'qqq-gold', value: 0.2 }],
    });
    const list = await run('mylevels', []);
    expect(plainText(list)).toContain("QQQ/Gold: no essay levels; this chat's level 0.2");
    const dup = await run('mylevels', ['add', 'qqq', '0.20']);
    expect(dup.status).toBe('error');
    const removed = await run('mylevels', ['remove', 'qqq', '0.2']);
    expect(plainText(removed)).toContain("Removed 0.2 on QQQ/Gold from this chat's levels.");
    expect((await sub())?.customLevels).toEqual([]);
    const missing = await run('mylevels', ['remove', 'qqq', '0.2']);
    expect(missing.status).toBe('error');
    expect(plainText(missing)).toBe("0.2 on QQQ/Gold is not one of this chat's levels.");
  });

  test('GIVEN /mylevels with a pair and a value but no verb THEN they are added, as /move spx 10 20 adds', async () => {
    await run('subscribe', ['spx']);
    expect(plainText(await run('mylevels', ['spx', '1.8']))).toContain("Added 1.8 on SPX/Gold to this chat's levels.");
    expect((await sub())?.customLevels).toEqual([{ pair: 'spx-gold', value: 1.8 }]);
  });

  test('GIVEN a level typed in full-width digits (a Chinese keyboard) THEN it is that level, its full stop or comma a decimal point', async () => {
    await run('subscribe', ['spx']);
    expect(plainText(await run('mylevels', ['add', 'spx', '１.８']))).toContain("Added 1.8 on SPX/Gold to this chat's levels.");
    expect(plainText(await run('mylevels', ['add', 'spx', '２．２']))).toContain("Added 2.2 on SPX/Gold to this chat's levels.");
    expect(plainText(await run('mylevels', ['remove', 'spx', '１，８']))).toContain("Removed 1.8 on SPX/Gold from this chat's levels.");
    expect((await sub())?.customLevels).toEqual([{ pair: 'spx-gold', value: 2.2 }]);
  });

  test.each([
    [['add', 'spx']],
    [['spx']],
    [['1.8']],
    [['add', 'dow', '1.8']],
    [['add', 'spx', 'abc']],
    [['add', 'spx', '-1']],
    [['drop', 'spx', '1.8']],
    [['add', 'spx', '1.8', 'extra']],
  ])('GIVEN /mylevels %j THEN the usage line and nothing is written', async (args) => {
    await run('subscribe', []);
    const before = w.dump();
    const r = await run('mylevels', args);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain('/mylevels [add|remove <spx|qqq>');
    expect(w.dump()).toBe(before);
  });

  test('GIVEN no subscription THEN add asks to subscribe first and stores nothing', async () => {
    const r = await run('mylevels', ['add', 'spx', '1.8']);
    expect(r.status).toBe('error');
    expect(plainText(r)).toBe('Subscribe first with /subscribe.');
    expect(await sub()).toBeUndefined();
  });
});

describe('mute, unmute, lang', () => {
  test("GIVEN /mute 2h THEN muted until now + 2 h, shown in the chat's zone; /unmute clears it", async () => {
    await run('subscribe', []);
    const r = await run('mute', ['2h']);
    expect((await sub())?.mutedUntil).toBe(NOW_MS + 2 * 3_600_000);
    expect(plainText(r)).toBe('Muted until 2026-11-21 02:00 (UTC).');
    expect(plainText(await run('mylevels', []))).toContain('Muted until 2026-11-21 02:00 (UTC)');
    await run('unmute', []);
    expect((await sub())?.mutedUntil).toBeNull();
    // Again: nothing to undo, and it says so.
    // A private chat (the default context) is named as one: this chat.
    expect(plainText(await run('unmute', []))).toBe('Alerts in this chat were not muted.');
  });

  test.each([
    [['1y'], 365 * 86_400_000, 'Muted until 2027-11-21 00:00 (UTC).'],
    [['1h30m'], 90 * 60_000, 'Muted until 2026-11-21 01:30 (UTC).'],
    [['2d12h'], 60 * 3_600_000, 'Muted until 2026-11-23 12:00 (UTC).'],
    [['a', 'week'], 7 * 86_400_000, 'Muted until 2026-11-28 00:00 (UTC).'],
    [['an', 'hour'], 3_600_000, 'Muted until 2026-11-21 01:00 (UTC).'],
  ])('GIVEN /mute %j (a year, or several units) THEN muted that long', async (args, ms, text) => {
    await run('subscribe', []);
    const r = await run('mute', args);
    expect(plainText(r)).toBe(text);
    expect((await sub())?.mutedUntil).toBe(NOW_MS + ms);
  });

  test("GIVEN /mute 3 months (3mo, 3個月, 3个月) THEN muted to the same day and time 3 calendar months on, in the chat's zone, and the reply names that end (en, zh-TW, zh-CN)", async () => {
    await run('subscribe', []);
    // Nov 21 00:00 UTC + 3 months: Feb 21 00:00 UTC.
    const r = await run('mute', ['3', 'months']);
    expect(plainText(r)).toBe('Muted until 2027-02-21 00:00 (UTC).');
    expect((await sub())?.mutedUntil).toBe(Date.parse('2027-02-21T00:00:00Z'));
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'America/New_York'], tw);
    // Nov 20 19:00 in New York (EST) + 5 months: Apr 20 19:00 there (EDT), 23:00 UTC; not Apr 21 as UTC counts.
    expect(plainText(await run('mute', ['5個月'], tw))).toBe('已靜音至2027年4月20日 19:00（美東時間）。');
    expect((await sub('tw'))?.mutedUntil).toBe(Date.parse('2027-04-20T23:00:00Z'));
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['3个月'], cn))).toMatch(/^已静音至2027年2月21日 00:00/);
    // Jan 31 + 1 month: the last day of February.
    const jan31 = chatCtx({ chatId: 'jan', nowMs: Date.parse('2027-01-31T10:30:00Z') });
    await run('subscribe', [], jan31);
    expect(plainText(await run('mute', ['1mo'], jan31))).toBe('Muted until 2027-02-28 10:30 (UTC).');
    // A fraction of a month has no calendar length: refused, saying what to give.
    const half = await run('mute', ['半個月'], tw);
    expect([half.status, plainText(half).split('\n')[0]]).toEqual([
      'usage',
      '月數須為整數（依日曆計算），例如「1個月」或「3個月」，或改用天數，例如「15天」；您輸入的是「半個月」。',
    ]);
    expect(plainText(await run('mute', ['13mo'])).split('\n')[0]).toBe('Mute lasts from 1 minute to 1 year, got "13mo".');
  });

  test('GIVEN /mute longer than a year, however long THEN the refusal gives the range, which a year fits, and nothing is written', async () => {
    await run('subscribe', []);
    const before = w.dump();
    for (const typed of ['999999999999w', '366d', '2y']) {
      const r = await run('mute', [typed]);
      expect(r.status).toBe('usage');
      expect(plainText(r).split('\n')[0]).toBe(`Mute lasts from 1 minute to 1 year, got "${typed}".`);
    }
    expect(w.dump()).toBe(before);
  });

  test.each([[['forever']], [['abc']], [[]], [['1h', '2h']], [['0m']]])(
    'GIVEN /mute %j THEN usage naming 30m, 2h, 1d, 1w and nothing written',
    async (args) => {
      await run('subscribe', []);
      const before = w.dump();
      const r = await run('mute', args);
      expect(r.status).toBe('usage');
      expect(plainText(r)).toContain('/mute <30m|2h|1d|1w|until monday>');
      expect(w.dump()).toBe(before);
    },
  );

  test('GIVEN /lang zh-TW THEN the answer and every later reply are in Traditional Chinese', async () => {
    await run('subscribe', []);
    const r = await run('lang', ['zh-TW']);
    expect(plainText(r)).toBe('語言已設為繁體中文。');
    expect((await sub())?.lang).toBe('zh-TW');
    expect(plainText(await run('mute', ['whenever'])).split('\n')[0]).toBe(
      '靜音需要時間長度，例如 30分鐘、2小時、1天或 1週，或結束時間，例如「到下週一」；您輸入的是「whenever」。',
    );
  });

  test.each(
    (['en', 'zh-TW', 'zh-CN'] as const).flatMap((from) =>
      (
        [
          ['台灣', 'zh-TW'],
          ['臺灣', 'zh-TW'],
          ['台湾', 'zh-TW'],
          ['香港', 'zh-TW'],
          ['taiwan', 'zh-TW'],
          ['Hong Kong', 'zh-TW'],
          ['中國', 'zh-CN'],
          ['中国', 'zh-CN'],
          ['大陸', 'zh-CN'],
          ['大陆', 'zh-CN'],
          ['内地', 'zh-CN'],
          ['新加坡', 'zh-CN'],
          ['China', 'zh-CN'],
          ['mainland', 'zh-CN'],
        ] as const
      ).map(([typed, lang]) => [from, typed, lang] as const),
    ),
  )('GIVEN a %s chat and /lang %s (a place) THEN the language written there, %s, the reply naming it', async (from, typed, lang) => {
    const ctx = chatCtx({ chatId: `lang-${from}`, userLanguageCode: from });
    const r = await run('lang', typed.split(' '), ctx);
    expect([r.status, plainText(r)]).toEqual(['ok', lang === 'zh-TW' ? '語言已設為繁體中文。' : '语言已设为简体中文。']);
    expect((await sub(`lang-${from}`))?.lang).toBe(lang);
  });

  test('GIVEN a chat never subscribed THEN /lang stores the language without subscribing it', async () => {
    await run('lang', ['zh']);
    expect(await sub()).toMatchObject({ active: false, lang: 'zh-TW' });
    expect(await w.deps.subs.countActive()).toBe(0);
    expect(await chatLang(w.deps, chatCtx({ userLanguageCode: 'en-US' }))).toBe('zh-TW');
  });

  test('GIVEN /lang fr THEN usage in the current language and nothing written', async () => {
    const r = await run('lang', ['fr'], chatCtx({ userLanguageCode: 'zh-TW' }));
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain('無法辨識語言「fr」');
    expect(await sub()).toBeUndefined();
  });
});

describe('groups and channels: only admins change settings', () => {
  const settings = [
    ['subscribe', []],
    ['subscribe', ['spx', '2.5']],
    ['unsubscribe', []],
    ['mylevels', ['add', 'spx', '1.8']],
    ['mute', ['2h']],
    ['mute', ['forever']],
    ['unmute', []],
    ['lang', ['zh-TW']],
  ] as const;

  test.each(settings)("GIVEN a non-admin's /%s %j in a group THEN denied politely and nothing stored", async (name, args) => {
    // The chat's settings exist already: a refusal must leave them exactly as they were.
    await run('subscribe', ['qqq'], chatCtx({ chatType: 'group', chatId: '-100' }));
    const before = w.dump();
    const ctx = chatCtx({ chatType: 'group', chatId: '-100', admin: false });
    const r = await run(name, args, ctx);
    expect(r.status).toBe('denied');
    expect(plainText(r)).toBe('Sorry, only an administrator of this group can change its settings.');
    expect(ctx.adminAsks()).toBe(1);
    expect(w.dump()).toBe(before);
  });

  test('GIVEN Discord THEN the refusal and /help name what Discord checks (Manage Channels), in the chat’s language', async () => {
    const ctx = chatCtx({ platform: 'discord', chatType: 'group', chatId: '700', admin: false, userLanguageCode: 'zh-TW' });
    expect(plainText(await run('subscribe', [], ctx))).toBe('抱歉，只有具備「管理頻道」權限的成員可以變更本頻道的設定。');
    expect(plainText(await run('help', [], ctx))).toMatch(/\n在伺服器中，只有具備「管理頻道」權限的成員可以變更頻道的設定。$/);
    expect(plainText(await run('help', [], chatCtx({ chatType: 'group', chatId: '-100' })))).toMatch(
      /\nIn groups and channels only administrators can change the settings\.$/,
    );
  });

  test("GIVEN a non-admin's bare /lang in a group THEN the chat's language and how to change it, without asking for admin rights", async () => {
    await run('lang', ['zh-CN'], chatCtx({ chatType: 'group', chatId: '-100' }));
    const before = w.dump();
    const ctx = chatCtx({ chatType: 'group', chatId: '-100', admin: false });
    const r = await run('lang', [], ctx);
    expect([r.status, plainText(r)]).toEqual(['ok', '本群目前使用简体中文。如要更改：/lang en、/lang zh-TW。']);
    expect(ctx.adminAsks()).toBe(0);
    expect(w.dump()).toBe(before);
  });

  test('GIVEN a non-admin in a channel THEN the toggle button is refused and not applied', async () => {
    await run('subscribe', [], chatCtx({ chatType: 'channel', chatId: '-200' }));
    const before = w.dump();
    const r = await handleAction(w.deps, chatCtx({ chatType: 'channel', chatId: '-200', admin: false }), 'sub:toggle:spx-gold-2.5');
    expect(r).toMatchObject({ edit: false, reply: { status: 'denied' } });
    expect(w.dump()).toBe(before);
  });

  test('GIVEN an admin in a group THEN /subscribe works; read-only commands never ask for admin rights', async () => {
    const admin = chatCtx({ chatType: 'group', chatId: '-100' });
    expect((await run('subscribe', [], admin)).status).toBe('ok');
    expect(admin.adminAsks()).toBe(1);
    const reader = chatCtx({ chatType: 'group', chatId: '-100', admin: false });
    for (const c of CHAT_COMMANDS.filter((x) => !x.changesSettings)) await c.run(w.deps, reader, []);
    await run('mylevels', [], reader);
    expect(reader.adminAsks()).toBe(0);
  });

  test('GIVEN a private chat THEN settings commands never ask for admin rights', async () => {
    const ctx = chatCtx({ admin: false });
    expect((await run('subscribe', [], ctx)).status).toBe('ok');
    expect(ctx.adminAsks()).toBe(0);
  });
});
