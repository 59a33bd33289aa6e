/**
 * Chinese as Chinese readers type it, through the Telegram fake and the real bot: each README
 * example in Traditional, its Simplified twin, the IME's full-width digits and punctuation, and
 * either script's words in the other (繁体, 簡體, 勿扰时段, 那斯达克, 桃园). Every row is answered
 * exactly as its plain form is: what works in one script works in the other.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../fakes/telegram.ts';
import { nextAnswer, startBot, stopBot, type World } from '../helpers/telegram-harness.ts';
import type { Telegram } from '../../src/platforms/telegram/bot.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeAll(async () => ({ fake, world, tg } = await startBot()));
afterAll(() => stopBot({ fake, world, tg }));

/** A private chat of its own for every message (and its own user: no flood limit between rows). */
let nextChat = 9100;

/** Types `text` into a private chat (after the `before` commands there) and returns the bot's answer: its text, tags removed. */
async function ask(text: string, before: readonly string[] = []): Promise<{ readonly chatId: number; readonly reply: string }> {
  const chatId = nextChat++;
  const user: FakeUser = { id: chatId, first_name: 'Lin', language_code: 'zh-CN' };
  for (const b of before) await answer(chatId, b, user);
  return { chatId, reply: await answer(chatId, text, user) };
}

async function answer(chatId: number, text: string, user: FakeUser): Promise<string> {
  return plain(await nextAnswer(fake, chatId, text, user));
}

const plain = (c: RecordedCall): string => `${c.method}: ${String(c.params.text ?? c.params.caption ?? '').replace(/<[^>]+>/g, '')}`;

/** The plain form, then what Chinese readers type for it. */
const ROWS: readonly (readonly [string, ...string[]])[] = [
  ['/subscribe spx', '/subscribe 標普', '/subscribe 标普'],
  ['/subscribe qqq', '/subscribe 納指', '/subscribe 纳指', '/subscribe 那斯達克', '/subscribe 那斯达克'],
  ['/chart spx 1y', '/chart 標普 1年', '/chart 标普 1年', '/chart 标普500指數 一年', '/chart 標普500指数 １年'],
  ['/chart qqq 6m', '/chart 納指 半年', '/chart 纳指 半年', '/chart 那斯达克 六个月'],
  ['/chart spx 3m', '/chart spx 最近三個月', '/chart spx 最近三个月', '/chart spx 最近３个月'],
  // A quarter, as the range of three months.
  ['/chart spx 3m', '/chart 標普 1季', '/chart 标普 一个季度', '/chart 標普 一個季度', '/chart spx a quarter', '/chart spx 1q'],
  ['/chart qqq 6m', '/chart 納指 兩季', '/chart 纳指 两个季度', '/chart qqq half a year'],
  ['/chart spx 2y', '/chart spx 過去兩年', '/chart spx 过去两年'],
  ['/chart spx since 2020', '/chart spx 2020年以來', '/chart spx 2020年以来', '/chart spx 从2020年'],
  [
    '/chart spx 2007 2009',
    '/chart spx 2007至2009',
    '/chart spx 2007到2009',
    '/chart spx 2007～2009',
    '/chart spx 2007—2009',
    '/chart spx ２００７－２００９',
    // The separator glued to one end, a space at the other.
    '/chart spx 从2007年 到2009年',
    '/chart spx 2007年到 2009年',
    '/chart spx 2007 至2009',
  ],
  ['/chart power', '/chart 購買力', '/chart 购买力'],
  ['/ratio all', '/ratio both', '/ratio 两个都', '/ratio 兩個都', '/ratio 两个', '/ratio 都', '/ratio 全部'],
  ['/chart spx max', '/chart 標普 全部', '/chart 标普 所有', '/chart 标普 最長', '/chart 标普 最长'],
  ['/power 18m', '/power 18個月', '/power 18个月'],
  ['/digest 08:00 Asia/Hong_Kong', '/digest 早上8點 香港', '/digest 早上8点 香港', '/digest ８：００ 香港'],
  [
    '/digest 08:00 Asia/Taipei',
    '/digest 8:00 臺北',
    '/digest 8:00 台北',
    '/digest 8:00 桃園',
    '/digest 8:00 桃园',
    '/digest 8:00 台湾',
    '/digest 8:00 台北時間',
    '/digest 8:00 台北时间',
  ],
  // A place's clock, as Chinese readers name a zone.
  ['/digest 08:00 Asia/Shanghai', '/digest 8:00 北京时间', '/digest 8:00 北京時間', '/digest 早上8点 北京时间', '/digest 8:00 北京标准时间'],
  ['/digest 17:30 America/New_York', '/digest 17:30 纽约', '/digest 17:30 紐約', '/digest 下午5点半 美东时间', '/digest 17:30 美東時間'],
  // A zone as Chinese names its hour belt.
  ['/digest 08:00 UTC+8', '/digest 8:00 东八区', '/digest 早上8点 東八區'],
  ['/digest 21:30', '/digest 晚上9點半', '/digest 晚上9点半', '/digest 晚上９点半'],
  ['/digest 08:15', '/digest 八點十五分', '/digest 八点十五分'],
  // 正 after the hour, as Hong Kong writes 整 (7點正).
  ['/digest 07:00', '/digest 7點正', '/digest 七点正', '/digest 7點整'],
  // An hour in English words.
  ['/digest 08:00', '/digest eight am', '/digest EIGHT AM', "/digest eight o'clock"],
  ['/digest off', '/digest 關閉', '/digest 关闭'],
  [
    '/quiet 23:00-07:00',
    '/quiet 23：00～07：00',
    '/quiet ２３：００～０７：００',
    '/quiet 23：00—07：00',
    '/quiet 23:00至07:00',
    '/quiet 23:00到07:00',
    '/quiet 23點至7點',
    '/quiet 23点到7点',
    '/quiet 晚上11點到早上7點',
    '/quiet 晚上11点到早上7点',
    '/quiet 夜里11点到早上7点',
    '/quiet 夜裡11點至早上7點',
  ],
  ['/quiet 23:00-07:00 Asia/Hong_Kong', '/quiet 23：00～07：00 香港', '/quiet 23-7 香港时间', '/quiet 23-7 香港時間'],
  ['/quiet off', '/quiet 關閉', '/quiet 关闭'],
  ['/lang zh-TW', '/lang 繁體', '/lang 繁体', '/lang 繁體中文', '/lang 繁体中文', '/lang 正體中文', '/lang 中文繁體', '/lang 繁体字'],
  // Chinese without its script, typed in this Simplified chat: it stays Simplified.
  [
    '/lang zh-CN',
    '/lang 简体',
    '/lang 簡體',
    '/lang 简体中文',
    '/lang 簡體中文',
    '/lang ｚｈ－ＣＮ',
    '/lang 中文简体',
    '/lang 簡體字',
    '/lang 中文',
    '/lang 汉语',
  ],
  ['/lang en', '/lang 英語', '/lang 英语'],
  // As the menus name them in English, and a tag with a space.
  ['/lang zh-TW', '/lang traditional', '/lang Traditional Chinese', '/lang zh tw', '/lang 繁體中文吧'],
  ['/lang zh-CN', '/lang simplified', '/lang Simplified Chinese', '/lang ZH CN'],
  // Where the reader is: Taiwan and Hong Kong write Traditional, the mainland and Singapore Simplified.
  ['/lang zh-TW', '/lang 台灣', '/lang 臺灣', '/lang 台湾', '/lang 香港', '/lang taiwan', '/lang Hong Kong'],
  ['/lang zh-CN', '/lang 中國', '/lang 中国', '/lang 大陸', '/lang 大陆', '/lang 内地', '/lang 新加坡', '/lang china', '/lang mainland'],
  // 廿 (20) and 卅 (30), as dates and counts still write them.
  ['/chart spx 20d', '/chart spx 二十天', '/chart spx 廿天', '/chart 標普 過去廿天'],
  ['/chart spx 30d', '/chart spx 卅天', '/chart 标普 最近卅天'],
  ['/help digest', '/help 摘要'],
  ['/help subscribe', '/help 訂閱', '/help 订阅'],
  ['/help quiet', '/help 勿擾時段', '/help 勿扰时段', '/help 免打扰时段', '/help 免打擾時段', '/help 勿扰', '/help 免打扰', '/help 免打擾'],
  ['/help move', '/help 急漲急跌', '/help 急涨急跌'],
  ['/help mylevels', '/help 我的水位', '/help 我的点位', '/help 我的點位'],
  ['/help lang', '/help 語言', '/help 语言'],
  // Words Chinese readers try for a command named otherwise.
  ['/help mylevels', '/help 提醒', '/help 设置', '/help 設定'],
  ['/help unsubscribe', '/help 退订', '/help 退訂'],
  ['/help ratio', '/help 比例'],
  // Text that is no command, in a private chat.
  ['/ratio spx', '標普', '标普'],
  // Asked as a sentence asks it: its end mark and an emoji are no part of the words, as in a command's.
  ['/ratio spx', '标普？', '標普?', 'spx!', '标普。', '🤔标普', '标普 🙏'],
  ['/ratio qqq', 'QQQ？', 'ｑｑｑ？', '纳指！'],
  ['/chart spx 1y', '图表 标普 1年！', '标普 1年？'],
  ['/chart qqq 2007 2009', 'qqq 2007-2009', '納指 2007-2009', '纳指 2007至2009'],
  ['/chart spx 1y', '圖表 標普 1年', '图表 标普 1年'],
  ['/ratio', '價格', '价格', '報價', '报价', '/價格', '/价格'],
  ['/help', '幫助', '帮助'],
  ['/help digest', '幫助 摘要', '帮助 摘要'],
  ['訂閱', '订阅'],
  ['quiet', '免打扰', '勿擾'],
];

/** Rows whose command needs a subscribed chat (and what the chat set before); a mute's answer names its end, to the minute. */
const SUBSCRIBED_ROWS: readonly (readonly [string, ...string[]])[] = [
  ['/mute 2h', '/mute 2小時', '/mute 2小时', '/mute ２小时', '/mute 兩個小時', '/mute 两个小时', '/mute 兩個鐘頭', '/mute 两个钟头'],
  ['/mute 90m', '/mute 1小時30分', '/mute 1小时30分钟', '/mute 1.5小時', '/mute 1.5小时'],
  // A quarter of an hour as Chinese counts one (一刻鐘).
  ['/mute 15m', '/mute 一刻鐘', '/mute 一刻钟'],
  ['/mute 45m', '/mute 三刻鐘', '/mute 三刻钟'],
  ['/mute 75m', '/mute 1小時一刻', '/mute 一小时一刻'],
  ['/mute 1w', '/mute 一週', '/mute 一周', '/mute 1個星期', '/mute 1个星期', '/mute 一個禮拜', '/mute 一个礼拜'],
  // A sentence's closing particle after the value (吧, 了, 啦), with its punctuation: no part of it.
  ['/mute 2h', '/mute 2小時吧', '/mute 兩個小時了', '/mute 两个小时吧！', '/mute ２小時啦', '/mute 2小时吧 🙏'],
  ['/mute until monday', '/mute 到週一吧', '/mute 到周一了'],
  // The week's end typed as after it (週末後): the next Monday, as 週末過後 already was.
  ['/mute until after the weekend', '/mute 週末後', '/mute 周末后', '/mute 到週末以後', '/mute 周末之后'],
  ['/mylevels add spx 1.8', '/mylevels 標普 1.8', '/mylevels 标普 1.8', '/mylevels 标普 １．８'],
  // A level as Chinese says a ratio: 1點8, 一點八, 1.8倍.
  ['/mylevels add spx 1.8', '/mylevels 標普 1點8', '/mylevels 标普 一点八', '/mylevels 標普 1.8倍'],
  [
    '/move spx 10 20',
    '/move 標普 10％ 20天',
    '/move 标普 10％ 20天',
    '/move 标普 １０％ ２０天',
    '/move 標普 10% 20個交易日',
    '/move 标普 10% 20个交易日',
    // Either way, as the percent is often written: ±, +/-, 漲跌 / 涨跌 (rise or fall).
    '/move spx ±10% 20',
    '/move spx +/-10 20',
    '/move spx +10 20',
    '/move 標普 漲跌10％ 20天',
    '/move 标普 涨跌10% 20个交易日',
    '/move spx 10pct 20',
    // In points and tenths (成), as mainland and Taiwanese readers write a share.
    '/move 标普 10个百分点 20天',
    '/move 標普 10個百分點 20天',
    '/move 标普 1成 20天',
    '/move spx 十个百分点 20',
  ],
  ['/move spx 5 20', '/move 标普 0.5成 20天', '/move 标普 5个百分点 20个交易日', '/move spx 百分之五 20'],
  // Tenths and a half, as a share is said: 兩成半 is 25%, 1成半 15%, 半成 5%.
  ['/move spx 25 20', '/move 標普 兩成半 20天', '/move 标普 2成半 20天', '/move 标普 二成半 20'],
  ['/move spx 15 20', '/move 標普 1成半 20天', '/move 标普 一成半 20天'],
  // 廿 (20), 廿五 (25) and 卅 (30) where 二十 works, and a percent said as 百分之十.
  ['/move spx 10 20', '/move 標普 10 廿天', '/move 标普 10 廿个交易日', '/move spx 百分之十 20', '/move 標普 百分之十 廿天'],
  ['/move spx 10 25', '/move 标普 10 廿五天'],
  ['/move spx 10 30', '/move 標普 10 卅天', '/move 标普 10% 卅个交易日'],
  ['/mute 20d', '/mute 二十天', '/mute 廿天'],
  ['/mute 25d', '/mute 廿五天'],
  ['/mute 30d', '/mute 卅天', '/mute 卅天吧'],
  ['/move spx 5 20', '/move 標普 半成 20天'],
  ['/move spx 10 20', '/move 標普 10趴 20天', '/move 標普 十趴 二十天', '/move 標普 10 20天吧', '/move 标普 10％ 20天了', '/move 标普 10 二十天啦'],
  // The actions as the Chinese menus label them (新增/移除, 添加/删除), and as people say them.
  ['/mylevels add spx 1.8', '/mylevels 新增 標普 1.8', '/mylevels 添加 标普 1.8', '/mylevels 加入 标普 1.8'],
  ['/mylevels remove spx 1.8', '/mylevels 移除 標普 1.8', '/mylevels 刪除 標普 1.8', '/mylevels 删除 标普 1.8', '/mylevels delete spx 1.8'],
  ['/move add spx 10 20', '/move 新增 標普 10 20', '/move 添加 标普 10％ 20天'],
  ['/move remove spx 10 20', '/move 移除 標普 10 20', '/move 刪除 標普 10 20', '/move 删除 标普 10 20', '/move 删除 标普 10％ 20天', '/move 取消 标普 10 20'],
  ['/unsubscribe spx', '/unsubscribe 標普', '/unsubscribe 标普'],
  ['/unsubscribe all', '/unsubscribe 全部', '/unsubscribe 所有', '/unsubscribe both'],
  // Both pairs, as a mainland or Taiwanese reader names them.
  [
    '/unsubscribe all',
    '/unsubscribe 两个都',
    '/unsubscribe 兩個都',
    '/unsubscribe 两个',
    '/unsubscribe 兩個',
    '/unsubscribe 都',
    '/unsubscribe 两个都要',
    '/unsubscribe 兩者',
  ],
];

/** A mute's end, to the minute, as the answer writes it: the same request a minute later ends a minute later. */
/** What a chat set before a row's command: a subscription, and the custom level and move a removal row removes. */
const SET_BEFORE = ['/subscribe', '/mylevels add spx 1.8', '/move add spx 10 20'];

const withoutClock = (reply: string): string => reply.replace(/\d{1,2}:\d{2}/g, 'HH:MM');

/**
 * The plain form's answer, asked once per row (in a chat of its own, when the row's first test
 * runs) and compared with each typed form's, rather than asked again beside each: half the
 * messages. By row, not by plain form: a row's tests run one after the other, so a mute's end or
 * a price's age asked first is still what the typed form's gets (within the minute the stored
 * comparison allows); two rows of one plain form each ask it.
 */
const plainAnswers = new Map<readonly string[], ReturnType<typeof ask>>();
function plainAnswer(
  rows: readonly (readonly [string, ...string[]])[],
  typed: string,
  plainForm: string,
  before: readonly string[] = [],
): ReturnType<typeof ask> {
  const row = rows.find((r) => r[0] === plainForm && r.includes(typed))!;
  let a = plainAnswers.get(row);
  if (a === undefined) plainAnswers.set(row, (a = ask(plainForm, before)));
  return a;
}

describe('Chinese input in either script, as Chinese readers type it', () => {
  test.each(ROWS.flatMap(([plainForm, ...typed]) => typed.map((t) => [t, plainForm] as const)))(
    'GIVEN %s THEN it is answered as %s is',
    async (typed, plainForm) => {
      const expected = await plainAnswer(ROWS, typed, plainForm);
      const got = await ask(typed);
      expect(got.reply).toBe(expected.reply);
    },
  );

  test.each(SUBSCRIBED_ROWS.flatMap(([plainForm, ...typed]) => typed.map((t) => [t, plainForm] as const)))(
    'GIVEN a subscribed chat and %s THEN it is answered and stored as %s is',
    async (typed, plainForm) => {
      const before = plainForm.includes(' remove ') ? SET_BEFORE : SET_BEFORE.slice(0, 1);
      const expected = await plainAnswer(SUBSCRIBED_ROWS, typed, plainForm, before);
      const got = await ask(typed, before);
      expect(withoutClock(got.reply)).toBe(withoutClock(expected.reply));
      const [e, g] = await Promise.all([expected, got].map((x) => world.deps.subs.get('telegram', String(x.chatId))));
      expect({ ...g!, id: 0, chatId: '', mutedUntil: null, deactivatedAt: null }).toEqual({ ...e!, id: 0, chatId: '', mutedUntil: null, deactivatedAt: null });
      // Asked within seconds of each other: the same mute ends, and the same stop is dated, within a minute of the other.
      expect(Math.abs((g!.mutedUntil ?? 0) - (e!.mutedUntil ?? 0))).toBeLessThan(60_000);
      expect(g!.deactivatedAt === null).toBe(e!.deactivatedAt === null);
      expect(Math.abs((g!.deactivatedAt ?? 0) - (e!.deactivatedAt ?? 0))).toBeLessThan(60_000);
    },
  );

  test.each([
    ['zh-hans', '语言已设为简体中文。'],
    ['zh-CN', '语言已设为简体中文。'],
    ['zh-hant', '語言已設為繁體中文。'],
    // No Chinese in the reader's app either: Traditional, as a bare zh is.
    ['en', '語言已設為繁體中文。'],
  ])("GIVEN a chat set to English WHEN a reader whose app reads %s types /lang 中文 THEN the chat reads the reader's Chinese: %s", async (code, said) => {
    const chatId = nextChat++;
    const user: FakeUser = { id: chatId, first_name: 'Wang', language_code: code };
    await answer(chatId, '/lang en', user);
    expect(await answer(chatId, '/lang 中文', user)).toBe(`sendMessage: ${said}`);
    expect((await world.deps.subs.get('telegram', String(chatId)))?.lang).toBe(said.startsWith('语') ? 'zh-CN' : 'zh-TW');
  });
});
