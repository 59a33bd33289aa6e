/**
 * A stranger's inputs (round 25): readers typing into the Telegram fake and asking the Discord fake,
 * answered by the real bots (their data made to Wednesday 2026-11-18, 10:00 in New York).
 * `/mylevels add spx 1,500` was added as 1.5, a number the English or Chinese reader meant as fifteen
 * hundred; `/move spx qqq 10 20` said the percent and days were still needed; `/help me` said
 * "There is no /me".
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout, type Lang } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, discord } = readerTryout(() => bots, 25500, 925500000000000001n);

/** The messages typed one after another into one fresh private chat of a `lang` reader: each answer's lines. */
async function inOneChat(lang: Lang, ...texts: string[]): Promise<string[][]> {
  const chatId = nextChatId();
  const user = { id: chatId, first_name: 'Lin', language_code: lang };
  const answers: string[][] = [];
  for (const text of texts) answers.push(linesOf(await nextAnswer(bots.tgFake, chatId, text, user)));
  return answers;
}

/** The first line of the answer to `text` in a fresh subscribed chat. */
const subscribedAnswer = async (lang: Lang, text: string): Promise<string> => (await inOneChat(lang, '/subscribe', text))[1]![0]!;

const ASK_EN = 'Is "1,500" 1.5 or 1500? A comma before three digits reads both ways: write 1.5 with a point, or 1500 without the comma.';
const ASK_TW = '「1,500」是 1.5 還是 1500？逗號後接三位數，兩種讀法都有：請寫成 1.5（用小數點），或不加逗號寫成 1500。';
const ASK_CN = '“1,500”是 1.5 还是 1500？逗号后跟三位数，两种读法都有：请写成 1.5（用小数点），或不加逗号写成 1500。';

describe('a comma in a ratio level: a decimal one read, one before three digits asked, never a number not meant', () => {
  test.each([
    ['en', '/mylevels add spx 1,500', ASK_EN],
    ['zh-TW', '/mylevels add spx 1,500', ASK_TW],
    ['zh-CN', '/mylevels add spx １，５００', ASK_CN],
    ['en', '/mylevels add spx 1,5', "Added 1.5 on SPX/Gold to this chat's levels."],
    ['en', '/mylevels add spx 1,50', "Added 1.5 on SPX/Gold to this chat's levels."],
    ['en', '/mylevels add spx 1.500', "Added 1.5 on SPX/Gold to this chat's levels."],
    ['zh-TW', '/mylevels add spx １，５', '已將 1.5 新增為本對話的標普500/黃金水位。'],
    // A Chinese IME's full-width comma between half-width digits, where one level is read: its decimal comma (was "5" a word too many).
    ['zh-TW', '/mylevels add spx 1，5', '已將 1.5 新增為本對話的標普500/黃金水位。'],
    ['en', '/mylevels add spx 0,500', "Added 0.5 on SPX/Gold to this chat's levels."],
    // Thousands grouped beyond doubt: the price it is, refused as one (it was "no number like 0.25", or "500" a word too many).
    ['en', '/mylevels add spx 1 500', 'Level must be below 100, got "1 500" (a ratio, not a price).'],
    ['en', '/mylevels add spx 1,234.5', 'Level must be below 100, got "1,234.5" (a ratio, not a price).'],
    ['zh-CN', '/mylevels add spx 1,000', '点位必须小于 100；您输入的是“1,000”（这是比率，不是价格）。'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN %s', async (lang, text, line) => {
    expect(await subscribedAnswer(lang, text)).toBe(line);
  });
});

describe('the same comma wherever the chat reads a number: a move’s percent and span, a mute’s length', () => {
  test.each([
    ['en', '/move spx 1,500 20', ASK_EN],
    ['zh-TW', '/move spx 1,500% 20', ASK_TW],
    ['en', '/move spx 2,5 20', 'Move alert added: SPX/Gold: 2.5% or more over 20 trading days.'],
    ['en', '/move spx 10 1,000', 'Move alert added: SPX/Gold: 10% or more over 1,000 trading days.'],
    ['en', '/move spx 10 1,5y', 'Move alert added: SPX/Gold: 10% or more over 378 trading days.'],
    ['zh-CN', '/move spx 10 1,500', '“1,500”是 1.5 还是 1500？逗号后跟三位数，两种读法都有：请写成 1.5（用小数点），或不加逗号写成 1500。'],
    ['zh-CN', '/mute 1,500m', ASK_CN],
    // A percent and days joined by a comma, the days given nowhere else: both readings, asked (it was 10.2%, "still needed: the trading days").
    ['en', '/move spx 10,20', '"10,20" reads as 10.2% or as 10% over 20 trading days: write 10.2 for the one, 10 20 for the other.'],
    ['zh-TW', '/move spx 10,20', '「10,20」可讀作 10.2%，也可讀作 20 個交易日內 10%：前者請寫 10.2，後者請寫 10 20。'],
    ['zh-CN', '/move 标普 2,5', '“2,5”可以读作 2.5%，也可以读作 5 个交易日内 2%：前者请写 2.5，后者请写 2 5。'],
    ['en', '/move spx 2,5 20', 'Move alert added: SPX/Gold: 2.5% or more over 20 trading days.'],
    // Where two numbers follow, the full-width comma still parts them.
    ['zh-CN', '/move spx 10，20', '已添加急涨急跌提醒：标普500/黄金：20 个交易日内涨跌 10% 以上。'],
    ['en', '/mute 1,5h', 'Muted until 2026-11-18 16:30 (UTC).'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN %s', async (lang, text, line) => {
    expect(await subscribedAnswer(lang, text)).toBe(line);
  });

  test('GIVEN Discord /move percent:"1,500" THEN asked as on Telegram', async () => {
    const [line] = await discord('en', 'move', { action: 'add', pair: 'spx-gold', percent: '1,500', days: '20' });
    expect(line).toBe(ASK_EN);
  });
});

describe('levels listed with commas and no spaces: a list, where the commas make no one number', () => {
  test('GIVEN Telegram en "/subscribe spx 2.5,0.6" THEN both levels (was "Level must be a number like 0.25")', async () => {
    const [answer] = await inOneChat('en', '/subscribe spx 2.5,0.6');
    expect(answer![0]).toBe('Subscribed. You will hear when a level breaks.');
    expect(answer).toContain('SPX/Gold: essay levels 2.5, 0.6–0.7');
  });

  test('GIVEN Telegram en "/unsubscribe spx 2.5,1.8" THEN each level answered', async () => {
    const [, answer] = await inOneChat('en', '/subscribe', '/unsubscribe spx 2.5,1.8');
    expect(answer!.slice(0, 2)).toEqual([
      "2.5 is one of the essay's levels on SPX/Gold: it is now off for this chat.",
      "1.8 on SPX/Gold is not one of this chat's levels.",
    ]);
  });

  test('GIVEN Telegram en "/subscribe spx 1,500" THEN still one number, asked about', async () => {
    const [answer] = await inOneChat('en', '/subscribe spx 1,500');
    expect(answer![0]).toBe(ASK_EN);
  });
});

describe('two pairs to a command of one: said why one, never "still needed" of what was typed', () => {
  test.each([
    ['en', '/move spx qqq 10 20', 'A move alert watches one pair: "spx" and "qqq" are two. Add one, then the other.'],
    ['zh-TW', '/move 標普 納指 10 20', '一則急漲急跌通知只看一個比率：「標普」和「納指」是兩個。請先新增一個，再新增另一個。'],
    ['en', '/mylevels add spx qqq 1.5', 'A level is a value on one pair\'s scale: "spx" and "qqq" are two. Name the one it is for.'],
    ['zh-CN', '/mylevels remove spx qqq 1.5', '点位是单一比率上的数值：“spx”和“qqq”是两个。请指定它属于哪一个。'],
    // One pair twice is that one.
    ['en', '/move spx spx 10 20', 'Move alert added: SPX/Gold: 10% or more over 20 trading days.'],
  ] as const)('GIVEN Telegram %s "%s" in a subscribed chat THEN %s', async (lang, text, line) => {
    expect(await subscribedAnswer(lang, text)).toBe(line);
  });

  test('GIVEN /ratio spx qqq THEN both pairs, as /ratio alone shows them', async () => {
    const [answer] = await inOneChat('en', '/ratio spx qqq');
    expect(answer!.filter((l) => /^(SPX|QQQ)\/Gold \d/.test(l))).toHaveLength(2);
  });
});

describe('/help with words that name no command: the list the reader asked for', () => {
  test.each([
    ['en', '/help me', 'Commands'],
    ['en', '/help please', 'Commands'],
    ['zh-TW', '/help 怎麼用', '指令'],
    ['zh-CN', '/help 怎么用', '命令'],
    ['en', '/help /foo', 'There is no /foo. These are the commands:'],
    ['zh-TW', '/help /foo', '沒有 /foo 這個指令。所有指令如下：'],
    ['zh-CN', '/help /foo', '没有 /foo 这个命令。所有命令如下：'],
  ] as const)('GIVEN Telegram %s "%s" THEN the list, its first line %s', async (lang, text, first) => {
    const [answer] = await inOneChat(lang, text);
    expect(answer![0]).toBe(first);
    expect(answer!.some((l) => l.startsWith('/ratio [spx|qqq] '))).toBe(true);
  });

  test.each([
    ['en', '/help /ratio'],
    ['en', '/help RATIO'],
    ['zh-TW', '/help 比率'],
    ['zh-TW', '/help 比率 圖表'],
    ['en', '/help me with ratio'],
  ] as const)('GIVEN Telegram %s "%s" THEN /ratio’s own help', async (lang, text) => {
    const [answer] = await inOneChat(lang, text);
    expect(answer![0]).toBe('/ratio [spx|qqq]');
  });

  test('GIVEN Discord /help command:"me please" THEN the list', async () => {
    const lines = await discord('en', 'help', { command: 'me please' }, { title: true });
    expect(lines.slice(0, 2)).toEqual(['', '**Commands**']);
  });
});

describe('a settings command forwarded into a group: a quote of what someone typed, not applied', () => {
  /** The lines of the bot's next message in `chatId` after `send()` queued an update. */
  async function answerTo(chatId: number, send: () => void): Promise<string[]> {
    const from = bots.tgFake.calls.length;
    send();
    return linesOf(await bots.tgFake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(chatId), undefined, from));
  }
  const someoneElse = { id: 999, first_name: 'Wang' };

  test.each([
    [
      'en',
      "Not applied: /lang zh-TW was forwarded here, so it may be someone else's or meant for another chat. To change this chat's settings, send /lang zh-TW as a message of your own.",
    ],
    ['zh-TW', '未套用：/lang zh-TW 是轉傳過來的訊息，可能出自他人，或原本是給其他聊天室的。若要變更這裡的設定，請自行傳送 /lang zh-TW。'],
    ['zh-CN', '未生效：/lang zh-TW 是转发过来的消息，可能出自他人，或原本是发给其他聊天的。如需更改这里的设置，请自己发送 /lang zh-TW。'],
  ] as const)('GIVEN a %s group admin forwarding "/lang zh-TW" THEN %s, and the language is left as it was', async (lang, line) => {
    const groupId = -1_002_550_000 - nextChatId();
    const admin = { id: nextChatId(), first_name: 'Lin', language_code: lang };
    bots.tgFake.setMember(groupId, admin.id, 'administrator');
    const said = await answerTo(groupId, () => bots.tgFake.textMessage(groupId, '/lang zh-TW', admin, 'supergroup', { forwardedFrom: someoneElse }));
    expect(said).toEqual([line]);
    // Sent as the admin's own message, it applies.
    const own = await answerTo(groupId, () => bots.tgFake.textMessage(groupId, '/lang zh-TW', admin, 'supergroup'));
    expect(own[0]).toBe('語言已設為繁體中文。');
  });

  test('GIVEN "/lang zh-TW" forwarded to the bot in a private chat THEN applied: forwarding to the bot is asking it', async () => {
    const chatId = nextChatId();
    const said = await answerTo(chatId, () =>
      bots.tgFake.textMessage(chatId, '/lang zh-TW', { id: chatId, first_name: 'Lin', language_code: 'en' }, 'private', { forwardedFrom: someoneElse }),
    );
    expect(said[0]).toBe('語言已設為繁體中文。');
  });

  test('GIVEN "/ratio qqq" forwarded into a group THEN answered: reading changes nothing', async () => {
    const groupId = -1_002_560_000 - nextChatId();
    const said = await answerTo(groupId, () =>
      bots.tgFake.textMessage(groupId, '/ratio qqq', { id: nextChatId(), first_name: 'Lin', language_code: 'en' }, 'supergroup', {
        forwardedFrom: someoneElse,
      }),
    );
    expect(said[0]).toMatch(/^QQQ\/Gold 0\.\d+ \(close 2026-11-18\)$/);
  });
});

describe('a group member posting as their channel: the refusal says why an admin is refused so', () => {
  test.each([
    [
      'en',
      'Sent as Gold Notes, a channel, so the bot cannot tell which member you are, nor check that you are an administrator here. To change the settings, send the command as yourself.',
    ],
    ['zh-TW', '您是以「Gold Notes」頻道的身分傳送，機器人無法得知您是哪位成員，也無法確認您是否為管理員。若要變更設定，請以您本人的身分傳送指令。'],
    ['zh-CN', '您是以“Gold Notes”频道的身份发送的，机器人无法得知您是哪位成员，也无法确认您是否为管理员。如需修改设置，请以您本人的身份发送命令。'],
  ] as const)('GIVEN a %s group set to its language, then /subscribe sent as a channel THEN %s', async (lang, line) => {
    const groupId = -1_002_570_000 - nextChatId();
    const admin = { id: nextChatId(), first_name: 'Lin', language_code: lang };
    bots.tgFake.setMember(groupId, admin.id, 'administrator');
    const wait = (from: number) =>
      bots.tgFake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(groupId), undefined, from);
    let from = bots.tgFake.calls.length;
    bots.tgFake.textMessage(groupId, `/lang ${lang}`, admin, 'supergroup');
    await wait(from);
    from = bots.tgFake.calls.length;
    bots.tgFake.textMessage(groupId, '/subscribe', admin, 'supergroup', { asChannel: { id: -1_009_990_001, title: 'Gold Notes' } });
    expect(linesOf(await wait(from))).toEqual([line]);
  });
});

describe('a pair named to /power, which shows both pairs and takes only dates: said as a pair, not as a date mistyped', () => {
  test.each([
    ['en', '/power spx', '"spx" is a pair: this command shows S&P 500 and QQQ both, and takes only dates (1999-03-10, 2020-03, 2020).'],
    ['zh-TW', '/power 標普', '「標普」是比率代號：這個指令同時顯示標普500與 QQQ，只接受日期（1999-03-10、2020-03、2020）。'],
    ['zh-CN', '/power qqq', '“qqq”是比率代号：这个命令同时显示标普500和 QQQ，只接受日期（1999-03-10、2020-03、2020）。'],
    // What is neither is still a date mistyped; gold is no pair (what both ratios divide by).
    ['en', '/power dow', 'A date is a day, a month or a year (1999-03-10, 2020-03, 2020), got "dow".'],
    ['en', '/power gold', 'A date is a day, a month or a year (1999-03-10, 2020-03, 2020), got "gold".'],
  ] as const)('GIVEN Telegram %s "%s" THEN %s', async (lang, text, line) => {
    const [answer] = await inOneChat(lang, text);
    expect(answer![0]).toBe(line);
  });

  test('GIVEN Discord /power base "qqq" THEN the same line; /chart spx from 2020 to qqq is no /power: still a date mistyped', async () => {
    expect((await discord('en', 'power', { base: 'qqq' }))[0]).toBe(
      '"qqq" is a pair: this command shows S&P 500 and QQQ both, and takes only dates (1999-03-10, 2020-03, 2020).',
    );
    const [answer] = await inOneChat('en', '/chart spx 2020 qqq');
    expect(answer![0]).not.toMatch(/is a pair/);
  });
});
