/**
 * What readers still met (round 23), typed into the Telegram fake (and the Discord fake where it
 * differs), answered by the real bots: a Simplified chat's own command menu (Telegram keys menus by
 * two letters, so zh-hans read the Traditional `zh` list).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { makeTelegram, nextAnswer, seedAlert, startBot, stopBot, type RunningBot } from '../helpers/telegram-harness.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';
import { typedAction } from '../../src/chat/buttons.ts';
import { CHAT_MENU_PREFIX } from '../../src/platforms/telegram/chat-menu.ts';
import { menuCommands } from '../../src/platforms/telegram/bot.ts';
import type { FakeUser } from '../fakes/telegram.ts';

describe('a Simplified chat’s command menu: its own, set once (setMyCommands with the chat’s scope)', () => {
  let running: RunningBot | undefined;
  afterEach(async () => {
    if (running !== undefined) await stopBot(running);
    running = undefined;
  });

  /**
   * Types each text into `chatId` as `user`, each after the last was answered; then once more, so
   * that the last one's menu check (made after its answer, before the chat's next update) is done.
   */
  async function typeIn(chatId: number, user: FakeUser, ...texts: string[]): Promise<void> {
    const { fake } = running!;
    for (const text of [...texts, '/help']) await nextAnswer(fake, chatId, text, user, chatId > 0 ? 'private' : 'supergroup');
  }
  const seen = (chatId: number, user: FakeUser) =>
    running!.fake.menus.seenBy({
      chat: chatId > 0 ? 'private' : 'group',
      chatId,
      userId: user.id,
      ...(user.language_code !== undefined ? { languageCode: user.language_code } : {}),
    });
  const menuCalls = (chatId: number) => [...running!.fake.callsTo('setMyCommands', chatId), ...running!.fake.callsTo('deleteMyCommands', chatId)];

  test('GIVEN a zh-hans reader’s first /start THEN their chat’s menu is Simplified (本对话的订阅), set once: more messages and a restart ask nothing again', async () => {
    running = await startBot();
    const user: FakeUser = { id: 23001, first_name: 'Lin', language_code: 'zh-hans' };
    await typeIn(23001, user, '/start');
    expect(seen(23001, user)).toEqual(menuCommands('zh-CN', 'private'));
    expect(seen(23001, user).find((c) => c.command === 'mylevels')?.description).toBe('本对话的订阅；添加或删除本对话点位');
    const calls = menuCalls(23001);
    expect(calls.map((c) => [c.method, c.params.scope])).toEqual([['setMyCommands', { type: 'chat', chat_id: 23001 }]]);
    expect(running.world.db.prepare('SELECT value FROM meta WHERE key = ?').get(`${CHAT_MENU_PREFIX}23001`)).toEqual({
      value: expect.stringMatching(/^zh-CN /),
    });

    await typeIn(23001, user, '/ratio');
    await running.tg.stop();
    const tg = makeTelegram(running.world);
    running = { ...running, tg };
    await tg.start();
    await typeIn(23001, user, '/ratio');
    expect(menuCalls(23001)).toHaveLength(1);
  });

  test.each([
    ['zh-hant', 'zh-TW'],
    ['zh-tw', 'zh-TW'],
    ['en', 'en'],
  ])('GIVEN a %s reader’s /start THEN no menu of the chat’s own: the %s one per language_code reads right', async (code, lang) => {
    running = await startBot();
    const user: FakeUser = { id: 23002, first_name: 'Lin', language_code: code };
    await typeIn(23002, user, '/start');
    expect(menuCalls(23002)).toEqual([]);
    expect(seen(23002, user)).toEqual(menuCommands(lang as 'en' | 'zh-TW', 'private'));
  });

  test('GIVEN an English private chat’s /lang 简体 THEN its menu is Simplified; /lang en takes the chat’s own away (deleteMyCommands), back to the English one', async () => {
    running = await startBot();
    const user: FakeUser = { id: 23003, first_name: 'Ann', language_code: 'en' };
    await typeIn(23003, user, '/lang 简体');
    expect(seen(23003, user)).toEqual(menuCommands('zh-CN', 'private'));
    await typeIn(23003, user, '/lang en');
    expect(menuCalls(23003).map((c) => c.method)).toEqual(['setMyCommands', 'deleteMyCommands']);
    expect(menuCalls(23003)[1]!.params.scope).toEqual({ type: 'chat', chat_id: 23003 });
    expect(seen(23003, user)).toEqual(menuCommands('en', 'private'));
    expect(running.world.db.prepare('SELECT value FROM meta WHERE key = ?').get(`${CHAT_MENU_PREFIX}23003`)).toBeUndefined();
  });

  test('GIVEN a group’s /lang 简体 THEN every member’s menu there is the group’s Simplified one (本群), an English member’s too', async () => {
    running = await startBot();
    const admin: FakeUser = { id: 23004, first_name: 'Wei', language_code: 'zh-hans' };
    const member: FakeUser = { id: 23005, first_name: 'Bob', language_code: 'en' };
    running.fake.setMember(-1002300, admin.id, 'administrator');
    await typeIn(-1002300, admin, '/lang 简体');
    expect(seen(-1002300, member)).toEqual(menuCommands('zh-CN', 'group'));
    expect(seen(-1002300, member).find((c) => c.command === 'mylevels')?.description).toBe('本群的订阅；添加或删除本群点位');
  });

  test('GIVEN the chat’s menu refused (403 blocked) THEN the replies go on, the refusal is logged once, and not asked again in this process', async () => {
    running = await startBot();
    running.fake.fault(23006, { kind: 'blocked' }, { methods: ['setMyCommands'] });
    const user: FakeUser = { id: 23006, first_name: 'Lin', language_code: 'zh-cn' };
    await typeIn(23006, user, '/start', '/ratio');
    expect(menuCalls(23006).map((c) => c.status)).toEqual([403]);
    expect(running.world.log.lines.filter((l) => l.includes('could not set chat 23006'))).toHaveLength(1);
  });

  test('GIVEN the chat’s menu answered 429 THEN the reply stands, the pause is logged once, and the chat’s next message after it sets the menu', async () => {
    running = await startBot();
    // retry_after 0: the pause is over by the next message, so nothing here waits on a clock.
    running.fake.fault(23007, { kind: 'too-many', retryAfter: 0 }, { methods: ['setMyCommands'], times: 1 });
    const user: FakeUser = { id: 23007, first_name: 'Lin', language_code: 'zh-sg' };
    await typeIn(23007, user, '/start', '/ratio');
    expect(menuCalls(23007).map((c) => c.status)).toEqual([429, 200]);
    expect(running.world.log.lines.filter((l) => l.includes('chat menus paused'))).toHaveLength(1);
    expect(seen(23007, user)).toEqual(menuCommands('zh-CN', 'private'));
  });

  test('GIVEN the Bot API answering the chat’s menu with a 502 THEN the replies go on, and the menus pause, said once; the chat is not marked refused', async () => {
    running = await startBot();
    running.fake.fault(23008, { kind: 'server' }, { methods: ['setMyCommands'], times: 1 });
    const user: FakeUser = { id: 23008, first_name: 'Lin', language_code: 'zh-hans' };
    await typeIn(23008, user, '/start');
    expect(menuCalls(23008).map((c) => c.status)).toEqual([502]);
    expect(running.world.log.lines.filter((l) => l.includes('chat menus paused for 30 s'))).toHaveLength(1);
    expect(running.world.log.lines.some((l) => l.includes('could not set chat 23008'))).toBe(false);
  });

  test('GIVEN a zh-hans reader who blocks the bot (my_chat_member, kicked) THEN no menu is asked for that chat', async () => {
    running = await startBot();
    const user: FakeUser = { id: 23009, first_name: 'Lin', language_code: 'zh-hans' };
    running.fake.botMembership(23009, 'private', user, 'member', 'kicked');
    // A message of the same chat after it: its answer comes once the block's update is done (one chat's updates run in order).
    const answer = await nextAnswer(running.fake, 23009, '/help', user);
    const answeredAt = running.fake.calls.indexOf(answer);
    expect(menuCalls(23009).filter((c) => running!.fake.calls.indexOf(c) < answeredAt)).toEqual([]);
  });
});

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;
beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));
const { nextChatId, telegramCall, discord } = readerTryout(() => bots, 23100, 923100000000000001n);
type Keyboard = { inline_keyboard: { text: string; callback_data: string }[][] };
const buttonsOf = (params: Readonly<Record<string, unknown>>) => (params.reply_markup as Keyboard | undefined)?.inline_keyboard.flat() ?? [];

describe('/quiet 7-23: a daytime window over 12 hours, set as typed, its length said and the night a button away', () => {
  test.each([
    ['en', '/quiet 7-23', '23:00–07:00 instead', '07:00-23:00 holds alerts for 16 hours in the daytime; for the night instead, choose 23:00–07:00 below.'],
    ['zh-TW', '/quiet 7-23', '改為 23:00–07:00', '07:00-23:00 是白天的 16 小時勿擾；若要的是夜間，請選下方的 23:00–07:00。'],
    ['zh-CN', '/quiet 07:00-23:00', '改为 23:00–07:00', '07:00-23:00 是白天的 16 小时免打扰；如要的是夜间，请选下方的 23:00–07:00。'],
  ] as const)('GIVEN Telegram %s "%s" THEN set as typed, its 16 hours said, and a button "%s" sets the night', async (lang, text, label, line) => {
    const { chatId, user, call } = await telegramCall(lang, text);
    expect(linesOf(call)).toContain(line);
    const night = buttonsOf(call.params).find((b) => b.text === label);
    expect(night?.callback_data).toBe('quiet:2300-0700:UTC');
    // The console shows the button as what to type.
    expect(typedAction(night!.callback_data)).toEqual({ typed: '/quiet 23:00-07:00 UTC' });
    const from = bots.tgFake.calls.length;
    bots.tgFake.callbackQuery(chatId, (call.result as { message_id: number }).message_id, night!.callback_data, user);
    await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
    const sub = await bots.world.deps.subs.get('telegram', String(chatId));
    expect(await bots.world.deps.quiet!.window(sub!.id)).toMatchObject({ start: '23:00', end: '07:00' });
  });

  test('GIVEN Discord "/quiet hours:7-23" THEN the same length said', async () => {
    const lines = await discord('en', 'quiet', { hours: '7-23' });
    expect(lines).toContain('07:00-23:00 holds alerts for 16 hours in the daytime; for the night instead, choose 23:00–07:00 below.');
  });

  test.each([
    ['/quiet 09:00-17:00', 'eight hours of the working day'],
    ['/quiet 23-7', 'the night'],
    ['/quiet 12:00-23:00', 'eleven hours'],
    ['/quiet 22:00-10:00', 'twelve hours across midnight'],
  ])('GIVEN Telegram en "%s" (%s) THEN no question: no length line, no night button', async (text) => {
    const { call } = await telegramCall('en', text);
    expect(linesOf(call).some((l) => l.includes('in the daytime'))).toBe(false);
    expect(buttonsOf(call.params).some((b) => b.text.endsWith('instead'))).toBe(false);
  });
});

describe('/move 20 spx 10: two bare numbers around the pair, either the percent, asked with a button for each', () => {
  test.each([
    [
      'en',
      '/move 20 spx 10',
      'Nothing set yet: did you mean SPX/Gold: 20% or more over 10 trading days, or SPX/Gold: 10% or more over 20 trading days? Choose below, or type it with % and d, like /move spx 20% 10d.',
      ['20% over 10 trading days', '10% over 20 trading days'],
    ],
    [
      'zh-TW',
      '/move 20 標普 10',
      '尚未設定：您是指「標普500/黃金：10 個交易日內漲跌 20% 以上」，還是「標普500/黃金：20 個交易日內漲跌 10% 以上」？請在下方選擇，或寫明百分比與天數，例如 /move spx 20% 10d。',
      ['10 個交易日內 20%', '20 個交易日內 10%'],
    ],
    [
      'zh-CN',
      '/move 20 qqq 10',
      '尚未设置：您是指“QQQ/黄金：10 个交易日内涨跌 20% 以上”，还是“QQQ/黄金：20 个交易日内涨跌 10% 以上”？请在下方选择，或写明百分比和天数，例如 /move qqq 20% 10d。',
      ['10 个交易日内 20%', '20 个交易日内 10%'],
    ],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN nothing set, asked; the second button adds that reading', async (lang, text, line, labels) => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: lang };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const asked = await nextAnswer(bots.tgFake, chatId, text, user);
    expect(linesOf(asked)).toEqual([line]);
    const sub = await bots.world.deps.subs.get('telegram', String(chatId));
    expect(await bots.world.deps.moves!.list(sub!.id)).toEqual([]);
    const buttons = buttonsOf(asked.params);
    expect(buttons.map((b) => b.text)).toEqual(labels);
    const pair = text.includes('qqq') ? 'qqq' : 'spx';
    expect(buttons.map((b) => typedAction(b.callback_data))).toEqual([{ typed: `/move ${pair} 20% 10d` }, { typed: `/move ${pair} 10% 20d` }]);
    const from = bots.tgFake.calls.length;
    bots.tgFake.callbackQuery(chatId, (asked.result as { message_id: number }).message_id, buttons[1]!.callback_data, user);
    await bots.tgFake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId), undefined, from);
    expect(await bots.world.deps.moves!.list(sub!.id)).toEqual([{ pair: `${pair}-gold`, pct: 10, days: 20 }]);
  });

  test.each([
    ['/move spx 10 20', 'Move alert added: SPX/Gold: 10% or more over 20 trading days.'],
    ['/move spx 20 10', 'Move alert added: SPX/Gold: 20% or more over 10 trading days.'],
    ['/move 10 20 spx', 'Move alert added: SPX/Gold: 10% or more over 20 trading days.'],
    ['/move spx 5% 10d', 'Move alert added: SPX/Gold: 5% or more over 10 trading days.'],
    ['/move 20% spx 10', 'Move alert added: SPX/Gold: 20% or more over 10 trading days.'],
    ['/move spx 10 150', 'Move alert added: SPX/Gold: 10% or more over 150 trading days.'],
    // The pair between them, the order says nothing: 150 can only be the days, not refused as a percent past 100.
    ['/move 150 spx 10', 'Move alert added: SPX/Gold: 10% or more over 150 trading days.'],
  ])('GIVEN Telegram en "%s" (the documented order, or one number that can only be one of them) THEN added as before: %s', async (text, line) => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    expect(linesOf(await nextAnswer(bots.tgFake, chatId, text, user))[0]).toBe(line);
  });
});

describe('/move with a percent past 100 in the documented order (the pair first or last)', () => {
  // /help writes the percent first: a percent out of bounds there is refused naming it (500 may have meant
  // a 500% move, not 5% over 500 days), as /move spx 500 5 always was; only the pair between the numbers,
  // whose order says nothing, is read the one way that fits.
  test.each(['/move spx 150 10', '/move 150 10 spx'])('GIVEN Telegram en "%s" THEN refused: the percent named, nothing added', async (text) => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const said = linesOf(await nextAnswer(bots.tgFake, chatId, text, user)).join(' ');
    expect(said).toMatch(/^Percent must be a number from 1 to 100, like 10, got "150"\./);
    const sub = await bots.world.deps.subs.get('telegram', String(chatId));
    expect(await bots.world.deps.moves!.list(sub!.id)).toEqual([]);
  });
});

describe('/move with two numbers neither of which can be the percent', () => {
  test('GIVEN Telegram en "/move 150 spx 200" THEN refused as before: the percent named, nothing added', async () => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const said = linesOf(await nextAnswer(bots.tgFake, chatId, '/move 150 spx 200', user)).join(' ');
    expect(said).toMatch(/^Percent must be a number from 1 to 100, like 10, got "150"\./);
    const sub = await bots.world.deps.subs.get('telegram', String(chatId));
    expect(await bots.world.deps.moves!.list(sub!.id)).toEqual([]);
  });
});

describe('/subscribe in a forum topic closed to the bot: answered in General, and the alerts kept there', () => {
  const FORUM = -1_002_310;
  const TOPIC = 9;
  let running: RunningBot | undefined;
  afterEach(async () => {
    if (running !== undefined) await stopBot(running);
    running = undefined;
  });

  test.each(['en', 'zh-TW', 'zh-CN'] as const)(
    'GIVEN a %s admin’s /subscribe in a closed topic THEN the answer in General says the alerts come there, and the first alert lands there with no refused try',
    async (lang) => {
      running = await startBot();
      const { fake, world, tg } = running;
      const admin: FakeUser = { id: 23011, first_name: 'Mei', language_code: lang };
      fake.setForum(FORUM);
      fake.setMember(FORUM, admin.id, 'administrator');
      fake.closeTopic(FORUM, TOPIC, 'closed');
      const before = fake.calls.length;
      fake.textMessage(FORUM, '/subscribe', admin, 'supergroup', { topic: TOPIC });
      const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM) && c.status === 200, undefined, before);
      expect(answer.params.message_thread_id).toBeUndefined();
      const text = String(answer.params.text);
      expect(text).toContain(t(lang, 'telegram.subscribedInGeneral'));
      expect(text).not.toContain(t(lang, 'telegram.topicMoved.toTopic'));
      expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBeNull();

      const dispatcher = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
        notifiers: [tg.notifier],
        charts: world.charts,
        log: world.log,
      });
      const sent = fake.calls.length;
      await seedAlert(world, [String(FORUM)]);
      await dispatcher.drain();
      const sends = fake.calls.slice(sent).filter((c) => c.chatId === String(FORUM) && (c.method === 'sendMessage' || c.method === 'sendPhoto'));
      expect(sends.length).toBeGreaterThan(0);
      expect(sends.map((c) => [c.status, c.params.message_thread_id])).toEqual(sends.map(() => [200, undefined]));
    },
  );

  test('GIVEN /subscribe in an open topic THEN the alerts go to that topic, said as before', async () => {
    running = await startBot();
    const { fake, world } = running;
    const admin: FakeUser = { id: 23012, first_name: 'Ada', language_code: 'en' };
    fake.setForum(FORUM);
    fake.setMember(FORUM, admin.id, 'administrator');
    const before = fake.calls.length;
    fake.textMessage(FORUM, '/subscribe', admin, 'supergroup', { topic: TOPIC });
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before);
    expect(String(answer.params.text)).toContain(t('en', 'telegram.topicMoved.toTopic'));
    expect((await world.deps.subs.get('telegram', String(FORUM)))?.threadId).toBe(TOPIC);
  });
});

describe('/quiet set in a forum topic other than the alerts’: the answer says where the held alerts’ summary comes', () => {
  const FORUM = -1_002_320;
  const TOPIC = 11;
  let running: RunningBot | undefined;
  afterEach(async () => {
    if (running !== undefined) await stopBot(running);
    running = undefined;
  });
  /** `text` sent in `topic` (General when undefined) by `admin`: the answer's text. */
  async function ask(admin: FakeUser, text: string, topic?: number): Promise<string> {
    const { fake } = running!;
    const before = fake.calls.length;
    fake.textMessage(FORUM, text, admin, 'supergroup', topic === undefined ? {} : { topic });
    return String((await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(FORUM), undefined, before)).params.text);
  }

  test.each(['en', 'zh-TW', 'zh-CN'] as const)(
    'GIVEN a %s forum’s alerts in a topic WHEN /quiet 23:00-07:00 is sent in General THEN the answer says the summary comes to that topic',
    async (lang) => {
      running = await startBot();
      const admin: FakeUser = { id: 23021, first_name: 'Mei', language_code: lang };
      running.fake.setForum(FORUM);
      running.fake.setMember(FORUM, admin.id, 'administrator');
      await ask(admin, '/subscribe', TOPIC);
      expect(await ask(admin, '/quiet 23:00-07:00')).toContain(t(lang, 'telegram.quietSummaryIn.topic'));
      // In the alerts' own topic: nothing to say.
      expect(await ask(admin, '/quiet 22:00-07:00', TOPIC)).not.toContain(t(lang, 'telegram.quietSummaryIn.topic'));
    },
  );

  test('GIVEN a forum’s alerts in General WHEN /quiet is set in a topic THEN the answer says the summary comes to General', async () => {
    running = await startBot();
    const admin: FakeUser = { id: 23022, first_name: 'Ada', language_code: 'en' };
    running.fake.setForum(FORUM);
    running.fake.setMember(FORUM, admin.id, 'administrator');
    await ask(admin, '/subscribe');
    expect(await ask(admin, '/quiet 23-7 Asia/Taipei', TOPIC)).toContain(t('en', 'telegram.quietSummaryIn.general'));
  });
});

describe('Urumqi’s question: both buttons name a clock (北京時間 | 新疆時間), and either label typed back is that clock', () => {
  test.each([
    ['zh-TW', '/digest 08:00 烏魯木齊', ['北京時間', '新疆時間']],
    ['zh-CN', '/digest 08:00 乌鲁木齐', ['北京时间', '新疆时间']],
    ['en', '/digest 08:00 Urumqi', ['Beijing time', 'Xinjiang time']],
  ] as const)('GIVEN Telegram %s "%s" THEN the buttons read %j', async (lang, text, labels) => {
    const { call } = await telegramCall(lang, text);
    expect(buttonsOf(call.params).map((b) => [b.text, b.callback_data])).toEqual([
      [labels[0], 'digest:0800:Asia/Shanghai'],
      [labels[1], 'digest:0800:Asia/Urumqi'],
    ]);
  });

  test.each([
    ['zh-TW', '/digest 08:00 北京時間', 'Asia/Shanghai'],
    ['zh-CN', '/digest 08:00 北京时间', 'Asia/Shanghai'],
    ['en', '/digest 08:00 Beijing time', 'Asia/Shanghai'],
    ['zh-CN', '/digest 08:00 新疆时间', 'Asia/Urumqi'],
    ['en', '/digest 08:00 Xinjiang time', 'Asia/Urumqi'],
  ] as const)('GIVEN Telegram %s "%s" (a button’s label typed) THEN the digest is set on that clock, %s, not asked', async (lang, text, zone) => {
    const { chatId } = await telegramCall(lang, text);
    const sub = await bots.world.deps.subs.get('telegram', String(chatId));
    expect((await bots.world.deps.digests!.get(sub!.id))?.timezone).toBe(zone);
  });

  test('GIVEN Telegram zh-TW "/quiet 23:00-07:00 烏魯木齊" THEN the choices to type name both clocks alike', async () => {
    expect((await telegramCall('zh-TW', '/quiet 23:00-07:00 烏魯木齊')).call.params.text).toContain('（北京時間 Asia/Shanghai、新疆時間 Asia/Urumqi）');
  });
});
