import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../../fakes/telegram.ts';
import { isTelegramHtml, makeTelegram, startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import { createTelegram, unreachable, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { Api, HttpError } from 'grammy';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { renderReply, chunkLines } from '../../../src/platforms/telegram/render.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { until } from '../../helpers/replicas.ts';
import { stopReason } from '../../../src/domain/stop-cause.ts';
import { formatMoment } from '../../../src/chat/labels.ts';
import { nextSendingDue } from '../../../src/domain/digest-schedule.ts';
import '../../../src/chat/registry.ts';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BOB: FakeUser = { id: 2002, first_name: 'Bob', username: 'bob', language_code: 'en' };
const MEI: FakeUser = { id: 3003, first_name: 'Mei', language_code: 'zh-hant' };

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

describe('Telegram bot, long polling against the fake Bot API', () => {
  beforeEach(async () => ({ fake, world, tg } = await startBot()));
  afterEach(() => stopBot({ fake, world, tg }));

  test('GIVEN the bot starts THEN it sets a menu per scope (private chats, groups) and language (default English, zh Traditional), each naming the chat as its place', async () => {
    const menus = fake.callsTo('setMyCommands');
    expect(menus.map((m) => [(m.params.scope as { type: string }).type, m.params.language_code])).toEqual([
      ['all_private_chats', undefined],
      ['all_private_chats', 'zh'],
      ['all_group_chats', undefined],
      ['all_group_chats', 'zh'],
      // The default scope's, once for this database (tests/platforms/telegram/default-menu.test.ts).
      ['default', undefined],
      ['default', 'zh'],
    ]);
    const mylevels = (o: Parameters<FakeTelegram['menus']['seenBy']>[0]) => fake.menus.seenBy(o).find((c) => c.command === 'mylevels')?.description;
    // What each reader's menu shows, as Telegram picks it from the scopes set.
    expect(mylevels({ chat: 'private', chatId: 1, userId: 1, languageCode: 'zh-hant' })).toBe(t('zh-TW', 'chat.cmd.mylevels.dm'));
    expect(mylevels({ chat: 'private', chatId: 1, userId: 1, languageCode: 'zh-hant' })).toContain('本對話的訂閱');
    expect(mylevels({ chat: 'group', chatId: -5, userId: 1, languageCode: 'zh-hant' })).toBe(t('zh-TW', 'chat.cmd.mylevels.group'));
    expect(mylevels({ chat: 'group', chatId: -5, userId: 1, languageCode: 'zh-hant' })).toContain('本群組的訂閱');
    // Simplified readers get the zh menu (Telegram takes two-letter codes only); their answers are Simplified.
    expect(mylevels({ chat: 'private', chatId: 1, userId: 1, languageCode: 'zh-hans' })).toContain('本對話');
    expect(mylevels({ chat: 'private', chatId: 1, userId: 1, languageCode: 'en' })).toBe(t('en', 'chat.cmd.mylevels.dm'));
    expect(mylevels({ chat: 'group', chatId: -5, userId: 1, languageCode: 'fr', admin: true })).toBe(t('en', 'chat.cmd.mylevels.group'));
    const names = fake.menus.seenBy({ chat: 'group', chatId: -5, userId: 1 }).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(['start', 'help', 'ratio', 'chart', 'subscribe', 'unsubscribe', 'lang']));
    // Long polling: grammY clears any webhook before polling.
    expect(fake.callsTo('deleteWebhook')).toHaveLength(1);
  });

  test('GIVEN a scope the Bot API does not know, or a language code that is not two letters THEN the fake refuses as Telegram does, and getMyCommands reads a scope back', async () => {
    const api = new Api(fake.token, { apiRoot: fake.apiRoot });
    await expect(api.setMyCommands([{ command: 'x', description: 'x' }], { scope: { type: 'all_channels' } as never })).rejects.toThrow(
      "Bad Request: can't parse BotCommandScope: Unsupported type specified",
    );
    await expect(api.setMyCommands([{ command: 'x', description: 'x' }], { language_code: 'zh-hans' as 'zh' })).rejects.toThrow(
      'Bad Request: invalid language code specified',
    );
    const zhGroups = await api.getMyCommands({ scope: { type: 'all_group_chats' }, language_code: 'zh' });
    expect(zhGroups.find((c) => c.command === 'mylevels')?.description).toBe(t('zh-TW', 'chat.cmd.mylevels.group'));
    // The default scope holds the chat's plain words (default-menu.test.ts).
    expect((await api.getMyCommands()).find((c) => c.command === 'mylevels')?.description).toBe(t('en', 'chat.cmd.mylevels'));
  });

  test('GIVEN a deep link (t.me/<bot>?start=from_a_post, which sends "/start from_a_post") THEN the same welcome as /start, not a usage line', async () => {
    fake.textMessage(43, '/start');
    const plain = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '43');
    fake.textMessage(44, '/start from_a_post');
    const linked = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '44');
    expect(String(linked.params.text)).toBe(String(plain.params.text));
    expect(String(linked.params.text)).toContain(t('en', 'chat.start.title'));
  });

  test('GIVEN a command goldratio does not have, in a private chat (or addressed to goldratio in a group) THEN it says so and points to /help; unaddressed in a group, or addressed to another bot, nothing', async () => {
    fake.textMessage(-100777, '/nosuch');
    fake.textMessage(45, '/start@OtherBot');
    fake.textMessage(45, '/nosuch@OtherBot');
    fake.textMessage(45, `/nosuch@${fake.username}`);
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '45');
    expect(String(told.params.text)).toBe('There is no /nosuch. /help lists the commands.');
    fake.textMessage(46, '/nosuch', MEI);
    const zh = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '46');
    expect(String(zh.params.text)).toBe('沒有 /nosuch 這個指令。/help 列出所有指令。');
    // A known command still answers as before, and the group heard nothing.
    fake.textMessage(-100777, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-100777');
    expect(fake.callsTo('sendMessage', -100777)).toHaveLength(1);
    // Addressed to goldratio by name, a group's typo is goldratio's to answer.
    fake.textMessage(-100778, `/raito@${fake.username}`, undefined, 'group');
    const named = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-100778');
    expect(String(named.params.text)).toBe('There is no /raito. Did you mean /ratio? /help lists the commands.');
    expect(named.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
    expect(fake.callsTo('sendMessage', 45)).toHaveLength(1);
    expect(fake.callsTo('sendMessage', 46)).toHaveLength(1);
  });

  test("GIVEN a command with a Chinese IME's full-width ＠ before the bot's name (/ratio＠goldratio_test_bot) THEN it is addressed to this bot, as with @; ＠ another bot's name THEN nothing, in a group too", async () => {
    const plain = async (chat: number, text: string) => {
      const before = fake.calls.length;
      fake.textMessage(chat, text, MEI);
      const sent = await fake.waitFor((c) => /^send(Message|Photo)$/.test(c.method) && c.chatId === String(chat), undefined, before);
      // The reply's data age is read from the clock ("34 minutes old"): two replies a minute boundary apart differ there alone.
      return `${sent.method}: ${String(sent.params.text ?? sent.params.caption).replace(/\b\d+ (minute|hour)s?\b/g, 'N $1s')}`;
    };
    expect(await plain(81, `/ratio＠${fake.username} spx`)).toBe(await plain(82, '/ratio spx'));
    expect(await plain(83, `/levels＠${fake.username}`)).toBe(await plain(84, '/levels'));
    fake.textMessage(-100781, '/ratio＠OtherBot', MEI);
    fake.textMessage(-100781, '/help', MEI);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-100781');
    expect(fake.calls.filter((c) => /^send/.test(c.method) && c.chatId === '-100781')).toHaveLength(1);
  });

  test('GIVEN a typo or a word people try (/raito, /alerts, /histroy in zh-TW) THEN the command it most likely meant is named; a guess between two is not made', async () => {
    const answer = async (chat: number, text: string, from?: typeof MEI) => {
      fake.textMessage(chat, text, from);
      return String((await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat))).params.text);
    };
    expect(await answer(47, '/raito')).toBe('There is no /raito. Did you mean /ratio? /help lists the commands.');
    expect(await answer(48, '/alerts')).toBe('There is no /alerts. Did you mean /mylevels? /help lists the commands.');
    // A typo of such a word too.
    expect(await answer(51, '/alrets')).toBe('There is no /alrets. Did you mean /mylevels? /help lists the commands.');
    expect(await answer(49, '/histroy', MEI)).toBe('沒有 /histroy 這個指令。您要找的是 /history 嗎？/help 列出所有指令。');
    // /mu: /mute or /move? No guess.
    expect(await answer(50, '/mu')).toBe('There is no /mu. /help lists the commands.');
  });

  test('GIVEN text that is no command in a private chat (hello, 訂閱, /價格, ratio, spx, qqq 5y) THEN a reading command it names runs, a settings one is only named, else what the bot answers; in a group, or an inline card, nothing', async () => {
    const answer = async (chat: number, text: string, from?: typeof MEI) => {
      fake.textMessage(chat, text, from);
      const sent = await fake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(chat));
      return String(sent.params.text ?? sent.params.caption);
    };
    expect(await answer(61, 'hello')).toBe('I answer commands, like /ratio for the ratios now or /chart for a chart. /help lists them all.');
    // A settings command is named, never run without its slash.
    expect(await answer(62, '訂閱', MEI)).toBe('您要找的是 /subscribe 嗎？/help 列出所有指令。');
    expect(await answer(65, '取消訂閱', MEI)).toBe('您要找的是 /unsubscribe 嗎？/help 列出所有指令。');
    expect(await answer(67, 'stauts')).toBe('Did you mean /status? /help lists every command.');
    // A reading one runs: by its name, a word people try (Telegram marks no command in `/價格`), a pair alone or with a range.
    expect(await answer(63, '/價格', MEI)).toMatch(/^<b>標普500\/黃金<\/b>/);
    expect(await answer(64, 'ratio')).toMatch(/^<b>SPX\/Gold<\/b> <code>/);
    expect(await answer(68, 'spx')).toMatch(/^<b>SPX\/Gold<\/b> <code>/);
    expect(await answer(69, 'qqq 5y')).toBe('<b>QQQ/Gold, 5Y</b>');
    expect(await answer(70, 'help digest')).toMatch(/^<code>\/digest /);
    expect(await world.deps.subs.get('telegram', '62')).toBeUndefined();
    // A group's talk is not for the bot; a card this bot's inline mode posted is its own.
    fake.textMessage(-100790, 'hello everyone');
    fake.textMessage(66, 'SPX/Gold 1.698', undefined, 'private', { viaBot: true });
    fake.textMessage(-100790, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-100790');
    fake.textMessage(66, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '66');
    expect(fake.callsTo('sendMessage', -100790)).toHaveLength(1);
    expect(fake.callsTo('sendMessage', 66)).toHaveLength(1);
  });

  test('GIVEN /chart typed with Chinese words (標普 1年, 纳指 半年, 購買力) THEN what /chart spx 1Y, qqq 6M and power answer', async () => {
    for (const [chat, text, title] of [
      [51, '/chart 標普 1年', '標普500/黃金，1年'],
      [52, '/chart 纳指 半年', 'QQQ/黃金，6個月'],
    ] as const) {
      fake.textMessage(chat, text, MEI);
      const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === String(chat));
      expect(String(photo.params.caption), text).toContain(title);
    }
    // This world has no M2, so the power chart is a note: the same one for 購買力 as for power.
    fake.textMessage(53, '/chart 購買力', MEI);
    fake.textMessage(54, '/chart power', MEI);
    const [zh, code] = await Promise.all(['53', '54'].map((chat) => fake.waitFor((c) => /^send(Message|Photo)$/.test(c.method) && c.chatId === chat)));
    expect(zh!.method).toBe(code!.method);
    expect(String(zh!.params.text ?? zh!.params.caption)).toBe(String(code!.params.text ?? code!.params.caption));
  });

  test('GIVEN the bot added to a group THEN one welcome there, in the language of whoever added it; not in a channel, not on a promotion; removed THEN its alerts stop', async () => {
    fake.botMembership(-700, 'supergroup', MEI, 'left', 'member');
    const welcome = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-700');
    expect(String(welcome.params.text)).toContain(t('zh-TW', 'chat.start.title'));
    // Promoted, then added to a channel: nothing said (a channel's every reader would see it). A
    // /help after each, in the same chat, is answered after it was handled (one chat's updates in order).
    fake.botMembership(-700, 'supergroup', MEI, 'member', 'administrator');
    fake.textMessage(-700, '/help', MEI, 'supergroup');
    fake.botMembership(-1007001, 'channel', BOB, 'left', 'administrator');
    fake.textMessage(-1007001, '/help', BOB, 'channel');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1007001');
    await until('the /help answer in the group', () => fake.callsTo('sendMessage', -700).length >= 2 || undefined, 10_000);
    expect(fake.callsTo('sendMessage', -700).map((c) => String(c.params.text).split('\n')[0])).toEqual([
      expect.stringContaining(t('zh-TW', 'chat.start.title')),
      expect.stringContaining(t('zh-TW', 'chat.help.title')),
    ]);
    expect(fake.callsTo('sendMessage', -1007001)).toHaveLength(1);
    await world.deps.subs.upsert('telegram', '-700', {});
    fake.botMembership(-700, 'supergroup', MEI, 'administrator', 'kicked');
    await until('the group unsubscribed', async () => (await world.deps.subs.get('telegram', '-700'))?.active === false || undefined, 10_000);
  });

  test("GIVEN a group's alerts stopped for rights WHEN its rights come back while the bot is down THEN the next start is told (Telegram keeps the my_chat_member update for getUpdates) once; another restart says nothing more", async () => {
    const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;
    await world.deps.subs.upsert('telegram', '-730', { lang: 'zh-TW' });
    await world.deps.subs.chatGone('telegram', '-730', stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
    await tg.stop();
    // Down: a restart, a deploy. A moderator lifts the restriction meanwhile.
    fake.botMembership(-730, 'supergroup', MEI, muted, 'member');
    tg = makeTelegram(world);
    await tg.start();
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-730');
    expect(String(told.params.text)).toMatch(new RegExp(`^${literally(t('zh-TW', 'chat.sub.rightsBack.group'))}\\n`));
    expect((await world.deps.subs.get('telegram', '-730'))?.active).toBe(false);
    // Stopped at once and started again: whether or not the update was confirmed, the chat heard it already.
    await tg.stop();
    tg = makeTelegram(world);
    await tg.start();
    fake.textMessage(-730, '/help', MEI, 'supergroup');
    await until('the /help answer', () => fake.callsTo('sendMessage', -730).length >= 2 || undefined, 10_000);
    expect(fake.callsTo('sendMessage', -730).map((c) => String(c.params.text))).toEqual([
      String(told.params.text),
      expect.stringContaining(t('zh-TW', 'chat.help.title')),
    ]);
  });

  test('GIVEN a group that had only a daily digest, stopped because the bot could not post THEN when it may post again it is told its digest stopped and that /digest with a time brings it back: no Subscribe button, which would turn alerts on', async () => {
    const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;
    await world.deps.subs.ensure('telegram', '-711', { active: false, lang: 'zh-TW', digestTime: '08:00' });
    await world.deps.subs.chatGone('telegram', '-711', stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
    expect(await world.deps.subs.get('telegram', '-711')).toMatchObject({ stopHad: 'digest', active: false });
    fake.botMembership(-711, 'supergroup', MEI, 'member', muted);
    fake.botMembership(-711, 'supergroup', MEI, muted, 'member');
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-711');
    expect(String(told.params.text).split('\n')[0]).toBe(t('zh-TW', 'chat.sub.rightsBackDigest'));
    expect(told.params.reply_markup).toBeUndefined();
  });

  test("GIVEN a group's alerts stopped because the bot could not post THEN when it may post again the chat is told once why and how to resume, in its language, in its alerts' topic; promoted after, nothing more; a channel when it gets Post Messages back; nothing resumed unasked", async () => {
    const LIN: FakeUser = { id: 4004, first_name: 'Lin', language_code: 'zh-hans' };
    const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;
    await world.deps.subs.upsert('telegram', '-710', { lang: 'zh-CN', threadId: 5 });
    await world.deps.subs.chatGone('telegram', '-710', stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
    // It stopped three weeks ago (the moment the store kept, moved back as time would have).
    const stopped = new Date(Date.now() - 21 * 86_400_000);
    world.db.prepare("UPDATE subscriptions SET deactivated_at = ? WHERE chat_id = '-710'").run(stopped.getTime());
    const since = `停止时间：${stopped.getUTCFullYear()}年${stopped.getUTCMonth() + 1}月${stopped.getUTCDate()}日（21 天前）。`;
    fake.botMembership(-710, 'supergroup', LIN, 'member', muted);
    fake.botMembership(-710, 'supergroup', LIN, muted, 'member');
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-710');
    expect(told.params.text).toBe(`${t('zh-CN', 'chat.sub.rightsBack.group')}\n${since}`);
    expect(told.params.message_thread_id).toBe(5);
    expect(told.params.reply_markup).toEqual({ inline_keyboard: [[{ text: t('zh-CN', 'chat.button.subscribe'), callback_data: 'cmd:subscribe' }]] });
    // Promoted next: said already. A /help after it is answered after it was handled (one chat's updates in order).
    fake.botMembership(-710, 'supergroup', LIN, 'member', 'administrator');
    fake.textMessage(-710, '/help', LIN, 'supergroup');
    await until('the /help answer', () => fake.callsTo('sendMessage', -710).length >= 2 || undefined, 10_000);
    expect(fake.callsTo('sendMessage', -710).map((c) => String(c.params.text))).toEqual([
      `${t('zh-CN', 'chat.sub.rightsBack.group')}\n${since}`,
      expect.stringContaining(t('zh-CN', 'chat.help.title')),
    ]);
    // A channel that took the bot's Post Messages right and gave it back.
    await world.deps.subs.upsert('telegram', '-1007100', {});
    await world.deps.subs.chatGone('telegram', '-1007100', stopReason('rights', 'Forbidden: need administrator rights in the channel chat'));
    fake.botMembership(-1007100, 'channel', BOB, { status: 'administrator', can_post_messages: false }, { status: 'administrator', can_post_messages: true });
    const channel = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1007100');
    // Taken and given back at once: on what day, without a "0 min ago".
    expect(String(channel.params.text)).toMatch(
      new RegExp(`^${literally(t('en', 'chat.sub.rightsBack'))}\\nStopped on \\d{4}-\\d{2}-\\d{2}, less than a minute ago\\.$`),
    );
    expect((await world.deps.subs.get('telegram', '-710'))?.active).toBe(false);
    expect((await world.deps.subs.get('telegram', '-1007100'))?.active).toBe(false);
    // A forum whose alerts' topic was closed meanwhile: told in General, as is (no command was answered elsewhere).
    fake.setForum(-720);
    fake.closeTopic(-720, 6, 'closed');
    await world.deps.subs.upsert('telegram', '-720', { threadId: 6 });
    await world.deps.subs.chatGone('telegram', '-720', stopReason('rights', 'Bad Request: CHAT_RESTRICTED'));
    fake.botMembership(-720, 'supergroup', BOB, muted, 'member');
    const general = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-720' && c.status === 200);
    expect(String(general.params.text)).toMatch(new RegExp(`^${literally(t('en', 'chat.sub.rightsBack'))}\\nStopped on `));
    expect(general.params.message_thread_id).toBeUndefined();
    // An admin presses Subscribe under it: the alerts come back as they were, to their topic.
    fake.setMember(-710, LIN.id, 'administrator');
    fake.callbackQuery(-710, messageIdOf(told), 'cmd:subscribe', LIN);
    await until('resumed', async () => (await world.deps.subs.get('telegram', '-710'))?.active || undefined, 10_000);
    expect(await world.deps.subs.get('telegram', '-710')).toMatchObject({ active: true, lang: 'zh-CN', threadId: 5 });
  });

  test('GIVEN a command fixed by an edit THEN the edit is answered as sent anew; an edit long after, or of text that is no command, is not', async () => {
    fake.textMessage(48, '/ratoi qqq');
    const first = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '48');
    expect(String(first.params.text)).toContain('/ratio');
    fake.editedMessage(48, 1, '/ratio qqq');
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '48');
    expect(String(photo.params.caption)).toContain(t('en', 'pair.qqq-gold'));
    // In a group, addressed to another bot: that bot's; to this one: answered, quoting the edited message.
    fake.textMessage(-320, '/help', BOB, 'supergroup');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-320');
    fake.editedMessage(-320, 7, '/levels@someotherbot', BOB);
    fake.editedMessage(-320, 8, `/levels@${fake.username} spx`, BOB);
    const levels = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-320' && String(c.params.text).includes('5.5'));
    expect(levels.params.reply_parameters).toMatchObject({ message_id: 8 });
    // Edited 20 minutes after it was sent, or plain text edited: nothing more.
    fake.editedMessage(48, 2, '/levels', undefined, 20 * 60);
    fake.editedMessage(48, 3, 'spx');
    fake.textMessage(48, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '48' && String(c.params.text).includes(t('en', 'chat.help.title')));
    expect(fake.callsTo('sendMessage', 48)).toHaveLength(2);
    expect(fake.callsTo('sendPhoto', 48)).toHaveLength(1);
    expect(fake.callsTo('sendMessage', -320)).toHaveLength(2);
  });

  test('GIVEN /ratio in a private chat THEN a PNG photo comes back with an HTML caption that Telegram accepts', async () => {
    fake.textMessage(42, '/ratio spx');
    const call = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '42');
    expect(call.status).toBe(200);
    expect(call.files).toHaveLength(1);
    expect(call.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_MAGIC);
    const caption = String(call.params.caption);
    expect(call.params.parse_mode).toBe('HTML');
    expect(caption).toContain(t('en', 'pair.spx-gold'));
    expect(isTelegramHtml(caption)).toBe(true);
  });

  test('GIVEN /ratio in a group that takes no photos from members THEN the answer comes as text, saying why there is no chart', async () => {
    fake.fault(-310, { kind: 'bad-request', description: 'not enough rights to send photos to the chat' }, { methods: ['sendPhoto'] });
    fake.textMessage(-310, '/ratio spx', MEI, 'supergroup');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-310');
    const text = String(call.params.text);
    expect(text).toContain(t('zh-TW', 'pair.spx-gold'));
    expect(text).toContain(`<i>${t('zh-TW', 'telegram.noPhotos.group')}</i>`);
    expect(text).toContain('本群組不允許機器人傳送圖片');
    expect(isTelegramHtml(text)).toBe(true);
    expect(fake.callsTo('sendPhoto', -310).map((c) => c.status)).toEqual([400]);
  });

  test('GIVEN /ratio@botname in a group THEN the bot answers there', async () => {
    fake.textMessage(-300, `/ratio@${fake.username} qqq`, BOB, 'supergroup');
    const call = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-300');
    expect(String(call.params.caption)).toContain(t('en', 'pair.qqq-gold'));
    // In a group the answer quotes the command it answers.
    expect(call.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  test('GIVEN a command typed capitalised (/Ratio, /RATIO, /Chart spx: a phone keyboard) THEN it runs as typed in lowercase, with the addressing rules of bot.command', async () => {
    const answered = async (chat: number) => fake.waitFor((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && c.chatId === String(chat));
    fake.textMessage(81, '/Ratio');
    expect(String((await answered(81)).params.caption)).toMatch(/^<b>SPX\/Gold<\/b>/);
    fake.textMessage(82, '/RATIO qqq');
    expect(String((await answered(82)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    fake.textMessage(83, '/Chart spx 5y');
    expect(String((await answered(83)).params.caption)).toBe('<b>SPX/Gold, 5Y</b>');
    // In a group: unaddressed it runs, as /ratio does there; addressed to this bot (in any case) too.
    fake.textMessage(-330, '/RATIO', BOB, 'supergroup');
    const group = await answered(-330);
    expect(group.method).toBe('sendPhoto');
    expect(group.params.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
    fake.textMessage(-331, `/Ratio@${fake.username.toUpperCase()} qqq`, BOB, 'supergroup');
    expect(String((await answered(-331)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    // Addressed to another bot: that bot's, so nothing; then /Help@this bot shows the group heard nothing before it.
    fake.textMessage(-332, '/Ratio@OtherBot', BOB, 'supergroup');
    fake.textMessage(-332, `/Help@${fake.username}`, BOB, 'supergroup');
    expect(String((await answered(-332)).params.text)).toContain(t('en', 'chat.help.title'));
    expect(fake.callsTo('sendPhoto', -332)).toHaveLength(0);
    // A channel post and an edit too, as bot.command takes them.
    fake.textMessage(-1009003, '/Subscribe', BOB, 'channel');
    await answered(-1009003);
    expect((await world.deps.subs.get('telegram', '-1009003'))?.active).toBe(true);
    fake.editedMessage(84, 1, '/Levels qqq');
    expect(String((await answered(84)).params.text)).toContain('0.25');
  });

  test('GIVEN a photo whose caption is edited to /ratio, or a channel post edited to /levels spx THEN each is answered as an edited text is', async () => {
    fake.captionedPhoto(62, 'look at this');
    fake.editedMessage(62, 1, '/ratio qqq', BOB, 10, { caption: true });
    const photo = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '62');
    expect(String(photo.params.caption)).toContain(t('en', 'pair.qqq-gold'));
    fake.editedMessage(-1009062, 5, '/levels spx', BOB, 10, { channel: true });
    const levels = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1009062');
    expect(String(levels.params.text)).toContain('5.5');
    // A plain caption edited asks for nothing; nor does an edit long after.
    fake.editedMessage(62, 1, 'just a photo', BOB, 10, { caption: true });
    fake.editedMessage(-1009062, 5, '/levels qqq', BOB, 20 * 60, { channel: true });
    fake.textMessage(62, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '62' && String(c.params.text).includes(t('en', 'chat.help.title')));
    expect(fake.callsTo('sendMessage', 62)).toHaveLength(1);
    expect(fake.callsTo('sendMessage', -1009062)).toHaveLength(1);
  });

  test('GIVEN /digest 早上 (a part of the day, no hour) typed by a zh-TW user THEN asked for the hour with an example, and no digest is set', async () => {
    fake.textMessage(65, '/subscribe', MEI);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '65');
    fake.textMessage(65, '/digest 早上', MEI);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '65' && fake.callsTo('sendMessage', 65).length === 2);
    expect(String(fake.callsTo('sendMessage', 65)[1]!.params.text)).toContain('「早上」還需要寫出幾點，例如「早上8點」。設定未變更。');
    expect((await world.deps.subs.get('telegram', '65'))?.digestTime).toBeNull();
  });

  test("GIVEN /mute until tomorrow and /mute 到明天早上9點 typed in a chat THEN muted to that end in the chat's zone (UTC), the reply naming it", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    fake.textMessage(64, '/subscribe');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '64');
    fake.textMessage(64, '/mute until tomorrow');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '64' && fake.callsTo('sendMessage', 64).length === 2);
    // A chat with no zone: the end read in UTC, then the zone buttons (tests/platforms/telegram/mute-close.test.ts presses one).
    expect(String(fake.callsTo('sendMessage', 64)[1]!.params.text)).toBe(`Muted until ${tomorrow} 00:00 (UTC).\n${t('en', 'chat.mute.readInUtc')}`);
    expect((await world.deps.subs.get('telegram', '64'))?.mutedUntil).toBe(Date.parse(`${tomorrow}T00:00:00Z`));
    fake.textMessage(64, '/mute 到明天早上9點');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '64' && fake.callsTo('sendMessage', 64).length === 3);
    expect(String(fake.callsTo('sendMessage', 64)[2]!.params.text)).toBe(`Muted until ${tomorrow} 09:00 (UTC).\n${t('en', 'chat.mute.readInUtc')}`);
    expect((await world.deps.subs.get('telegram', '64'))?.mutedUntil).toBe(Date.parse(`${tomorrow}T09:00:00Z`));
  });

  test('GIVEN /mute 1h then edited to /mute 2h THEN the edit changes no setting (it would apply a second time) and says to send it anew', async () => {
    fake.textMessage(63, '/subscribe');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '63');
    fake.textMessage(63, '/mute 1h');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '63' && fake.callsTo('sendMessage', 63).length === 2);
    const muted = (await world.deps.subs.get('telegram', '63'))?.mutedUntil;
    expect(muted).toBeGreaterThan(Date.now());
    fake.editedMessage(63, 2, '/mute 2h');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '63' && fake.callsTo('sendMessage', 63).length === 3);
    const said = fake.callsTo('sendMessage', 63)[2]!;
    expect(String(said.params.text)).toBe(t('en', 'telegram.editNotApplied', { command: '/mute 2h' }));
    expect((await world.deps.subs.get('telegram', '63'))?.mutedUntil).toBe(muted);
    // Reading through an edit still works: /digest alone shows, it does not set.
    fake.editedMessage(63, 2, '/digest');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '63' && fake.callsTo('sendMessage', 63).length === 4);
    const shown = fake.callsTo('sendMessage', 63)[3]!;
    expect(String(shown.params.text)).toContain('/digest 08:00');
  });

  test('GIVEN /quiet 25:00-07:00 refused, then edited to /quiet 23:00-07:00 THEN applied once; a second edit, or an edit of a command that succeeded, is not applied and says why, once', async () => {
    const said = (n: number) => fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-630' && fake.callsTo('sendMessage', -630).length === n);
    const quiet = async () => world.deps.quiet!.window((await world.deps.subs.get('telegram', '-630'))!.id);
    fake.setMember(-630, BOB.id, 'administrator');
    fake.textMessage(-630, '/subscribe', BOB, 'supergroup');
    await said(1);
    fake.textMessage(-630, '/quiet 25:00-07:00 Asia/Tehran', BOB, 'supergroup');
    await said(2);
    expect(String(fake.callsTo('sendMessage', -630)[1]!.params.text)).toContain('25:00-07:00');
    expect(await quiet()).toBeUndefined();
    // The message ids of the commands, as the answers quote them.
    const quoted = (n: number) => Number((fake.callsTo('sendMessage', -630)[n]!.params.reply_parameters as { message_id: number }).message_id);
    const [subscribeId, quietId] = [quoted(0), quoted(1)];
    // The fix, as an edit of the refused message: applied, and answered as if sent anew.
    fake.editedMessage(-630, quietId, '/quiet 23:00-07:00 Asia/Tehran', BOB);
    await said(3);
    expect(String(fake.callsTo('sendMessage', -630)[2]!.params.text)).toContain('23:00-07:00 (Tehran time)');
    expect(quoted(2)).toBe(quietId);
    expect(await quiet()).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Tehran' });
    // Edited again: it was applied by the first edit, so not again.
    fake.editedMessage(-630, quietId, '/quiet 22:00-06:00 Asia/Tehran', BOB);
    await said(4);
    expect(String(fake.callsTo('sendMessage', -630)[3]!.params.text)).toBe(t('en', 'telegram.editNotApplied', { command: '/quiet 22:00-06:00 Asia/Tehran' }));
    expect(await quiet()).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Tehran' });
    // A command that succeeded when sent (/subscribe) edited into a setting: not applied either.
    fake.editedMessage(-630, subscribeId, '/quiet 21:00-05:00', BOB);
    await said(5);
    expect(String(fake.callsTo('sendMessage', -630)[4]!.params.text)).toBe(t('en', 'telegram.editNotApplied', { command: '/quiet 21:00-05:00' }));
    expect(await quiet()).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Tehran' });
    // A fresh /help flushes the queue: nothing else was said.
    fake.textMessage(-630, `/help@${fake.username}`, BOB, 'supergroup');
    await said(6);
    expect(fake.callsTo('sendMessage', -630)).toHaveLength(6);
  });

  test('GIVEN a command typed as a photo’s caption (/levels spx, /Levels@<this bot>) THEN it runs as if sent as text; one for another bot, or a plain caption, is not answered', async () => {
    fake.captionedPhoto(61, '/levels spx');
    const levels = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '61');
    expect(String(levels.params.text)).toContain(t('en', 'pair.spx-gold'));
    fake.captionedPhoto(-100661, '/levels@OtherBot', BOB, 'supergroup');
    fake.captionedPhoto(-100661, 'look at this chart', BOB, 'supergroup');
    fake.captionedPhoto(-100661, `/Levels@${fake.username} qqq`, BOB, 'supergroup');
    const group = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-100661');
    expect(String(group.params.text)).toContain(t('en', 'pair.qqq-gold'));
    fake.textMessage(-100661, '/help', BOB, 'supergroup');
    await until('the /help answer', () => fake.callsTo('sendMessage', -100661)[1], 10_000);
    expect(fake.callsTo('sendMessage', -100661)).toHaveLength(2);
    expect(fake.callsTo('sendMessage', 61)).toHaveLength(1);
  });

  test('GIVEN a comma (or 、，；) glued to the command (/Ratio,spx, /ratio,qqq, /chart、qqq 5y) THEN it runs with the words after it', async () => {
    const answered = async (chat: number) => fake.waitFor((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && c.chatId === String(chat));
    fake.textMessage(85, '/Ratio,spx');
    expect(String((await answered(85)).params.caption)).toMatch(/^<b>SPX\/Gold<\/b>/);
    fake.textMessage(86, '/ratio,qqq');
    expect(String((await answered(86)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    fake.textMessage(87, '/chart、qqq 5y');
    expect(String((await answered(87)).params.caption)).toBe('<b>QQQ/Gold, 5Y</b>');
    fake.textMessage(-333, `/Ratio@${fake.username}，qqq`, BOB, 'supergroup');
    expect(String((await answered(-333)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    // What still is not understood is named, in one line before the usage.
    fake.textMessage(88, '/Ratio,dow');
    expect(String((await answered(88)).params.text)).toMatch(/^Unknown pair "dow": use spx or qqq\./);
  });

  test('GIVEN a command typed in full-width (／ｒａｔｉｏ, ／ratio　qqq, ／ｃｈａｒｔ　ｓｐｘ　５ｙ: a Chinese IME) THEN it runs as the half-width one', async () => {
    const answered = async (chat: number) => fake.waitFor((c) => (c.method === 'sendPhoto' || c.method === 'sendMessage') && c.chatId === String(chat));
    fake.textMessage(91, '／ｒａｔｉｏ');
    expect(String((await answered(91)).params.caption)).toMatch(/^<b>SPX\/Gold<\/b>/);
    fake.textMessage(92, '／ratio　qqq');
    expect(String((await answered(92)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    fake.textMessage(93, '／ｃｈａｒｔ　ｓｐｘ　５ｙ');
    expect(String((await answered(93)).params.caption)).toBe('<b>SPX/Gold, 5Y</b>');
    fake.textMessage(-334, `／Ratio＠${fake.username}　qqq`, BOB, 'supergroup');
    expect(String((await answered(-334)).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    // A full-width name goldratio does not have is still answered as unknown, in half-width.
    fake.textMessage(94, '／ｒａｉｔｏ');
    expect(String((await answered(94)).params.text)).toContain('/ratio');
  });

  test('GIVEN /ratio @<this bot> in a group (addressed with a space) THEN the word naming the bot is no argument; another word is still refused', async () => {
    fake.textMessage(-340, `/ratio @${fake.username}`, BOB, 'supergroup');
    expect(String((await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-340')).params.caption)).toMatch(/^<b>SPX\/Gold<\/b>/);
    fake.textMessage(-341, `/ratio qqq @${fake.username.toUpperCase()}`, BOB, 'supergroup');
    expect(String((await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '-341')).params.caption)).toMatch(/^<b>QQQ\/Gold<\/b>/);
    fake.textMessage(-342, '/ratio @someotherbot', BOB, 'supergroup');
    expect(String((await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-342')).params.text)).toContain('Unknown pair');
  });

  test('GIVEN a bad argument THEN the usage line comes back escaped and nothing is stored', async () => {
    // /mute's usage line has angle brackets (a required argument) and the input echoed back has tags.
    fake.textMessage(43, '/mute <b>nonsense</b>');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '43');
    const text = String(call.params.text);
    expect(text).toContain('&lt;30m|2h|1d|1w|until monday&gt;');
    expect(text).not.toContain('<b>nonsense');
    expect(isTelegramHtml(text)).toBe(true);
    expect(await world.deps.subs.get('telegram', '43')).toBeUndefined();
  });

  test('GIVEN a non-admin sends /subscribe in a group THEN it is politely refused and nothing is stored', async () => {
    fake.setMember(-500, BOB.id, 'member');
    fake.textMessage(-500, '/subscribe', BOB, 'supergroup');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-500');
    expect(String(call.params.text)).toBe('Sorry, only an administrator of this group can change its settings.');
    expect(fake.callsTo('getChatMember', -500)[0]?.params).toMatchObject({ user_id: BOB.id });
    expect(await world.deps.subs.get('telegram', '-500')).toBeUndefined();
  });

  test('GIVEN an admin sends /subscribe in a group THEN the group is subscribed with a level keyboard', async () => {
    fake.setMember(-501, BOB.id, 'administrator');
    fake.textMessage(-501, '/subscribe spx', BOB, 'group');
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-501');
    expect(await world.deps.subs.get('telegram', '-501')).toMatchObject({ active: true, pairs: ['spx-gold'] });
    const kb = call.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    expect(kb.inline_keyboard.flat().some((b) => b.callback_data.startsWith('sub:off:'))).toBe(true);
  });

  test('GIVEN /subscribe posted in a channel THEN the channel is subscribed (only admins post there)', async () => {
    fake.textMessage(-1009001, '/subscribe', BOB, 'channel');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1009001');
    expect((await world.deps.subs.get('telegram', '-1009001'))?.active).toBe(true);
    expect(fake.callsTo('getChatMember')).toHaveLength(0);
  });

  test('GIVEN a reader presses a subscribe button under a channel post THEN getChatMember decides and a non-admin changes nothing', async () => {
    fake.textMessage(-1009002, '/start', BOB, 'channel');
    const sent = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1009002');
    fake.callbackQuery(-1009002, messageIdOf(sent), 'cmd:subscribe', BOB);
    const answer = await fake.waitFor((c) => c.method === 'answerCallbackQuery');
    expect(answer.params).toMatchObject({ text: 'Sorry, only an administrator of this channel can change its settings.' });
    expect(fake.callsTo('getChatMember', -1009002)).toHaveLength(1);
    expect(await world.deps.subs.get('telegram', '-1009002')).toBeUndefined();
  });

  test('GIVEN a private chat that blocked the bot and comes back THEN /start says why its alerts stopped, and Subscribe brings them back as they were', async () => {
    fake.textMessage(47, '/subscribe qqq 0.2', MEI);
    await until('subscribed', async () => (await world.deps.subs.get('telegram', '47'))?.active || undefined, 10_000);
    // Blocking the bot is its membership in the private chat turning 'kicked'.
    fake.botMembership(47, 'private', MEI, 'member', 'kicked');
    await until('stopped', async () => (await world.deps.subs.get('telegram', '47'))?.active === false || undefined, 10_000);
    fake.botMembership(47, 'private', MEI, 'kicked', 'member');
    fake.textMessage(47, '/start', MEI);
    const welcome = await fake.waitFor(
      (c) => c.method === 'sendMessage' && c.chatId === '47' && String(c.params.text).includes(t('zh-TW', 'chat.start.title')),
    );
    expect(String(welcome.params.text)).toContain(t('zh-TW', 'chat.sub.stopped.blocked'));
    fake.callbackQuery(47, messageIdOf(welcome), 'cmd:subscribe', MEI);
    const resumed = await fake.waitFor(
      (c) => c.method === 'sendMessage' && c.chatId === '47' && String(c.params.text).startsWith(t('zh-TW', 'chat.sub.resumed')),
    );
    expect(String(resumed.params.text)).toContain('0.2');
    expect(await world.deps.subs.get('telegram', '47')).toMatchObject({ active: true, pairs: ['qqq-gold'], customLevels: [{ pair: 'qqq-gold', value: 0.2 }] });
  });

  test.each(['en', 'zh-TW'] as const)(
    'GIVEN a private chat (%s) with a daily digest that blocked the bot and comes back THEN /digest and a new time say none is sent while it is stopped and what starts it again, never a "Next:" that does not come; /subscribe brings the digest back',
    async (lang) => {
      const user = lang === 'en' ? BOB : MEI;
      const chat = lang === 'en' ? 48 : 49;
      const ask = async (text: string) => {
        const seen = fake.calls.length;
        fake.textMessage(chat, text, user);
        const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat), undefined, seen);
        return String(call.params.text);
      };
      await ask('/subscribe');
      expect(await ask('/digest 08:00 UTC')).toMatch(lang === 'en' ? /\. Next: / : /。下一次：/);
      fake.botMembership(chat, 'private', user, 'member', 'kicked');
      await until('stopped', async () => (await world.deps.subs.get('telegram', String(chat)))?.active === false || undefined, 10_000);
      fake.botMembership(chat, 'private', user, 'kicked', 'member');
      // Alerts and the digest were both on: the stop names both.
      const stoppedLines = [t(lang, 'chat.sub.stoppedBoth.blocked')];
      const shown = await ask('/digest');
      expect(shown.split('\n').slice(0, 2)).toEqual([t(lang, 'chat.digest.onStopped', { time: '08:00', zone: 'UTC' }), ...stoppedLines]);
      const set = await ask('/digest 09:00 UTC');
      expect(set.split('\n').slice(0, 2)).toEqual([t(lang, 'chat.digest.setStopped', { time: '09:00', zone: 'UTC' }), ...stoppedLines]);
      // The store sends this chat no digest (store/digests.ts), which is what the answers say.
      const sub = await world.deps.subs.get('telegram', String(chat));
      expect(sub).toMatchObject({ active: false, digestTime: '09:00' });
      await ask('/subscribe');
      // The next digest that comes: its slot's next with a US close before it (not a weekend's).
      const d = (await world.deps.digests!.get(sub!.id))!;
      const next = nextSendingDue(d.nextDue!, '09:00', 'UTC', d.lastClose);
      expect(await ask('/digest')).toBe(t(lang, 'chat.digest.on', { time: '09:00', zone: 'UTC', next: formatMoment(next, 'UTC', lang) }));
    },
  );

  test('GIVEN a private chat with only a daily digest that blocked the bot and comes back THEN /subscribe says it is subscribed, not that alerts it never had are "on again, as they were"', async () => {
    fake.textMessage(50, '/digest 08:00 UTC', BOB);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '50');
    // Its digest's send answered 403: the dispatcher's record of it.
    await world.deps.subs.chatGone('telegram', '50', stopReason('blocked', 'Forbidden: bot was blocked by the user'));
    const seen = fake.calls.length;
    fake.textMessage(50, '/subscribe', BOB);
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '50', undefined, seen);
    expect(String(answer.params.text).split('\n')[0]).toBe(t('en', 'chat.sub.done'));
    expect(await world.deps.subs.get('telegram', '50')).toMatchObject({ active: true, digestTime: '08:00' });
  });

  test.each([
    ['en', BOB, 51],
    ['zh-TW', MEI, 52],
    ['zh-CN', { id: 4004, first_name: 'Lin', language_code: 'zh-hans' }, 53],
  ] as const)(
    'GIVEN a private chat (%s) with only a daily digest, blocked (my_chat_member "kicked") THEN it is marked stopped at once; come back, /start and /mylevels name the digest, not alerts it never had, and /digest with a time brings the digest back alone',
    async (lang, user, chat) => {
      const ask = async (text: string) => {
        const seen = fake.calls.length;
        fake.textMessage(chat, text, user);
        const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chat), undefined, seen);
        return String(call.params.text);
      };
      await ask('/digest 08:00 UTC');
      fake.botMembership(chat, 'private', user, 'member', 'kicked');
      // Stopped before any digest is tried: no 403 needed to learn it.
      const stopped = await until(
        'stopped',
        async () => {
          const sub = await world.deps.subs.get('telegram', String(chat));
          return sub?.deactivatedReason ? sub : undefined;
        },
        10_000,
      );
      expect(stopped).toMatchObject({ active: false, stopHad: 'digest', deactivatedReason: stopReason('blocked', 'bot kicked') });
      expect(fake.calls.filter((c) => c.chatId === String(chat) && c.method === 'sendMessage')).toHaveLength(1);
      fake.botMembership(chat, 'private', user, 'kicked', 'member');
      const told = t(lang, 'chat.sub.stoppedDigest.blocked');
      const welcome = await ask('/start');
      expect(welcome).toContain(told);
      expect(welcome).not.toContain(t(lang, 'chat.sub.stopped.blocked'));
      expect((await ask('/mylevels')).split('\n')[0]).toBe(told);
      expect((await ask('/digest')).split('\n').slice(0, 2)).toEqual([t(lang, 'chat.digest.onStoppedDigest', { time: '08:00', zone: 'UTC' }), told]);
      const set = (await ask('/digest 09:00 UTC')).split('\n');
      const sub = await world.deps.subs.get('telegram', String(chat));
      expect(sub).toMatchObject({ active: false, deactivatedReason: null, deactivatedAt: null, stopHad: null, digestTime: '09:00' });
      const d = (await world.deps.digests!.get(sub!.id))!;
      const next = nextSendingDue(d.nextDue!, '09:00', 'UTC', d.lastClose);
      expect(set).toEqual([t(lang, 'chat.digest.resumed'), t(lang, 'chat.digest.set', { time: '09:00', zone: 'UTC', next: formatMoment(next, 'UTC', lang) })]);
      // Alerts stay off: /start no longer speaks of a stop, and the digest is due again.
      expect(await ask('/start')).not.toContain(told);
      expect(await ask('/digest')).toBe(t(lang, 'chat.digest.on', { time: '09:00', zone: 'UTC', next: formatMoment(next, 'UTC', lang) }));
    },
  );

  test('GIVEN a user whose Telegram language is Chinese THEN the reply is in Traditional Chinese', async () => {
    fake.textMessage(44, '/subscribe', MEI);
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '44');
    expect(String(call.params.text)).toMatch(/[\u4e00-\u9fff]/);
    expect((await world.deps.subs.get('telegram', '44'))?.lang).toBe('zh-TW');
  });

  test('GIVEN a user whose Telegram language is zh-hans THEN the reply is in Simplified Chinese and the chat keeps zh-CN', async () => {
    fake.textMessage(46, '/subscribe', { id: 4004, first_name: 'Lin', language_code: 'zh-hans' });
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '46');
    expect(String(call.params.text)).toContain(t('zh-CN', 'chat.sub.done'));
    expect((await world.deps.subs.get('telegram', '46'))?.lang).toBe('zh-CN');
  });

  test.each([
    ['zh-HK', 'zh-TW', 61],
    ['zh-MO', 'zh-TW', 62],
    ['zh-hant-hk', 'zh-TW', 63],
    ['zh-Hans-HK', 'zh-CN', 64],
    ['zh-CN', 'zh-CN', 65],
    ['zh', 'zh-TW', 66],
  ] as const)(
    'GIVEN a user whose Telegram language is %s THEN the reply and the chat are %s (Hong Kong and Macau write Traditional)',
    async (code, lang, chatId) => {
      fake.textMessage(chatId, '/subscribe', { id: 5000 + chatId, first_name: 'Wing', language_code: code });
      const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === String(chatId));
      expect(String(call.params.text)).toContain(t(lang, 'chat.sub.done'));
      expect((await world.deps.subs.get('telegram', String(chatId)))?.lang).toBe(lang);
    },
  );

  test('GIVEN a chart message WHEN a range button is pressed THEN the same message gets the new chart (editMessageMedia)', async () => {
    fake.textMessage(45, '/chart spx 1Y');
    const sent = await fake.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '45');
    const messageId = messageIdOf(sent);
    const kb = sent.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    // Rows a phone shows whole: the three subjects, then the eight ranges as four and four.
    expect(kb.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([
      ['• SPX/Gold', 'QQQ/Gold', 'Purchasing power'],
      ['1M', '3M', '6M', 'YTD'],
      ['• 1Y', '5Y', '10Y', 'MAX'],
    ]);
    const fiveYears = kb.inline_keyboard.flat().find((b) => b.callback_data === 'chart:spx-gold:5Y');
    expect(fiveYears).toBeDefined();
    fake.callbackQuery(45, messageId, fiveYears?.callback_data ?? '');
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '45');
    expect(edit.status).toBe(200);
    expect(Number(edit.params.message_id)).toBe(messageId);
    expect(edit.params.media).toMatchObject({ type: 'photo', parse_mode: 'HTML' });
    expect(edit.files[0]?.bytes.subarray(0, 8)).toEqual(PNG_MAGIC);
    const newKb = edit.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(newKb.inline_keyboard.flat().find((b) => b.callback_data === 'chart:spx-gold:5Y')?.text).not.toBe(fiveYears?.text);
    await fake.waitFor((c) => c.method === 'answerCallbackQuery');
    expect(fake.callsTo('sendPhoto', 45)).toHaveLength(1);
  });

  test('GIVEN a non-admin presses a level toggle in a group THEN only the presser sees a refusal and nothing changes', async () => {
    fake.setMember(-502, BOB.id, 'administrator');
    fake.textMessage(-502, '/subscribe', BOB, 'supergroup');
    const sent = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-502');
    const before = await world.deps.subs.get('telegram', '-502');
    const kb = sent.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const toggle = kb.inline_keyboard.flat().find((b) => b.callback_data.startsWith('sub:off:'));
    const intruder: FakeUser = { id: 4004, first_name: 'Eve' };
    fake.callbackQuery(-502, messageIdOf(sent), toggle?.callback_data ?? '', intruder);
    const answer = await fake.waitFor((c) => c.method === 'answerCallbackQuery');
    expect(answer.params).toMatchObject({ text: t('en', 'chat.denied.group'), show_alert: true });
    expect(await world.deps.subs.get('telegram', '-502')).toEqual(before);
    expect(fake.callsTo('editMessageText', -502)).toHaveLength(0);
  });

  test('GIVEN a group becomes a supergroup THEN its subscription moves to the new id', async () => {
    await world.deps.subs.upsert('telegram', '-600');
    fake.pushUpdate({
      message: {
        message_id: 9,
        date: 1,
        chat: { id: -600, type: 'group', title: 'G' },
        from: { id: 1, is_bot: false, first_name: 'A' },
        migrate_to_chat_id: -1000600,
      },
    });
    fake.textMessage(46, '/help');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '46');
    expect((await world.deps.subs.get('telegram', '-1000600'))?.active).toBe(true);
    expect((await world.deps.subs.get('telegram', '-600'))?.active ?? false).toBe(false);
  });

  test('GIVEN /lang typed in the new supergroup before the move was seen THEN the group’s alerts still move there, in the language chosen there', async () => {
    await world.deps.subs.upsert('telegram', '-601', { pairs: ['qqq-gold'] });
    fake.setMember(-1000601, MEI.id, 'administrator');
    fake.textMessage(-1000601, '/lang zh-TW', MEI, 'supergroup');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1000601');
    fake.pushUpdate({
      message: {
        message_id: 9,
        date: 1,
        chat: { id: -601, type: 'group', title: 'G' },
        from: { id: 1, is_bot: false, first_name: 'A' },
        migrate_to_chat_id: -1000601,
      },
    });
    fake.textMessage(-1000601, '/mylevels', MEI, 'supergroup');
    const mine = await until('the /mylevels answer', () => fake.callsTo('sendMessage', -1000601)[1], 10_000);
    expect(String(mine.params.text)).toContain(t('zh-TW', 'pair.qqq-gold'));
    expect(await world.deps.subs.get('telegram', '-1000601')).toMatchObject({ active: true, pairs: ['qqq-gold'], lang: 'zh-TW' });
  });

  test('GIVEN a group stopped for rights moves to a supergroup where /lang was typed THEN the new chat keeps its language and the stop: when the bot may post there it is told why, in that language, its levels kept', async () => {
    const muted = { status: 'restricted', is_member: true, can_send_messages: false } as const;
    await world.deps.subs.upsert('telegram', '-602', { pairs: ['qqq-gold'] });
    await world.deps.subs.chatGone('telegram', '-602', stopReason('rights', 'Bad Request: CHAT_SEND_PLAIN_FORBIDDEN'));
    fake.setMember(-1000602, MEI.id, 'administrator');
    fake.textMessage(-1000602, '/lang zh-TW', MEI, 'supergroup');
    await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '-1000602');
    fake.pushUpdate({
      message: {
        message_id: 9,
        date: 1,
        chat: { id: -602, type: 'group', title: 'G' },
        from: { id: 1, is_bot: false, first_name: 'A' },
        migrate_to_chat_id: -1000602,
      },
    });
    await until('the move seen', async () => (await world.deps.subs.get('telegram', '-602'))?.deactivatedReason?.startsWith('moved') || undefined, 10_000);
    fake.botMembership(-1000602, 'supergroup', MEI, muted, 'member');
    const told = await until('the rights-back message', () => fake.callsTo('sendMessage', -1000602)[1], 10_000);
    expect(String(told.params.text)).toMatch(new RegExp(`^${literally(t('zh-TW', 'chat.sub.rightsBack.group'))}\\n`));
    expect(await world.deps.subs.get('telegram', '-1000602')).toMatchObject({ active: false, pairs: ['qqq-gold'], lang: 'zh-TW' });
  });
});

describe('Telegram bot when something breaks', () => {
  beforeEach(async () => ({ fake, world, tg } = await startBot()));
  afterEach(() => stopBot({ fake, world, tg }));

  test('GIVEN the chart service fails unexpectedly THEN the user gets an apology in their language and the error is logged', async () => {
    await tg.stop();
    tg = createTelegram({
      config: world.config,
      deps: world.deps,
      log: world.log,
      charts: { render: () => Promise.reject(new Error('disk full')) },
    });
    await tg.start();
    fake.textMessage(47, '/ratio', MEI);
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '47');
    expect(String(call.params.text)).toBe(t('zh-TW', 'chat.failed'));
    expect(world.log.lines.some((l) => l.includes('update failed') && l.includes('disk full'))).toBe(true);
  });
});

describe('a command answer the chat refuses', () => {
  beforeEach(async () => ({ fake, world, tg } = await startBot()));
  afterEach(() => stopBot({ fake, world, tg }));

  test.each([
    ['a group that lets members send no text', { kind: 'bad-request', description: 'CHAT_SEND_PLAIN_FORBIDDEN' }],
    ['a group that took the right to send', { kind: 'bad-request', description: 'not enough rights to send text messages to the chat' }],
    ['a group that removed the bot before the answer', { kind: 'kicked' }],
  ] as const)('GIVEN %s THEN one refused answer, no apology tried into the same refusal, one line at info and no error', async (_name, fault) => {
    const GROUP = -3300;
    fake.fault(GROUP, fault, { methods: ['sendMessage'] });
    const before = fake.calls.length;
    fake.textMessage(GROUP, '/help', MEI, 'supergroup');
    await until('the refusal logged', () => world.log.records.find((r) => /answer refused/.test(String(r.msg))), 5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      fake.calls
        .slice(before)
        .filter((c) => c.method === 'sendMessage')
        .map((c) => c.status),
    ).toEqual([fault.kind === 'kicked' ? 403 : 400]);
    expect(world.log.records.filter((r) => r.level === 'error' || r.level === 'warn')).toEqual([]);
    expect(world.log.records.filter((r) => /answer refused/.test(String(r.msg))).map((r) => r.level)).toEqual(['info']);
  });
});

const messageIdOf = (c: RecordedCall): number => (c.result as { message_id: number }).message_id;

describe('Telegram renderer', () => {
  test('GIVEN spans with markup characters THEN every value is escaped inside its tag', async () => {
    const out = renderReply({ status: 'ok', lines: [['a < b & c > d'], [{ bold: '<x>' }, ' ', { code: '/chart <spx>' }, { italic: 'R&D' }]] }, false);
    expect(out.messages).toEqual(['a &lt; b &amp; c &gt; d\n<b>&lt;x&gt;</b> <code>/chart &lt;spx&gt;</code><i>R&amp;D</i>']);
  });

  test('GIVEN a reply too long for a caption THEN it is sent as messages after the photo', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => [`line ${i} ${'x'.repeat(40)}`]);
    const out = renderReply({ status: 'ok', lines }, true);
    expect(out.caption).toBeUndefined();
    expect(out.messages).toHaveLength(1);
  });

  test('GIVEN lines beyond one message THEN they are grouped without splitting a line', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => [`${i}`.repeat(10)]);
    const chunks = chunkLines(lines, 25, 25);
    expect(chunks).toEqual(['0000000000\n1111111111', '2222222222\n3333333333', '4444444444\n5555555555', '6666666666\n7777777777', '8888888888\n9999999999']);
  });
});

describe('a Bot API that cannot be reached, in one line', () => {
  const tg = { token: '7:secret-token', apiRoot: '' };
  test.each([
    ['nothing listening', 'http://127.0.0.1:9', /^unreachable at http:\/\/127\.0\.0\.1:9 \(connect ECONNREFUSED 127\.0\.0\.1:9, calling getMe\)$/],
    [
      'a name that does not resolve',
      'http://goldratio-nowhere.invalid',
      /^unreachable at http:\/\/goldratio-nowhere\.invalid \(getaddrinfo (ENOTFOUND|EAI_AGAIN) goldratio-nowhere\.invalid, calling getMe\)$/,
    ],
  ])('GIVEN %s THEN the address and the reason, never the token', async (_name, apiRoot, line) => {
    // grammY's own client, as the bot calls it: the failure is its HttpError, the token in its inner message.
    const e = await new Api(tg.token, { apiRoot }).getMe().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HttpError);
    expect(String((e as HttpError).error)).toContain(tg.token);
    const said = unreachable(e, { ...tg, apiRoot }) as Error;
    expect(said.message).toMatch(line);
    expect(said.message).not.toContain('secret-token');
  });

  test('GIVEN a server that takes the request and never answers THEN "<root> did not answer <method> within <timeout> s": reached, and silent', async () => {
    const server = createServer(() => {}).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const e = await new Api(tg.token, { apiRoot, timeoutSeconds: 1 }).getMe().catch((x: unknown) => x);
      expect((unreachable(e, { ...tg, apiRoot }) as Error).message).toBe(`${apiRoot} did not answer getMe within 1 s`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('GIVEN anything but a network failure THEN it is passed on as it is (a refusal is judged elsewhere)', () => {
    const other = new Error('boom');
    expect(unreachable(other, tg)).toBe(other);
  });
});

/** A text as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
