/**
 * /mute with an end instead of a length (until monday, tomorrow, until 2026-12-24, until 9am, 到明天,
 * 到下週一, 直到周一): read on the chat's calendar, a day alone from its 00:00 there, and the reply
 * names that end; a past end or one over a year away is refused and nothing is written.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText as fullText, type Reply } from '../../src/chat/reply.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, args);
/**
 * The answer without the line over the zone buttons a chat with no zone gets for an end on a clock
 * or a calendar (read in UTC): those buttons are tests/chat/mute-zone.test.ts's.
 */
const PICK_ZONE = new Set(LANGS.flatMap((l) => ['', '.discord', '.dm'].map((v) => t(l, `chat.mute.readInUtc${v}`))));
const plainText = (r: Reply): string => {
  const lines = fullText(r).split('\n');
  return r.buttons !== undefined && PICK_ZONE.has(lines.at(-1)!) ? lines.slice(0, -1).join('\n') : lines.join('\n');
};
const mutedUntil = async (chatId = '1001') => (await w.deps.subs.get('telegram', chatId))?.mutedUntil;

describe('/mute until an end', () => {
  // NOW_MS: Saturday 2026-11-21 00:00 UTC.
  test.each([
    [['until', 'monday'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    [['tomorrow'], '2026-11-22T00:00:00Z', 'Muted until 2026-11-22 00:00 (UTC).'],
    [['until', '2026-12-24'], '2026-12-24T00:00:00Z', 'Muted until 2026-12-24 00:00 (UTC).'],
    [['until', 'Dec', '24'], '2026-12-24T00:00:00Z', 'Muted until 2026-12-24 00:00 (UTC).'],
    [['until', '9am'], '2026-11-21T09:00:00Z', 'Muted until 2026-11-21 09:00 (UTC).'],
    [['until', 'monday', '9am'], '2026-11-23T09:00:00Z', 'Muted until 2026-11-23 09:00 (UTC).'],
    [['until', 'sat'], '2026-11-28T00:00:00Z', 'Muted until 2026-11-28 00:00 (UTC).'],
    [['until', 'next', 'week'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
  ])('GIVEN /mute %j in a UTC chat THEN muted to that end, the reply naming it', async (args, end, text) => {
    await run('subscribe', []);
    const r = await run('mute', args);
    expect(plainText(r)).toBe(text);
    expect(await mutedUntil()).toBe(Date.parse(end));
  });

  test("GIVEN 到明天, 到下週一, 到下週五 in a New York chat (Friday 19:00 there) THEN the ends are that zone's days from 00:00", async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'America/New_York'], tw);
    expect(plainText(await run('mute', ['到明天'], tw))).toBe('已靜音至2026年11月21日 00:00（美東時間）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2026-11-21T05:00:00Z'));
    expect(plainText(await run('mute', ['到下週一'], tw))).toBe('已靜音至2026年11月23日 00:00（美東時間）。');
    expect(plainText(await run('mute', ['到下週'], tw))).toBe('已靜音至2026年11月23日 00:00（美東時間）。');
    // 下週五 on a Friday: next week's, not today.
    expect(plainText(await run('mute', ['到下週五'], tw))).toBe('已靜音至2026年11月27日 00:00（美東時間）。');
    expect(plainText(await run('mute', ['到週一早上9點'], tw))).toBe('已靜音至2026年11月23日 09:00（美東時間）。');
  });

  test('GIVEN 直到周一 and 到12月24日 in a Simplified Chinese chat THEN muted to those days', async () => {
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['直到周一'], cn))).toBe('已静音至2026年11月23日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到12月24日'], cn))).toBe('已静音至2026年12月24日 00:00（UTC）。');
    expect(await mutedUntil('cn')).toBe(Date.parse('2026-12-24T00:00:00Z'));
    // Without 到 too: 12月24日 is a day, not 12 months and 24 days.
    expect(plainText(await run('mute', ['1月5日'], cn))).toBe('已静音至2027年1月5日 00:00（UTC）。');
  });

  test('GIVEN an end already passed or over a year away THEN refused naming the end, in each language, and nothing written', async () => {
    await run('subscribe', []);
    const before = w.dump();
    const past = await run('mute', ['until', '2026-01-01']);
    expect([past.status, plainText(past).split('\n')[0]]).toEqual([
      'usage',
      'That end, 2026-01-01 00:00 (UTC), has already passed: give one ahead, like until monday, or a length, like 2h.',
    ]);
    // Today's 00:00 is now: no mute at all.
    expect(plainText(await run('mute', ['until', 'today'])).split('\n')[0]).toContain('has already passed');
    expect(plainText(await run('mute', ['until', '2028-01-01'])).split('\n')[0]).toBe('Mute lasts at most 1 year; that end is 2028-01-01 00:00 (UTC).');
    // Feb 29 comes next in 2028: over a year away.
    expect(plainText(await run('mute', ['until', 'feb', '29'])).split('\n')[0]).toBe('Mute lasts at most 1 year; that end is 2028-02-29 00:00 (UTC).');
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    const beforeTw = w.dump();
    expect(plainText(await run('mute', ['到2025-05-01'], tw)).split('\n')[0]).toBe(
      '該結束時間（2025年5月1日 00:00（UTC））已經過了：請給未來的時間，例如「到下週一」，或一段時間長度，例如「2小時」。',
    );
    expect(w.dump()).toBe(beforeTw);
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['到2030年1月1日'], cn)).split('\n')[0]).toBe('静音最长 1 年；该结束时间为2030年1月1日 00:00（UTC）。');
    expect(before).not.toBe('');
    // A bare number is still no end: /mute 9 asks for a duration.
    expect(plainText(await run('mute', ['9'])).split('\n')[0]).toBe('Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "9".');
    expect(await mutedUntil()).toBeNull();
    expect(NOW_MS).toBe(Date.parse('2026-11-21T00:00:00Z'));
  });
});

describe("/mute's market words in a chat with no zone: the week on New York's calendar, as a day's close", () => {
  // Friday 2026-12-11 19:30 in New York is Saturday 00:30 in UTC; Sunday 2026-12-13 20:00 there is Monday 01:00 in UTC.
  const SATURDAY_UTC = Date.parse('2026-12-12T00:30:00Z');
  const MONDAY_UTC = Date.parse('2026-12-14T01:00:00Z');

  test("GIVEN Saturday 00:30 UTC (Friday evening in New York) THEN the weekend and 週末 / 周末 are New York's, Friday's, as friday close's week is; until monday stays a UTC clock end", async () => {
    const en = chatCtx({ nowMs: SATURDAY_UTC });
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: SATURDAY_UTC });
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN', nowMs: SATURDAY_UTC });
    for (const c of [en, tw, cn]) await run('subscribe', [], c);
    const before = w.dump();
    expect(plainText(await run('mute', ['until', 'the', 'weekend'], en)).split('\n')[0]).toBe(
      'It is the weekend already in New York, where the market is (2026-12-11): give a day, like until monday, or next weekend.',
    );
    expect(plainText(await run('mute', ['到週末'], tw)).split('\n')[0]).toBe(
      '美股所在的紐約已是週末（2026年12月11日）：請給一個日期，例如「到週一」，或「到下週末」。',
    );
    expect(plainText(await run('mute', ['到周末'], cn)).split('\n')[0]).toBe(
      '美股所在的纽约已是周末（2026年12月11日）：请给出一个日期，例如“到周一”，或“到下周末”。',
    );
    expect(w.dump()).toBe(before);
    // The next weekend and friday close read the same week: its Friday, 2026-12-18, at 16:00 New York.
    const next = await run('mute', ['until', 'next', 'weekend'], en);
    expect(plainText(next)).toBe('Muted until 2026-12-18 21:00 (UTC), the close of 2026-12-18 (16:00 New York).');
    expect(next.buttons).toBeUndefined();
    expect(plainText(await run('mute', ['until', 'friday', 'close'], en))).toBe(
      'Muted until 2026-12-18 21:00 (UTC), the close of 2026-12-18 (16:00 New York).',
    );
    // A day alone is a clock end: its 00:00 on the chat's clock (UTC here), zone buttons offered to read it elsewhere.
    const monday = await run('mute', ['until', 'monday'], en);
    expect(plainText(monday)).toBe('Muted until 2026-12-14 00:00 (UTC).');
    expect(monday.buttons).toBeDefined();
  });

  test("GIVEN Monday 01:00 UTC (Sunday evening in New York) THEN the weekend is still New York's (refused), next weekend that week's Friday; a chat with a zone reads its own", async () => {
    const en = chatCtx({ nowMs: MONDAY_UTC });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', 'the', 'weekend'], en)).split('\n')[0]).toBe(
      'It is the weekend already in New York, where the market is (2026-12-13): give a day, like until monday, or next weekend.',
    );
    expect(plainText(await run('mute', ['until', 'next', 'weekend'], en))).toBe(
      'Muted until 2026-12-18 21:00 (UTC), the close of 2026-12-18 (16:00 New York).',
    );
    // Taipei's Monday 09:00: this week's Friday there, as the chat's own calendar says.
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: MONDAY_UTC });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'Asia/Taipei'], tw);
    expect(plainText(await run('mute', ['到週末'], tw))).toBe('已靜音至2026年12月19日 05:00（台北時間），即美股2026年12月18日收盤（紐約時間 16:00）。');
  });
});

describe('/mute until an end typed with a flag for its zone', () => {
  test("GIVEN until 10am 🇯🇵 and until 10am 🇺🇸 THEN Tokyo's clock; the several clocks of the US asked, nothing written", async () => {
    await run('subscribe', []);
    expect(plainText(await run('mute', ['until', '10am', '🇯🇵']))).toBe('Muted until 2026-11-21 10:00 (Japan time).');
    expect(await mutedUntil()).toBe(Date.parse('2026-11-21T01:00:00Z'));
    const asked = await run('mute', ['until', '10am', '🇺🇸']);
    expect(plainText(asked).split('\n')[0]).toMatch(/^"🇺🇸" names several time zones \(America\/New_York, America\/Chicago, /);
    expect(await mutedUntil()).toBe(Date.parse('2026-11-21T01:00:00Z'));
  });
});

describe('/mute with the ends people say (round 4)', () => {
  // NOW_MS: Saturday 2026-11-21 00:00 UTC; Friday 19:00 in New York; a Wednesday below for zh-CN.
  const WEDNESDAY = Date.parse('2026-11-25T03:00:00Z');

  test.each([
    ['until tomorrow morning', '2026-11-22T08:00:00Z', 'Muted until 2026-11-22 08:00 (UTC).'],
    ['till tmr morning', '2026-11-22T08:00:00Z', 'Muted until 2026-11-22 08:00 (UTC).'],
    ['until tonight', '2026-11-21T18:00:00Z', 'Muted until 2026-11-21 18:00 (UTC).'],
    ['until this evening', '2026-11-21T18:00:00Z', 'Muted until 2026-11-21 18:00 (UTC).'],
    ['Until Monday morning.', '2026-11-23T08:00:00Z', 'Muted until 2026-11-23 08:00 (UTC).'],
    ['until the morning', '2026-11-21T08:00:00Z', 'Muted until 2026-11-21 08:00 (UTC).'],
    ['till monday', '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    // The weekend starts at the week's last close, here the day after Thanksgiving's early one.
    ['until next weekend', '2026-11-27T18:00:00Z', 'Muted until 2026-11-27 18:00 (UTC), the close of 2026-11-27 (13:00 New York, an early close).'],
    ['until March', '2027-03-01T00:00:00Z', 'Muted until 2027-03-01 00:00 (UTC).'],
    ['in 2 hours', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['2 hours from now', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['until 10：30', '2026-11-21T10:30:00Z', 'Muted until 2026-11-21 10:30 (UTC).'],
    ['UNTIL  MONDAY  9AM', '2026-11-23T09:00:00Z', 'Muted until 2026-11-23 09:00 (UTC).'],
    ['until friday 🙏', '2026-11-27T00:00:00Z', 'Muted until 2026-11-27 00:00 (UTC).'],
  ])('GIVEN /mute %s in a UTC chat THEN muted to that end, named in the reply', async (typed, end, text) => {
    await run('subscribe', []);
    expect(plainText(await run('mute', typed.split(' ').filter(Boolean)))).toBe(text);
    expect(await mutedUntil()).toBe(Date.parse(end));
  });

  test('GIVEN until the weekend on a Saturday, or on Friday evening in New York past its close THEN refused as the weekend already, nothing written', async () => {
    await run('subscribe', []);
    const r = await run('mute', ['until', 'the', 'weekend']);
    expect([r.status, plainText(r).split('\n')[0]]).toEqual([
      'usage',
      // A chat with no zone reads the market's week on New York's calendar: Friday evening there, past its close.
      'It is the weekend already in New York, where the market is (2026-11-20): give a day, like until monday, or next weekend.',
    ]);
    expect(await mutedUntil()).toBeNull();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'America/New_York'], tw);
    expect(plainText(await run('mute', ['到週末'], tw)).split('\n')[0]).toBe('現在已是週末（2026年11月20日）：請給一個日期，例如「到週一」，或「到下週末」。');
    expect(await mutedUntil('tw')).toBeNull();
    expect(plainText(await run('mute', ['到下週末'], tw))).toBe(
      '已靜音至2026年11月27日 13:00（美東時間），即美股2026年11月27日收盤（紐約時間 13:00，提前收盤）。',
    );
    expect(plainText(await run('mute', ['2小時後'], tw))).toBe('已靜音至2026年11月20日 21:00（美東時間）。');
    expect(plainText(await run('mute', ['到明天早上'], tw))).toBe('已靜音至2026年11月21日 08:00（美東時間）。');
    expect(plainText(await run('mute', ['到明早'], tw))).toBe('已靜音至2026年11月21日 08:00（美東時間）。');
    expect(plainText(await run('mute', ['到3月'], tw))).toBe('已靜音至2027年3月1日 00:00（美東時間）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-03-01T05:00:00Z'));
    // 今晚 is 18:00 there, an hour gone at 19:00: said so, not tomorrow's evening.
    const before = w.dump();
    expect(plainText(await run('mute', ['到今晚'], tw)).split('\n')[0]).toBe(
      '該結束時間（2026年11月20日 18:00（美東時間））已經過了：請給未來的時間，例如「到下週一」，或一段時間長度，例如「2小時」。',
    );
    expect(
      plainText(await run('mute', ['到週末'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-22T15:00:00Z') }))).split('\n')[0],
    ).toBe('現在已是週末（2026年11月22日）：請給一個日期，例如「到週一」，或「到下週末」。');
    expect(w.dump()).toBe(before);
  });

  test('GIVEN 到周末, 2小时后, 到今晚, 到明天下午 in a Simplified Chinese chat on a Wednesday THEN muted to those ends', async () => {
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN', nowMs: WEDNESDAY });
    await run('subscribe', [], cn);
    // The weekend from the week's last close: Friday 2026-11-27's, an early one after Thanksgiving.
    expect(plainText(await run('mute', ['到周末'], cn))).toBe('已静音至2026年11月27日 18:00（UTC），即美股2026年11月27日收盘（纽约时间 13:00，提前收盘）。');
    expect(plainText(await run('mute', ['2小时后'], cn))).toBe('已静音至2026年11月25日 05:00（UTC）。');
    expect(plainText(await run('mute', ['到今晚'], cn))).toBe('已静音至2026年11月25日 18:00（UTC）。');
    expect(plainText(await run('mute', ['到明天下午'], cn))).toBe('已静音至2026年11月26日 13:00（UTC）。');
    expect(plainText(await run('mute', ['直到三月'], cn))).toBe('已静音至2027年3月1日 00:00（UTC）。');
    expect(await mutedUntil('cn')).toBe(Date.parse('2027-03-01T00:00:00Z'));
    expect(plainText(await run('mute', ['until', 'the', 'weekend'], cn))).toBe(
      '已静音至2026年11月27日 18:00（UTC），即美股2026年11月27日收盘（纽约时间 13:00，提前收盘）。',
    );
  });

  test('GIVEN a bare 3月 (March, not three months) THEN refused offering both forms, in each language, nothing written', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    for (const c of [chatCtx(), tw, cn]) await run('subscribe', [], c);
    const before = w.dump();
    expect(plainText(await run('mute', ['3月'], tw)).split('\n')[0]).toBe(
      '「3月」是月份，不是月數：要靜音 3 個月請寫「3個月」，要靜音到該月 1 日請寫「到3月」。',
    );
    expect(plainText(await run('mute', ['三月'], cn)).split('\n')[0]).toBe('“三月”是月份，不是月数：要静音 3 个月请写“3个月”，要静音到该月 1 日请写“到3月”。');
    expect(plainText(await run('mute', ['3月'])).split('\n')[0]).toBe(
      '"3月" names a month in Chinese (month 3), not a count of months: for that many months write 3mo; to mute until that month begins, write 到3月.',
    );
    expect(w.dump()).toBe(before);
    // Months as a count still read.
    expect(plainText(await run('mute', ['3個月'], tw))).toBe('已靜音至2027年2月21日 00:00（UTC）。');
    expect(plainText(await run('mute', ['3个月'], cn))).toBe('已静音至2027年2月21日 00:00（UTC）。');
  });

  test('GIVEN words /mute cannot read THEN the refusal echoes all of them, not the first', async () => {
    await run('subscribe', []);
    expect(plainText(await run('mute', ['until', 'whenever', 'you', 'like'])).split('\n')[0]).toBe(
      'Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "until whenever you like".',
    );
  });

  test.each([
    ['en', '/mute <30m|2h|1d|1w|until monday>'],
    ['zh-TW', '/mute <30分鐘|2小時|1天|1週|到週一>'],
    ['zh-CN', '/mute <30分钟|2小时|1天|1周|到周一>'],
  ] as const)('GIVEN /mute alone in a %s chat THEN the usage line shows an end too', async (lang, line) => {
    const c = chatCtx({ chatId: lang, userLanguageCode: lang });
    await run('subscribe', [], c);
    expect(plainText(await run('mute', [], c))).toContain(line);
  });
});

describe('/mute as people type it: punctuation, emoji, halves, a zone, a time before its day, a month or year end', () => {
  // NOW_MS: Saturday 2026-11-21 00:00 UTC.
  test.each([
    ['en', '2 hrs.', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['en', '3 days!', '2026-11-24T00:00:00Z', 'Muted until 2026-11-24 00:00 (UTC).'],
    ['en', '🔕 2h', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['en', 'half an hour', '2026-11-21T00:30:00Z', 'Muted until 2026-11-21 00:30 (UTC).'],
    ['en', 'an hour and a half', '2026-11-21T01:30:00Z', 'Muted until 2026-11-21 01:30 (UTC).'],
    ['en', 'until 9am Taipei', '2026-11-21T01:00:00Z', 'Muted until 2026-11-21 09:00 (Taipei time).'],
    ['en', 'until 9am UTC+8', '2026-11-21T01:00:00Z', 'Muted until 2026-11-21 09:00 (UTC+8).'],
    ['en', 'until 5pm tomorrow', '2026-11-22T17:00:00Z', 'Muted until 2026-11-22 17:00 (UTC).'],
    ['en', 'until 9am on monday', '2026-11-23T09:00:00Z', 'Muted until 2026-11-23 09:00 (UTC).'],
    [
      'en',
      'until end of day',
      '2026-11-22T00:00:00Z',
      "Muted until 2026-11-22 00:00 (UTC).\nEnd of day read as midnight on this chat's clock; for the US market's close, write until close.",
    ],
    ['en', 'until next month', '2026-12-01T00:00:00Z', 'Muted until 2026-12-01 00:00 (UTC).'],
    ['zh-TW', '三天。', '2026-11-24T00:00:00Z', '已靜音至2026年11月24日 00:00（UTC）。'],
    ['zh-TW', '一天半', '2026-11-22T12:00:00Z', '已靜音至2026年11月22日 12:00（UTC）。'],
    ['zh-TW', '到晚上8點 台北', '2026-11-21T12:00:00Z', '已靜音至2026年11月21日 20:00（台北時間）。'],
    ['zh-TW', '到月底', '2026-12-01T00:00:00Z', '已靜音至2026年12月1日 00:00（UTC）。'],
    ['zh-TW', '到明年', '2027-01-01T00:00:00Z', '已靜音至2027年1月1日 00:00（UTC）。'],
    ['zh-CN', '到明早9点', '2026-11-22T09:00:00Z', '已静音至2026年11月22日 09:00（UTC）。'],
    ['zh-CN', '到今晚10点', '2026-11-21T22:00:00Z', '已静音至2026年11月21日 22:00（UTC）。'],
    ['zh-CN', '两小时半', '2026-11-21T02:30:00Z', '已静音至2026年11月21日 02:30（UTC）。'],
    ['zh-CN', '到下个月', '2026-12-01T00:00:00Z', '已静音至2026年12月1日 00:00（UTC）。'],
    ['zh-CN', '到晚上8点 北京时间', '2026-11-21T12:00:00Z', '已静音至2026年11月21日 20:00（北京时间）。'],
  ] as const)('GIVEN /mute %s %s THEN muted to that end, named in the reply', async (lang, typed, end, text) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang });
    await run('subscribe', [], ctx);
    expect(plainText(await run('mute', typed.split(' '), ctx))).toBe(text);
    expect(await mutedUntil(lang)).toBe(Date.parse(end));
  });

  test('GIVEN an end with a zone that names several (CST) THEN refused naming them, nothing guessed', async () => {
    await run('subscribe', []);
    expect(plainText(await run('mute', ['until', '9am', 'CST'])).split('\n')[0]).toBe(
      '"CST" names several time zones (America/Chicago, Asia/Taipei, Asia/Shanghai for Beijing, America/Havana): give one of them, e.g. /mute until 9am America/Chicago.',
    );
    expect(await mutedUntil()).toBeNull();
  });
});

describe('/mute where a reading would be a guess, and a few more ends', () => {
  test.each([
    ['en', '3M', '"3M" could be 3 minutes or 3 months: write 3min or 3mo.'],
    ['en', '1M', '"1M" could be 1 minute or 1 month: write 1min or 1mo.'],
    ['zh-TW', '1M', '「1M」可能是 1 分鐘，也可能是 1 個月：請寫「1分鐘」或「1個月」。'],
    ['zh-CN', '6 M', '“6 M”可能是 6 分钟，也可能是 6 个月：请写“6分钟”或“6个月”。'],
    ['en', 'for 3M.', '"for 3M." could be 3 minutes or 3 months: write 3min or 3mo.'],
  ] as const)('GIVEN /mute %s %s (M: minutes, or months as the chart ranges write them) THEN asked, nothing written', async (lang, typed, text) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang });
    await run('subscribe', [], ctx);
    const before = w.dump();
    const r = await run('mute', typed.split(' '), ctx);
    expect([r.status, plainText(r).split('\n')[0]]).toEqual(['usage', text]);
    expect(w.dump()).toBe(before);
  });

  test.each([
    ['en', '3m', '2026-11-21T00:03:00Z', 'Muted until 2026-11-21 00:03 (UTC).'],
    ['en', 'untill monday', '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    ['en', 'until 24:00', '2026-11-22T00:00:00Z', 'Muted until 2026-11-22 00:00 (UTC).'],
    ['zh-TW', '到 3 月', '2027-03-01T00:00:00Z', '已靜音至2027年3月1日 00:00（UTC）。'],
    ['zh-CN', '到下个月初', '2026-12-01T00:00:00Z', '已静音至2026年12月1日 00:00（UTC）。'],
    ['zh-CN', '到月初', '2026-12-01T00:00:00Z', '已静音至2026年12月1日 00:00（UTC）。'],
  ] as const)('GIVEN /mute %s %s THEN muted to that end', async (lang, typed, end, text) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang });
    await run('subscribe', [], ctx);
    expect(plainText(await run('mute', typed.split(' '), ctx))).toBe(text);
    expect(await mutedUntil(lang)).toBe(Date.parse(end));
  });
});

describe('/mute until a bare hour (5, 到5點): the next time a clock shows it', () => {
  // 14:00 on Saturday 2026-11-21, UTC.
  const AFTERNOON = Date.parse('2026-11-21T14:00:00Z');
  test.each([
    ['en', 'until 5', '2026-11-21T17:00:00Z', 'Muted until 2026-11-21 17:00 (UTC).'],
    ['en', 'until 1:30', '2026-11-22T01:30:00Z', 'Muted until 2026-11-22 01:30 (UTC).'],
    ['en', 'until 05:00', '2026-11-22T05:00:00Z', 'Muted until 2026-11-22 05:00 (UTC).'],
    ['en', 'until 5am', '2026-11-22T05:00:00Z', 'Muted until 2026-11-22 05:00 (UTC).'],
    ['en', 'until monday 9', '2026-11-23T09:00:00Z', 'Muted until 2026-11-23 09:00 (UTC).'],
    ['zh-TW', '到5點', '2026-11-21T17:00:00Z', '已靜音至2026年11月21日 17:00（UTC）。'],
    ['zh-TW', '到早上5點', '2026-11-22T05:00:00Z', '已靜音至2026年11月22日 05:00（UTC）。'],
    ['zh-CN', '到五点半', '2026-11-21T17:30:00Z', '已静音至2026年11月21日 17:30（UTC）。'],
    ['zh-CN', '到17点', '2026-11-21T17:00:00Z', '已静音至2026年11月21日 17:00（UTC）。'],
  ] as const)('GIVEN /mute %s %s at 14:00 THEN muted to that end', async (lang, typed, end, text) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: AFTERNOON });
    await run('subscribe', [], ctx);
    expect(plainText(await run('mute', typed.split(' '), ctx))).toBe(text);
    expect(await mutedUntil(lang)).toBe(Date.parse(end));
  });
});

describe('/mute on Discord, its one option holding the words', () => {
  test('GIVEN duration:"until tomorrow morning", "到晚上8點 台北" and "3月" THEN read as on Telegram', async () => {
    const d = chatCtx({ platform: 'discord', chatId: 'd1', userLanguageCode: 'zh-TW' });
    const mute = findCommand('mute')!;
    await findCommand('subscribe')!.runNamed(w.deps, d, {});
    expect(plainText(await mute.runNamed(w.deps, d, { duration: 'until tomorrow morning' }))).toBe('已靜音至2026年11月22日 08:00（UTC）。');
    expect(plainText(await mute.runNamed(w.deps, d, { duration: '到晚上8點 台北' }))).toBe('已靜音至2026年11月21日 20:00（台北時間）。');
    expect((await w.deps.subs.get('discord', 'd1'))?.mutedUntil).toBe(Date.parse('2026-11-21T12:00:00Z'));
    expect(plainText(await mute.runNamed(w.deps, d, { duration: '3月' })).split('\n')[0]).toBe(
      '「3月」是月份，不是月數：要靜音 3 個月請寫「3個月」，要靜音到該月 1 日請寫「到3月」。',
    );
  });
});

describe('/mute with the ends people say (round 5)', () => {
  // NOW_MS: Saturday 2026-11-21 00:00 UTC; Friday 19:00 in New York.
  test.each([
    ['until the 24th', '2026-11-24T00:00:00Z', 'Muted until 2026-11-24 00:00 (UTC).'],
    ['until 24th', '2026-11-24T00:00:00Z', 'Muted until 2026-11-24 00:00 (UTC).'],
    // The 21st's 00:00 has passed: next month's; the 31st: the next month that has one.
    ['until the 21st', '2026-12-21T00:00:00Z', 'Muted until 2026-12-21 00:00 (UTC).'],
    ['until the 31st', '2026-12-31T00:00:00Z', 'Muted until 2026-12-31 00:00 (UTC).'],
    ['until 12/24', '2026-12-24T00:00:00Z', 'Muted until 2026-12-24 00:00 (UTC).'],
    ['until 24/12', '2026-12-24T00:00:00Z', 'Muted until 2026-12-24 00:00 (UTC).'],
    ['until 12/24/2026 9am', '2026-12-24T09:00:00Z', 'Muted until 2026-12-24 09:00 (UTC).'],
    ['until 3/3', '2027-03-03T00:00:00Z', 'Muted until 2027-03-03 00:00 (UTC).'],
    // Misspelt days, read as the day: the reply names the end.
    ['tomorow', '2026-11-22T00:00:00Z', 'Muted until 2026-11-22 00:00 (UTC).'],
    ['tommorow', '2026-11-22T00:00:00Z', 'Muted until 2026-11-22 00:00 (UTC).'],
    ['untill wendesday', '2026-11-25T00:00:00Z', 'Muted until 2026-11-25 00:00 (UTC).'],
    ['2h?', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['2h 🙏', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    // A count spelt out, as English writes a small one.
    ['two hours', '2026-11-21T02:00:00Z', 'Muted until 2026-11-21 02:00 (UTC).'],
    ['One Week', '2026-11-28T00:00:00Z', 'Muted until 2026-11-28 00:00 (UTC).'],
    ['twenty minutes', '2026-11-21T00:20:00Z', 'Muted until 2026-11-21 00:20 (UTC).'],
    // A fraction before its unit is a length, no date to ask about.
    ['1/2 hour', '2026-11-21T00:30:00Z', 'Muted until 2026-11-21 00:30 (UTC).'],
    ['3/4 hour', '2026-11-21T00:45:00Z', 'Muted until 2026-11-21 00:45 (UTC).'],
  ])('GIVEN /mute %s in an English UTC chat THEN muted to that end, named in the reply', async (typed, end, text) => {
    await run('subscribe', []);
    expect(plainText(await run('mute', typed.split(' ')))).toBe(text);
    expect(await mutedUntil()).toBe(Date.parse(end));
  });

  test('GIVEN 3/4 in an English chat THEN asked, offering March 4 and 3 April, nothing written; in Chinese chats THEN 3月4日, in the chat zone', async () => {
    await run('subscribe', []);
    const before = w.dump();
    const r = await run('mute', ['until', '3/4']);
    expect([r.status, plainText(r).split('\n')[0]]).toEqual(['usage', '"3/4" could be March 4 or 3 April: write until Mar 4 or until Apr 3.']);
    expect(w.dump()).toBe(before);
    expect(plainText(await run('mute', ['until', 'Mar', '4']))).toBe('Muted until 2027-03-04 00:00 (UTC).');
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'Asia/Taipei'], tw);
    expect(plainText(await run('mute', ['到3/4'], tw))).toBe('已靜音至2027年3月4日 00:00（台北時間）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-03-03T16:00:00Z'));
    expect(plainText(await run('mute', ['到24日？'], tw))).toBe('已靜音至2026年11月24日 00:00（台北時間）。');
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['到3/4'], cn))).toBe('已静音至2027年3月4日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到24号'], cn))).toBe('已静音至2026年11月24日 00:00（UTC）。');
    expect(plainText(await run('mute', ['2小时？'], cn))).toBe('已静音至2026年11月21日 02:00（UTC）。');
    expect(plainText(await run('mute', ['1/2小时'], cn))).toBe('已静音至2026年11月21日 00:30（UTC）。');
    // 2027 is next year or 20:27: asked, nothing written; 2000 (a past year) is the clock's 20:00.
    const beforeYear = w.dump();
    expect(plainText(await run('mute', ['until', '2027'])).split('\n')[0]).toBe(
      '"2027" could be the year 2027 or the time 20:27: write until 20:27, or a date, like until 2027-01-01.',
    );
    expect(plainText(await run('mute', ['到2027'], tw)).split('\n')[0]).toBe(
      '「2027」可能是 2027 年，也可能是 20:27：請寫「到20:27」，或寫日期，例如「到2027-01-01」。',
    );
    expect(plainText(await run('mute', ['到2027'], cn)).split('\n')[0]).toBe(
      '“2027”可能是 2027 年，也可能是 20:27：请写“到20:27”，或写日期，例如“到2027-01-01”。',
    );
    expect(w.dump()).toBe(beforeYear);
    expect(plainText(await run('mute', ['until', '2000']))).toBe('Muted until 2026-11-21 20:00 (UTC).');
    // 13/13 is no date, and never a 13/1 with an hour after it.
    const beforeBad = w.dump();
    expect(plainText(await run('mute', ['until', '13/13'])).split('\n')[0]).toBe(
      'Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "until 13/13".',
    );
    expect(w.dump()).toBe(beforeBad);
  });

  test('GIVEN forever, 永久, 一直 THEN one line: a year is the longest, /unsubscribe stops for good; nothing written', async () => {
    await run('subscribe', []);
    const before = w.dump();
    const en = await run('mute', ['forever']);
    expect([en.status, plainText(en).split('\n')[0]]).toEqual([
      'usage',
      'A mute lasts at most 1 year, so "forever" is not one: /mute 1y is the longest; to stop the alerts for good, /unsubscribe.',
    ]);
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['永久'], tw)).split('\n')[0]).toBe(
      '靜音最長 1 年，無法設為「永久」：最長請用 /mute 1年；若要永久停止通知，請用 /unsubscribe。',
    );
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    const beforeCn = w.dump();
    expect(plainText(await run('mute', ['一直'], cn)).split('\n')[0]).toBe(
      '静音最长 1 年，无法设为“一直”：最长请用 /mute 1年；如要永久停止提醒，请用 /unsubscribe。',
    );
    expect(w.dump()).toBe(beforeCn);
    expect(await mutedUntil()).toBeNull();
    expect(before).not.toBe('');
  });
});

describe('/mute until a holiday, the week’s end, or as a text spells it', () => {
  // NOW_MS: Saturday 2026-11-21 00:00 UTC.
  test.each([
    [['tonite'], '2026-11-21T18:00:00Z', 'Muted until 2026-11-21 18:00 (UTC).'],
    [['tonight', '10pm'], '2026-11-21T22:00:00Z', 'Muted until 2026-11-21 22:00 (UTC).'],
    [['till', '2morrow'], '2026-11-22T00:00:00Z', 'Muted until 2026-11-22 00:00 (UTC).'],
    [['2moro', '9am'], '2026-11-22T09:00:00Z', 'Muted until 2026-11-22 09:00 (UTC).'],
    [['until', 'end', 'of', 'week'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    [['until', 'the', 'end', 'of', 'the', 'week'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    [['for', 'the', 'weekend'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    [['until', 'after', 'the', 'weekend'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    // An exchange holiday, as thanksgiving: the last close before it (Christmas Eve's early close), said.
    [
      ['until', 'christmas'],
      '2026-12-24T18:00:00Z',
      'Muted until 2026-12-24 18:00 (UTC), the close of 2026-12-24 (13:00 New York, an early close).\nThe US market is closed on Christmas (2026-12-25): read as the last close before it.',
    ],
    [['until', 'xmas', 'eve'], '2026-12-24T00:00:00Z', 'Muted until 2026-12-24 00:00 (UTC).'],
    [['until', 'christmas', '9am'], '2026-12-25T09:00:00Z', 'Muted until 2026-12-25 09:00 (UTC).'],
    [
      ['until', 'new', 'year'],
      '2026-12-31T21:00:00Z',
      "Muted until 2026-12-31 21:00 (UTC), the close of 2026-12-31 (16:00 New York).\nThe US market is closed on New Year's Day (2027-01-01): read as the last close before it.",
    ],
    [
      ['until', "new year's", 'day'],
      '2026-12-31T21:00:00Z',
      "Muted until 2026-12-31 21:00 (UTC), the close of 2026-12-31 (16:00 New York).\nThe US market is closed on New Year's Day (2027-01-01): read as the last close before it.",
    ],
    [['until', 'lunar', 'new', 'year'], '2027-02-06T00:00:00Z', 'Muted until 2027-02-06 00:00 (UTC).'],
    [['overnight'], '2026-11-21T08:00:00Z', 'Muted until 2026-11-21 08:00 (UTC).'],
    [['until', 'the', 'day', 'after', 'tomorrow'], '2026-11-23T00:00:00Z', 'Muted until 2026-11-23 00:00 (UTC).'],
    [['until', '9am', 'sharp'], '2026-11-21T09:00:00Z', 'Muted until 2026-11-21 09:00 (UTC).'],
    [['for', 'the', 'night'], '2026-11-21T08:00:00Z', 'Muted until 2026-11-21 08:00 (UTC).'],
    [['until', '2moro', 'nite'], '2026-11-22T18:00:00Z', 'Muted until 2026-11-22 18:00 (UTC).'],
  ])('GIVEN /mute %j in a UTC chat THEN muted to that end, the reply naming it', async (args, end, text) => {
    await run('subscribe', []);
    expect(plainText(await run('mute', args))).toBe(text);
    expect(await mutedUntil()).toBe(Date.parse(end));
  });

  test('GIVEN 到週末結束, 到元旦, 到過年, 到聖誕節 in Traditional and 到周末结束, 到春节 in Simplified Chinese THEN muted to those days (元旦 and 聖誕節, exchange holidays, to the last close before them)', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['到週末結束'], tw))).toBe('已靜音至2026年11月23日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到元旦'], tw))).toBe(
      '已靜音至2026年12月31日 21:00（UTC），即美股2026年12月31日收盤（紐約時間 16:00）。\n美股於元旦（2027年1月1日）休市：以其前一個收盤計算。',
    );
    expect(plainText(await run('mute', ['到聖誕節'], tw))).toBe(
      '已靜音至2026年12月24日 18:00（UTC），即美股2026年12月24日收盤（紐約時間 13:00，提前收盤）。\n美股於聖誕節（2026年12月25日）休市：以其前一個收盤計算。',
    );
    expect(plainText(await run('mute', ['到過年'], tw))).toBe('已靜音至2027年2月6日 00:00（UTC）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-02-06T00:00:00Z'));
    expect(plainText(await run('mute', ['過夜'], tw))).toBe('已靜音至2026年11月21日 08:00（UTC）。');
    expect(plainText(await run('mute', ['到大後天'], tw))).toBe('已靜音至2026年11月24日 00:00（UTC）。');
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['到周末结束'], cn))).toBe('已静音至2026年11月23日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到春节'], cn))).toBe('已静音至2027年2月6日 00:00（UTC）。');
    expect(await mutedUntil('cn')).toBe(Date.parse('2027-02-06T00:00:00Z'));
    expect(plainText(await run('mute', ['过夜'], cn))).toBe('已静音至2026年11月21日 08:00（UTC）。');
    expect(plainText(await run('mute', ['到大后天'], cn))).toBe('已静音至2026年11月24日 00:00（UTC）。');
  });

  test('GIVEN 到除夕, 大年夜 and until lunar new year’s eve THEN the day before Lunar New Year (2027-02-05), and once it has begun the next year’s (2028-01-25)', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['到除夕'], tw))).toBe('已靜音至2027年2月5日 00:00（UTC）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-02-05T00:00:00Z'));
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['大年夜'], cn))).toBe('已静音至2027年2月5日 00:00（UTC）。');
    const en = chatCtx({ chatId: 'en', nowMs: Date.parse('2027-02-05T12:00:00Z') });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', 'lunar', 'new', 'year’s', 'eve'], en))).toBe('Muted until 2028-01-25 00:00 (UTC).');
  });

  test('GIVEN 到過年 after that year’s Lunar New Year THEN the next one, from the table (2028-01-26)', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2027-02-06T12:00:00Z') });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['到過年'], tw))).toBe('已靜音至2028年1月26日 00:00（UTC）。');
  });

  test('GIVEN 到過年 and until lunar new year after 2032’s Lunar New Year THEN 2033-01-31, and 2034-02-19 (after 2033’s leap month) a year on', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2032-02-12T00:00:00Z') });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['到過年'], tw))).toBe('已靜音至2033年1月31日 00:00（UTC）。');
    const en = chatCtx({ chatId: 'en', nowMs: Date.parse('2033-03-01T00:00:00Z') });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', 'lunar', 'new', 'year'], en))).toBe('Muted until 2034-02-19 00:00 (UTC).');
    expect(await mutedUntil('en')).toBe(Date.parse('2034-02-19T00:00:00Z'));
  });

  test('GIVEN 過完年, 年後, 春節後, until after lunar new year THEN the day work starts again, said by its date: 初五 (開工) in Taiwan and English, 初八 on the mainland; 大年初五, 元宵 by their day', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    // 2027's Lunar New Year is 6 February: 初五 the 10th, 初八 the 13th, 元宵 (正月十五) the 20th.
    for (const typed of ['過完年', '到過完年', '年後', '過年後', '春節後', '春節過後', '到開工', '過完年了']) {
      expect(plainText(await run('mute', [typed], tw)), typed).toBe('已靜音至2027年2月10日 00:00（UTC）。');
    }
    expect(await mutedUntil('tw')).toBe(Date.parse('2027-02-10T00:00:00Z'));
    expect(plainText(await run('mute', ['到大年初五'], tw))).toBe('已靜音至2027年2月10日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到正月初八'], tw))).toBe('已靜音至2027年2月13日 00:00（UTC）。');
    expect(plainText(await run('mute', ['到元宵節'], tw))).toBe('已靜音至2027年2月20日 00:00（UTC）。');
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    for (const typed of ['过完年', '年后', '过年后', '春节后', '春节假期结束', '到开工']) {
      expect(plainText(await run('mute', [typed], cn)), typed).toBe('已静音至2027年2月13日 00:00（UTC）。');
    }
    const en = chatCtx({ chatId: 'en' });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', 'after', 'lunar', 'new', 'year'], en))).toBe('Muted until 2027-02-10 00:00 (UTC).');
    expect(plainText(await run('mute', ['after', 'cny'], en))).toBe('Muted until 2027-02-10 00:00 (UTC).');
    // Within the holiday, its own 初五; past it, the next year's (2028-01-26: 初五 the 30th).
    const during = chatCtx({ chatId: 'tw2', userLanguageCode: 'zh-TW', nowMs: Date.parse('2027-02-08T12:00:00Z') });
    await run('subscribe', [], during);
    expect(plainText(await run('mute', ['過完年'], during))).toBe('已靜音至2027年2月10日 00:00（UTC）。');
    const after = chatCtx({ chatId: 'tw3', userLanguageCode: 'zh-TW', nowMs: Date.parse('2027-02-11T12:00:00Z') });
    await run('subscribe', [], after);
    expect(plainText(await run('mute', ['過完年'], after))).toBe('已靜音至2028年1月30日 00:00（UTC）。');
  });

  test('GIVEN until the close, 到收盤, until the open, 到開盤 THEN the next regular close (16:00 New York) or open (09:30) still ahead on a trading day, said in the chat’s zone', async () => {
    // Friday 2026-11-20, 10:00 in New York.
    const friday = Date.parse('2026-11-20T15:00:00Z');
    const en = chatCtx({ chatId: 'en', nowMs: friday });
    await run('subscribe', [], en);
    for (const words of [
      ['until', 'the', 'close'],
      ['until', 'market', 'close'],
      ['until', 'the', 'closing', 'bell'],
    ]) {
      expect(plainText(await run('mute', words, en)), words.join(' ')).toBe('Muted until 2026-11-20 21:00 (UTC).');
    }
    // The open is Monday's; `the opening` is no `evening`.
    for (const words of [
      ['until', 'the', 'open'],
      ['until', 'the', 'opening'],
      ['until', 'market', 'open'],
    ]) {
      expect(plainText(await run('mute', words, en)), words.join(' ')).toBe('Muted until 2026-11-23 14:30 (UTC).');
    }
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: friday });
    await run('subscribe', [], tw);
    expect(plainText(await run('mute', ['到收盤'], tw))).toBe('已靜音至2026年11月20日 21:00（UTC）。');
    expect(plainText(await run('mute', ['到開盤'], tw))).toBe('已靜音至2026年11月23日 14:30（UTC）。');
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN', nowMs: Date.parse('2026-11-20T22:00:00Z') });
    await run('subscribe', [], cn);
    // After Friday's close: Monday's.
    expect(plainText(await run('mute', ['到收盘'], cn))).toBe('已静音至2026年11月23日 21:00（UTC）。');
    // Thanksgiving (2026-11-26) has no close: the next trading day's, an early close at 13:00 New York.
    const thanksgiving = chatCtx({ chatId: 'tg', nowMs: Date.parse('2026-11-26T12:00:00Z') });
    await run('subscribe', [], thanksgiving);
    expect(plainText(await run('mute', ['until', 'the', 'close'], thanksgiving))).toBe(
      'Muted until 2026-11-27 18:00 (UTC), the close (13:00 New York, an early close).',
    );
    expect(await mutedUntil('tg')).toBe(Date.parse('2026-11-27T18:00:00Z'));
  });

  test.each([
    ['en', ['until', 'the', 'close'], 'Muted until 2026-11-27 18:00 (UTC), the close (13:00 New York, an early close).'],
    ['zh-TW', ['到收盤'], '已靜音至2026年11月27日 18:00（UTC），即美股收盤（紐約時間 13:00，提前收盤）。'],
    ['zh-CN', ['到收盘'], '已静音至2026年11月27日 18:00（UTC），即美股收盘（纽约时间 13:00，提前收盘）。'],
  ] as const)(
    'GIVEN the day after Thanksgiving (2026-11-27, 10:00 New York) and /mute until the close in %s THEN muted to 13:00 New York, the reply naming the early close',
    async (lang, words, text) => {
      const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: Date.parse('2026-11-27T15:00:00Z') });
      await run('subscribe', [], ctx);
      expect(plainText(await run('mute', words, ctx))).toBe(text);
      expect(await mutedUntil(lang)).toBe(Date.parse('2026-11-27T18:00:00Z'));
    },
  );

  test('GIVEN Christmas Eve 2026 (an early close) THEN until the close is 13:00 New York, named in a Taipei chat; past it, the next close is a full day after Christmas and the weekend', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-12-24T14:00:00Z') });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'Asia/Taipei'], tw);
    expect(plainText(await run('mute', ['到收盤'], tw))).toBe('已靜音至2026年12月25日 02:00（台北時間），即美股收盤（紐約時間 13:00，提前收盤）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2026-12-24T18:00:00Z'));
    // 13:30 New York: the early close has passed; Christmas and the weekend have none: Monday's, at 16:00, said as usual.
    const after = chatCtx({ chatId: 'en', nowMs: Date.parse('2026-12-24T18:30:00Z') });
    await run('subscribe', [], after);
    expect(plainText(await run('mute', ['until', 'the', 'close'], after))).toBe('Muted until 2026-12-28 21:00 (UTC).');
    // The open after the early close crosses Christmas and the weekend too.
    expect(plainText(await run('mute', ['until', 'the', 'open'], after))).toBe('Muted until 2026-12-28 14:30 (UTC).');
    // Before the early close, the open is the next trading day's all the same.
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN', nowMs: Date.parse('2026-12-24T15:00:00Z') });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['到开盘'], cn))).toBe('已静音至2026年12月28日 14:30（UTC）。');
  });

  test('GIVEN the open after Thanksgiving week: asked on the Wednesday evening THEN the Friday (early close) opens at the usual 09:30, said as usual', async () => {
    const en = chatCtx({ chatId: 'en', nowMs: Date.parse('2026-11-25T23:00:00Z') });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', 'the', 'open'], en))).toBe('Muted until 2026-11-27 14:30 (UTC).');
  });

  test('GIVEN 週末後, 周末后, 週末以後 THEN the next Monday, as 週末過後 and after the weekend are; 週後 alone is no end', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    for (const typed of ['週末後', '到週末以後', '週末之後', '週末後吧']) {
      expect(plainText(await run('mute', [typed], tw)), typed).toBe('已靜音至2026年11月23日 00:00（UTC）。');
    }
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['周末后'], cn))).toBe('已静音至2026年11月23日 00:00（UTC）。');
    const before = w.dump();
    expect(plainText(await run('mute', ['週後'], tw)).split('\n')[0]).toBe(
      '靜音需要時間長度，例如 30分鐘、2小時、1天或 1週，或結束時間，例如「到下週一」；您輸入的是「週後」。',
    );
    expect(w.dump()).toBe(before);
  });

  test('GIVEN 到初一 (the 1st of any lunar month) THEN no end is guessed, nothing written; 到正月初一 is Lunar New Year', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], tw);
    const before = w.dump();
    expect(plainText(await run('mute', ['到初一'], tw)).split('\n')[0]).toBe(
      '靜音需要時間長度，例如 30分鐘、2小時、1天或 1週，或結束時間，例如「到下週一」；您輸入的是「到初一」。',
    );
    expect(w.dump()).toBe(before);
    expect(plainText(await run('mute', ['到正月初一'], tw))).toBe('已靜音至2027年2月6日 00:00（UTC）。');
  });

  test('GIVEN until after, tonight 9 THEN no end is guessed (after is no afternoon, an hour alone tonight no evening time); nothing written', async () => {
    await run('subscribe', []);
    const before = w.dump();
    expect(plainText(await run('mute', ['until', 'after'])).split('\n')[0]).toBe(
      'Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "until after".',
    );
    expect(plainText(await run('mute', ['tonight', '9'])).split('\n')[0]).toBe('"9" is more than this command takes.');
    expect(w.dump()).toBe(before);
  });
});

describe('/mute until the close of a day (到明天收盤, until friday close, till monday’s close)', () => {
  // Wednesday 2026-11-18, 10:00 in New York, 15:00 UTC.
  const WEDNESDAY = Date.parse('2026-11-18T15:00:00Z');

  test.each([
    ['zh-TW', ['到明天收盤'], '2026-11-19T21:00:00Z', '已靜音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盤（紐約時間 16:00）。'],
    ['zh-TW', ['到週五收盤'], '2026-11-20T21:00:00Z', '已靜音至2026年11月20日 21:00（UTC），即美股2026年11月20日收盤（紐約時間 16:00）。'],
    ['zh-TW', ['到明天的收盤'], '2026-11-19T21:00:00Z', '已靜音至2026年11月19日 21:00（UTC），即美股2026年11月19日收盤（紐約時間 16:00）。'],
    ['zh-CN', ['到下週一收盘'], '2026-11-23T21:00:00Z', '已静音至2026年11月23日 21:00（UTC），即美股2026年11月23日收盘（纽约时间 16:00）。'],
    ['zh-CN', ['到周五美股收盘'], '2026-11-20T21:00:00Z', '已静音至2026年11月20日 21:00（UTC），即美股2026年11月20日收盘（纽约时间 16:00）。'],
    ['en', ['until', 'friday', 'close'], '2026-11-20T21:00:00Z', 'Muted until 2026-11-20 21:00 (UTC), the close of 2026-11-20 (16:00 New York).'],
    ['en', ['until', 'the', 'close', 'tomorrow'], '2026-11-19T21:00:00Z', 'Muted until 2026-11-19 21:00 (UTC), the close of 2026-11-19 (16:00 New York).'],
    ['en', ['until', "tomorrow's", 'close'], '2026-11-19T21:00:00Z', 'Muted until 2026-11-19 21:00 (UTC), the close of 2026-11-19 (16:00 New York).'],
    ['en', ['till', 'monday’s', 'close'], '2026-11-23T21:00:00Z', 'Muted until 2026-11-23 21:00 (UTC), the close of 2026-11-23 (16:00 New York).'],
    ['en', ['until', 'the', 'close', 'on', 'fri'], '2026-11-20T21:00:00Z', 'Muted until 2026-11-20 21:00 (UTC), the close of 2026-11-20 (16:00 New York).'],
    // Today's while its close is ahead; Wednesday's close on a Wednesday morning is today's.
    ['en', ['until', "today's", 'close'], '2026-11-18T21:00:00Z', 'Muted until 2026-11-18 21:00 (UTC), the close of 2026-11-18 (16:00 New York).'],
    ['en', ['until', 'wednesday', 'close'], '2026-11-18T21:00:00Z', 'Muted until 2026-11-18 21:00 (UTC), the close of 2026-11-18 (16:00 New York).'],
    // Christmas Eve closes at 13:00: said so.
    [
      'en',
      ['until', 'the', 'close', 'on', 'Dec', '24'],
      '2026-12-24T18:00:00Z',
      'Muted until 2026-12-24 18:00 (UTC), the close of 2026-12-24 (13:00 New York, an early close).',
    ],
    ['zh-TW', ['到12月24日收盤'], '2026-12-24T18:00:00Z', '已靜音至2026年12月24日 18:00（UTC），即美股2026年12月24日收盤（紐約時間 13:00，提前收盤）。'],
  ] as const)(
    'GIVEN a %s chat (Wednesday 10:00 New York) and /mute %j THEN muted to that day’s close, the reply naming its date and time',
    async (lang, words, end, said) => {
      const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: WEDNESDAY });
      await run('subscribe', [], ctx);
      const r = await run('mute', words, ctx);
      expect([r.status, plainText(r)]).toEqual(['ok', said]);
      expect(await mutedUntil(lang)).toBe(Date.parse(end));
    },
  );

  test.each([
    ['en', ['until', 'monday', 'open'], '2026-11-23T14:30:00Z', 'Muted until 2026-11-23 14:30 (UTC), the open of 2026-11-23 (09:30 New York).'],
    ['en', ['until', 'the', 'open', 'tomorrow'], '2026-11-19T14:30:00Z', 'Muted until 2026-11-19 14:30 (UTC), the open of 2026-11-19 (09:30 New York).'],
    // Today's open has passed at 10:00: next Wednesday's.
    ['en', ['until', 'wednesday', 'open'], '2026-11-25T14:30:00Z', 'Muted until 2026-11-25 14:30 (UTC), the open of 2026-11-25 (09:30 New York).'],
    ['zh-TW', ['到週一開盤'], '2026-11-23T14:30:00Z', '已靜音至2026年11月23日 14:30（UTC），即美股2026年11月23日開盤（紐約時間 09:30）。'],
    ['zh-CN', ['到明天开盘'], '2026-11-19T14:30:00Z', '已静音至2026年11月19日 14:30（UTC），即美股2026年11月19日开盘（纽约时间 09:30）。'],
  ] as const)('GIVEN a %s chat (Wednesday 10:00 New York) and /mute %j THEN muted to that day’s open, the reply naming it', async (lang, words, end, said) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: WEDNESDAY });
    await run('subscribe', [], ctx);
    expect(plainText(await run('mute', words, ctx))).toBe(said);
    expect(await mutedUntil(lang)).toBe(Date.parse(end));
  });

  test.each([
    [
      'en',
      ['until', 'saturday', 'open'],
      'The US market is closed on 2026-11-21, so that day has no open; the next is 2026-11-23 14:30 (UTC): write until 2026-11-23 open.',
    ],
    ['zh-TW', ['到週六開盤'], '美股2026年11月21日休市，當天沒有開盤；下一次開盤是2026年11月23日 14:30（UTC）：請寫「到2026年11月23日開盤」。'],
    ['zh-CN', ['到周日开盘'], '美股2026年11月22日休市，当天没有开盘；下一次开盘是2026年11月23日 14:30（UTC）：请写“到2026年11月23日开盘”。'],
  ] as const)('GIVEN a %s chat and /mute %j, the open of a shut day THEN one line naming the next open; nothing written', async (lang, words, said) => {
    const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: WEDNESDAY });
    await run('subscribe', [], ctx);
    const before = w.dump();
    const r = await run('mute', words, ctx);
    expect([r.status, plainText(r).split('\n')[0]]).toEqual(['usage', said]);
    expect(w.dump()).toBe(before);
  });

  test('GIVEN a Taipei chat on Thursday morning there (Wednesday evening in New York) THEN 明天 is its own tomorrow, Friday: the close of 2026-11-20, named in Taipei time', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-19T00:00:00Z') });
    await run('subscribe', [], tw);
    await run('digest', ['08:00', 'Asia/Taipei'], tw);
    expect(plainText(await run('mute', ['到明天收盤'], tw))).toBe('已靜音至2026年11月21日 05:00（台北時間），即美股2026年11月20日收盤（紐約時間 16:00）。');
    expect(await mutedUntil('tw')).toBe(Date.parse('2026-11-20T21:00:00Z'));
  });

  test('GIVEN a Taipei chat on Saturday 03:00 there (Friday 14:00 in New York) THEN 週五收盤 is the close two hours ahead, not next week’s', async () => {
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW', nowMs: Date.parse('2026-11-20T19:00:00Z') });
    await run('subscribe', [], tw);
    await run('quiet', ['23:00-07:00', 'Asia/Taipei'], tw);
    expect(plainText(await run('mute', ['到週五收盤'], tw))).toBe('已靜音至2026年11月21日 05:00（台北時間），即美股2026年11月20日收盤（紐約時間 16:00）。');
  });

  test('GIVEN a chat with no zone on Monday 20:00 in New York (Tuesday in UTC) THEN tomorrow’s close is Tuesday’s, New York’s tomorrow, named in UTC', async () => {
    const en = chatCtx({ chatId: 'en', nowMs: Date.parse('2026-11-24T01:00:00Z') });
    await run('subscribe', [], en);
    expect(plainText(await run('mute', ['until', "tomorrow's", 'close'], en))).toBe(
      'Muted until 2026-11-24 21:00 (UTC), the close of 2026-11-24 (16:00 New York).',
    );
    const cn = chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN', nowMs: Date.parse('2026-11-24T01:00:00Z') });
    await run('subscribe', [], cn);
    expect(plainText(await run('mute', ['到今天收盘'], cn)).split('\n')[0]).toContain('已经过去');
  });

  test('GIVEN a weekday after its close THEN the next week’s; today’s close once passed is refused as passed', async () => {
    const evening = chatCtx({ chatId: 'en', nowMs: Date.parse('2026-11-18T22:00:00Z') });
    await run('subscribe', [], evening);
    expect(plainText(await run('mute', ['until', 'wednesday', 'close'], evening))).toBe(
      'Muted until 2026-11-25 21:00 (UTC), the close of 2026-11-25 (16:00 New York).',
    );
    const before = w.dump();
    const past = await run('mute', ['until', "today's", 'close'], evening);
    expect([past.status, plainText(past).split('\n')[0]]).toEqual([
      'usage',
      'That end, 2026-11-18 21:00 (UTC), has already passed: give one ahead, like until monday, or a length, like 2h.',
    ]);
    expect(w.dump()).toBe(before);
  });

  test.each([
    [
      'en',
      ['until', 'thursday', 'close'],
      'The US market is closed on 2026-11-26, so that day has no close; the next is 2026-11-27 18:00 (UTC): write until 2026-11-27 close.',
    ],
    ['zh-TW', ['到週六收盤'], '美股2026年11月28日休市，當天沒有收盤；下一次收盤是2026年11月30日 21:00（UTC）：請寫「到2026年11月30日收盤」。'],
    ['zh-CN', ['到明天收盘'], '美股2026年11月26日休市，当天没有收盘；下一次收盘是2026年11月27日 18:00（UTC）：请写“到2026年11月27日收盘”。'],
  ] as const)(
    'GIVEN a %s chat in Thanksgiving week and /mute %j, a day the market is shut THEN one line naming the day and the next close to type; nothing written',
    async (lang, words, said) => {
      const ctx = chatCtx({ chatId: lang, userLanguageCode: lang, nowMs: Date.parse('2026-11-25T15:00:00Z') });
      await run('subscribe', [], ctx);
      const before = w.dump();
      const r = await run('mute', words, ctx);
      expect([r.status, plainText(r).split('\n')[0]]).toEqual(['usage', said]);
      expect(w.dump()).toBe(before);
      // What it says to write works: the next close, an early one here or Monday's.
      const typed = /until (\S+ close)|(到\S+?收[盤盘])/.exec(said)!;
      const done = await run('mute', typed[1] !== undefined ? ['until', ...typed[1].split(' ')] : [typed[2]!], ctx);
      expect(done.status).toBe('ok');
      expect(await mutedUntil(lang)).toBe(Date.parse(lang === 'zh-TW' ? '2026-11-30T21:00:00Z' : '2026-11-27T18:00:00Z'));
    },
  );

  test.each([[['until', 'next', 'week', 'close']], [['到下週收盤']], [['until', 'march', 'close']]])(
    'GIVEN /mute %j, a close of no one day (a week’s: its Monday or its Friday?) THEN refused, not guessed; nothing written',
    async (words) => {
      const ctx = chatCtx({ chatId: 'x', nowMs: WEDNESDAY });
      await run('subscribe', [], ctx);
      const before = w.dump();
      expect((await run('mute', words, ctx)).status).toBe('usage');
      expect(w.dump()).toBe(before);
    },
  );
});
