/**
 * A reader meets the bot where they are (round 22): Telegram inline answers, Discord's user-installed
 * commands, forum topics, quiet hours and move alerts, tried as a stranger types them, in English and
 * Traditional Chinese, on the real bots against the fakes (their data made to Wednesday 2026-11-18,
 * 10:00 in New York).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import type { FakeUser } from '../fakes/telegram.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { telegram, discord } = readerTryout(() => bots, 22600, 922600000000000001n);

type Result = { type: string; id: string; title?: string; description?: string };
let nextUser = 22_600;

/** `@bot <query>` typed by a fresh `lang` user (each their own flood limit): the results offered. */
async function inline(lang: string, query: string): Promise<Result[]> {
  const user: FakeUser = { id: nextUser++, first_name: 'Lin', language_code: lang };
  const call = await bots.tgFake.inlineAnswer(bots.tgFake.inlineQuery(query, user));
  return call.params.results as Result[];
}

describe('inline: the pair typed after its range, as /chart takes it', () => {
  test.each([
    ['en', '5y spx', 'That chart is not on Telegram yet: send /chart spx 5y to the bot first, then post it here.'],
    ['en', '/chart 5y qqq', 'That chart is not on Telegram yet: send /chart qqq 5y to the bot first, then post it here.'],
    ['en', '2007 2009 qqq', 'That chart is not on Telegram yet: send /chart qqq 2007 2009 to the bot first, then post it here.'],
    ['zh-TW', '5年 標普', '這張圖表還不在 Telegram 上：請先對機器人傳送 /chart spx 5年，再貼到這裡。'],
  ])(
    'GIVEN a %s reader typing @bot %s THEN the chart card’s line says to send that /chart first, not that the query names no pair: %s',
    async (lang, query, line) => {
      const [card, ...more] = await inline(lang, query);
      expect(more).toEqual([]);
      expect(card).toMatchObject({ type: 'article', description: line });
    },
  );

  test.each([
    ['en', '2011 power', 'Purchasing power: '],
    ['zh-TW', '2011 購買力', '購買力：'],
  ])('GIVEN a %s reader typing @bot %s THEN the purchasing power card from 2011', async (lang, query, title) => {
    const [card, ...more] = await inline(lang, query);
    expect(more).toEqual([]);
    expect(card!.title).toMatch(new RegExp(`^${title}.*2011`));
  });
});

describe('inline: a question mark or a full stop at the end', () => {
  test.each([
    ['en', 'spx?', 'SPX/Gold: the ratio card'],
    ['en', 'qqq.', 'QQQ/Gold: the ratio card'],
    ['zh-TW', '標普？', '標普500/黃金：比率卡'],
    ['zh-TW', '納指。', 'QQQ/黃金：比率卡'],
  ])('GIVEN a %s reader typing @bot %s THEN the ratio card, not a line saying it is none of spx, qqq, power', async (lang, query, title) => {
    const [card, ...more] = await inline(lang, query);
    expect(more).toEqual([]);
    expect(card).toMatchObject({ type: 'article', title });
  });

  test.each([
    ['en', 'qqq ratio', 'QQQ/Gold: the ratio card'],
    ['en', 'SPX Ratio?', 'SPX/Gold: the ratio card'],
    ['zh-TW', '標普 比率', '標普500/黃金：比率卡'],
  ])('GIVEN a %s reader typing @bot %s (the command after its pair) THEN the ratio card, not "Unknown range"', async (lang, query, title) => {
    const [card, ...more] = await inline(lang, query);
    expect(more).toEqual([]);
    expect(card).toMatchObject({ type: 'article', title });
  });

  test('GIVEN @bot qqq chart 5y THEN the 5-year chart card, as /chart qqq 5y', async () => {
    const [card, ...more] = await inline('en', 'qqq chart 5y');
    expect(more).toEqual([]);
    expect(card).toMatchObject({ type: 'article', description: 'That chart is not on Telegram yet: send /chart qqq 5y to the bot first, then post it here.' });
  });

  test('GIVEN @bot power 2011? THEN the purchasing power card from 2011, its title without the question mark', async () => {
    const [card] = await inline('en', 'power 2011?');
    expect(card!.title).toBe('Purchasing power: 2011');
  });
});

describe('/quiet with the zone typed before the hours, across midnight where the reader is (23:00 in Taipei now)', () => {
  test.each([
    [
      'en',
      '/quiet Asia/Taipei 23:00-07:00',
      ['Quiet hours set: 23:00-07:00 (Taipei time).', 'Quiet now: alerts are held until 2026-11-19 07:00 (Taipei time).'],
    ],
    ['en', '/quiet New York 11pm-7am', ['Quiet hours set: 23:00-07:00 (New York time).']],
    ['zh-TW', '/quiet 台北 晚上11點到早上7點', ['勿擾時段已設為 23:00-07:00（台北時間）。', '目前為勿擾時段：通知暫存至2026年11月19日 07:00（台北時間）。']],
    ['zh-CN', '/quiet 北京 23:00-07:00', ['免打扰时段已设为 23:00-07:00（北京时间）。']],
    ['zh-TW', '/quiet Asia/Taipie 23-7', ['無法辨識時區「Asia/Taipie」：您是指 Asia/Taipei 嗎？']],
  ] as const)('GIVEN Telegram %s "%s" THEN the hours in that zone, as typed the other way round: %j', async (lang, text, want) => {
    const lines = await telegram(lang, text);
    expect(lines.slice(0, want.length)).toEqual(want);
  });
});

describe('/move in a forum topic the alerts do not go to', () => {
  /** `text` sent by an admin of the forum `forum` (a `lang` client) in its topic `topic`: the answer's lines. */
  async function inTopic(forum: number, topic: number, lang: string, text: string): Promise<string[]> {
    const fake = bots.tgFake;
    const admin: FakeUser = { id: -forum, first_name: 'Ada', language_code: lang };
    fake.setForum(forum);
    fake.setMember(forum, admin.id, 'administrator');
    const from = fake.calls.length;
    fake.textMessage(forum, text, admin, 'supergroup', { topic });
    return linesOf(await fake.waitFor((c) => (c.method === 'sendMessage' || c.method === 'sendPhoto') && c.chatId === String(forum), undefined, from));
  }

  test.each([
    ['en', '/move spx 10 20', 'Alerts come to another topic, the one where /subscribe was sent. To have them here, send /subscribe here.', -1_022_601],
    ['zh-TW', '/move 標普 10% 20天', '通知發到另一個話題（傳送 /subscribe 的那個話題）。若要改發到這裡，請在這裡傳送 /subscribe。', -1_022_602],
  ] as const)(
    'GIVEN /subscribe sent in topic 7 WHEN a %s admin sends %s in topic 9 THEN the move is added and the answer ends saying where its alerts go: %s',
    async (lang, text, note, forum) => {
      await inTopic(forum, 7, lang, '/subscribe');
      const added = await inTopic(forum, 9, lang, text);
      expect(added[0]).toMatch(/^(Move alert added|已新增急漲急跌通知)/);
      expect(added.at(-1)).toBe(note);
      // Listed in the topic the alerts go to: nothing more said.
      expect((await inTopic(forum, 7, lang, '/move')).at(-1)).not.toBe(note);
    },
  );
});

describe('/quiet with the two times side by side, no dash between them', () => {
  test.each([
    ['en', '/quiet 23:00 07:00 Asia/Taipei', 'Quiet hours set: 23:00-07:00 (Taipei time).'],
    ['en', '/quiet 11pm 7am Taipei', 'Quiet hours set: 23:00-07:00 (Taipei time).'],
    ['zh-TW', '/quiet 晚上11點 早上7點 台北', '勿擾時段已設為 23:00-07:00（台北時間）。'],
    ['zh-TW', '/quiet 23:00 07:00 台北', '勿擾時段已設為 23:00-07:00（台北時間）。'],
  ] as const)('GIVEN Telegram %s "%s" THEN the window they make, not the first time refused as no window: %s', async (lang, text, line) => {
    expect((await telegram(lang, text))[0]).toBe(line);
  });
});

describe('Discord /quiet with the zone typed into the hours’ option', () => {
  test.each([
    ['en', 'Asia/Taipei 23-7', 'Quiet hours set: 23:00-07:00 (Taipei time).'],
    ['zh-TW', '台北 晚上11點到早上7點', '勿擾時段已設為 23:00-07:00（台北時間）。'],
  ] as const)('GIVEN a %s client’s /quiet hours:%s (no timezone) THEN those hours in that zone', async (lang, hours, line) => {
    expect(await discord(lang, 'quiet', { hours })).toContain(line);
  });

  test('GIVEN /quiet hours:from 10pm to 7am (a word before the hours that is no zone) THEN 22:00-07:00, as before, on Discord and Telegram', async () => {
    expect((await discord('en', 'quiet', { hours: 'from 10pm to 7am' })).join('\n')).toMatch(/^Quiet hours set: 22:00-07:00 /m);
    expect((await telegram('en', '/quiet from 10pm to 7am'))[0]).toMatch(/^Quiet hours set: 22:00-07:00 /);
  });
});
