/**
 * Times as people type them to /digest and /quiet (round 4): a part of the day said in words
 * (`8 in the morning`, `9 in the evening`, `8 o'clock`, `8点钟`), a part alone (`in the morning`,
 * refused asking its hour, naming all of it), and a quiet window's end on the next day
 * (`晚上10点至次日早上7点`, `11 pm until 7 am`), in each language.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { commandWords } from '../../src/chat/command-words.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import type { Lang } from '../../src/domain/i18n/index.ts';

let w: ChatWorld;
beforeEach(() => {
  w = chatWorld();
});
afterEach(() => w.close());

const ctxOf = (lang: Lang): TestContext => chatCtx({ chatId: lang, userLanguageCode: lang });
const ask = (name: string, typed: string, ctx: TestContext): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, commandWords(typed));
const first = (r: Reply) => plainText(r).split('\n')[0];

describe('/digest with a part of the day in words', () => {
  test.each([
    ['en', '8 in the morning', 'Daily digest set for 08:00 (UTC: no time zone given, and no other is set here). Next: 2026-11-21 08:00 (UTC).'],
    ['en', '9 in the evening', 'Daily digest set for 21:00 (UTC: no time zone given, and no other is set here). Next: 2026-11-23 21:00 (UTC).'],
    ['en', '7:30 in the morning Taipei', 'Daily digest set for 07:30 (Taipei time). Next: 2026-11-24 07:30 (Taipei time).'],
    ['en', "8 o'clock", 'Daily digest set for 08:00 (UTC: no time zone given, and no other is set here). Next: 2026-11-21 08:00 (UTC).'],
    ['en', '830am', 'Daily digest set for 08:30 (UTC: no time zone given, and no other is set here). Next: 2026-11-21 08:30 (UTC).'],
    ['zh-TW', '早上8點鐘', '每日摘要已設為 08:00（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 08:00（UTC）。'],
    ['zh-CN', '8点钟', '每日摘要已设为 08:00（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 08:00（UTC）。'],
    ['zh-CN', '晚上九点钟 北京时间', '每日摘要已设为 21:00（北京时间）。下一次：2026年11月21日 21:00（北京时间）。'],
  ] as const)('GIVEN /digest %s %s THEN set for that time', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('digest', typed, ctx))).toBe(text);
  });

  test.each([
    ['en', 'in the morning', '"in the morning" needs its hour too: write it like 8am. Nothing was changed.'],
    ['en', 'every evening', '"every evening" needs its hour too: write it like 6pm. Nothing was changed.'],
    ['zh-TW', '每天早上', '「每天早上」還需要寫出幾點，例如「早上8點」。設定未變更。'],
    ['zh-CN', '晚上', '“晚上”还需要写明几点，例如“晚上9点”。设置未更改。'],
  ] as const)('GIVEN /digest %s %s (no hour) THEN asked for its hour, the words echoed whole, nothing set', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    const before = w.dump();
    const r = await ask('digest', typed, ctx);
    expect([r.status, first(r)]).toEqual(['usage', text]);
    expect(w.dump()).toBe(before);
  });
});

describe('/quiet with its end on the next day', () => {
  test.each([
    ['zh-CN', '晚上10点至次日早上7点', '免打扰时段已设为 22:00-07:00（UTC：未指定时区，这里也未设置其他时区）。'],
    ['zh-CN', '晚上10点到第二天早上7点', '免打扰时段已设为 22:00-07:00（UTC：未指定时区，这里也未设置其他时区）。'],
    ['zh-TW', '晚上11點到隔天早上6點', '勿擾時段已設為 23:00-06:00（UTC：未指定時區，這裡也未設定其他時區）。'],
    ['en', '11 pm until 7 am', 'Quiet hours set: 23:00-07:00 (UTC: no time zone given, and no other is set here).'],
    ['en', '10pm till 6am', 'Quiet hours set: 22:00-06:00 (UTC: no time zone given, and no other is set here).'],
  ] as const)('GIVEN /quiet %s %s THEN that window', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('quiet', typed, ctx))).toBe(text);
  });
});

describe('/digest and /quiet as typed in a sentence: a full stop, 整, 早 and 晚 short, 清晨, from … to, a zone in words', () => {
  test.each([
    ['zh-TW', '早上8點。', '每日摘要已設為 08:00（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 08:00（UTC）。'],
    ['zh-TW', '晚上8點整', '每日摘要已設為 20:00（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 20:00（UTC）。'],
    ['zh-TW', '清晨6點', '每日摘要已設為 06:00（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 06:00（UTC）。'],
    ['zh-CN', '早8点', '每日摘要已设为 08:00（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 08:00（UTC）。'],
    ['zh-CN', '晚8点半', '每日摘要已设为 20:30（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 20:30（UTC）。'],
    ['en', '8am Taipei time', 'Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).'],
    ['en', '8am in Taipei', 'Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).'],
    ['en', '8am (Taipei)', 'Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).'],
  ] as const)('GIVEN /digest %s %s THEN set for that time', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('digest', typed, ctx))).toBe(text);
  });

  test('GIVEN /digest OFF. after a digest was set THEN turned off', async () => {
    const ctx = ctxOf('en');
    await ask('subscribe', '', ctx);
    await ask('digest', '08:00', ctx);
    expect(first(await ask('digest', 'OFF.', ctx))).toBe('Daily digest turned off.');
  });

  test.each([
    ['en', 'from 10pm to 7am', 'Quiet hours set: 22:00-07:00 (UTC: no time zone given, and no other is set here).'],
    ['en', 'between 10pm and 7am', 'Quiet hours set: 22:00-07:00 (UTC: no time zone given, and no other is set here).'],
    ['zh-TW', '從晚上10點到早上7點。', '勿擾時段已設為 22:00-07:00（UTC：未指定時區，這裡也未設定其他時區）。'],
    ['zh-CN', '从晚10点到早7点', '免打扰时段已设为 22:00-07:00（UTC：未指定时区，这里也未设置其他时区）。'],
  ] as const)('GIVEN /quiet %s %s THEN that window', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('quiet', typed, ctx))).toBe(text);
  });
});

describe('/digest and /quiet times and zones as people type them (round 5)', () => {
  const UTC_EN = '(UTC: no time zone given, and no other is set here)';
  test.each([
    ['en', '20h', `Daily digest set for 20:00 ${UTC_EN}. Next: 2026-11-21 20:00 (UTC).`],
    ['en', '20h30', `Daily digest set for 20:30 ${UTC_EN}. Next: 2026-11-21 20:30 (UTC).`],
    ['en', 'half past 8', `Daily digest set for 08:30 ${UTC_EN}. Next: 2026-11-21 08:30 (UTC).`],
    ['en', 'half past 8pm', `Daily digest set for 20:30 ${UTC_EN}. Next: 2026-11-21 20:30 (UTC).`],
    ['en', 'quarter to 9', `Daily digest set for 08:45 ${UTC_EN}. Next: 2026-11-21 08:45 (UTC).`],
    ['en', 'quarter to 9pm Taipei', 'Daily digest set for 20:45 (Taipei time). Next: 2026-11-21 20:45 (Taipei time).'],
    ['en', 'quarter to 12am', `Daily digest set for 23:45 ${UTC_EN}. Next: 2026-11-23 23:45 (UTC).`],
    ['en', '10 past 8', `Daily digest set for 08:10 ${UTC_EN}. Next: 2026-11-21 08:10 (UTC).`],
    ['en', '8am?', `Daily digest set for 08:00 ${UTC_EN}. Next: 2026-11-21 08:00 (UTC).`],
    ['en', 'half past seven', `Daily digest set for 07:30 ${UTC_EN}. Next: 2026-11-21 07:30 (UTC).`],
    ['en', '8 30', `Daily digest set for 08:30 ${UTC_EN}. Next: 2026-11-21 08:30 (UTC).`],
    ['en', '8 30pm', `Daily digest set for 20:30 ${UTC_EN}. Next: 2026-11-21 20:30 (UTC).`],
    // Past and to the hour, as Chinese says them.
    ['zh-CN', '晚上八点过一刻', '每日摘要已设为 20:15（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 20:15（UTC）。'],
    ['zh-CN', '差一刻九点', '每日摘要已设为 08:45（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 08:45（UTC）。'],
    ['zh-TW', '晚上九點差一刻', '每日摘要已設為 20:45（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 20:45（UTC）。'],
    ['zh-TW', '八點過五分', '每日摘要已設為 08:05（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 08:05（UTC）。'],
    ['en', 'quarter past 7 in the evening', `Daily digest set for 19:15 ${UTC_EN}. Next: 2026-11-21 19:15 (UTC).`],
    // North America's zones by the names said there.
    ['en', '8am eastern', 'Daily digest set for 08:00 (New York time). Next: 2026-11-21 08:00 (New York time).'],
    ['en', '8am pacific time', 'Daily digest set for 08:00 (Los Angeles time). Next: 2026-11-21 08:00 (Los Angeles time).'],
    ['zh-TW', '早上8點（台北）', '每日摘要已設為 08:00（台北時間）。下一次：2026年11月24日 08:00（台北時間）。'],
    ['zh-TW', '早上8點？', '每日摘要已設為 08:00（UTC：未指定時區，這裡也未設定其他時區）。下一次：2026年11月21日 08:00（UTC）。'],
    ['zh-CN', '早上8点(北京)', '每日摘要已设为 08:00（北京时间）。下一次：2026年11月24日 08:00（北京时间）。'],
    // CST as each language's readers mean it: China's clock (Taiwan's, in Taiwan), named back.
    ['zh-TW', '早上8點 CST', '每日摘要已設為 08:00（台北時間）。下一次：2026年11月24日 08:00（台北時間）。'],
    ['zh-CN', '8am CST', '每日摘要已设为 08:00（北京时间）。下一次：2026年11月24日 08:00（北京时间）。'],
  ] as const)('GIVEN /digest %s %s THEN set for that time, the zone named', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('digest', typed, ctx))).toBe(text);
  });

  test('GIVEN CST or IST in an English chat THEN asked which zone, nothing set', async () => {
    const ctx = ctxOf('en');
    await ask('subscribe', '', ctx);
    const before = w.dump();
    expect(first(await ask('digest', '8am CST', ctx))).toBe('CST is the name of more than one time zone. Which one for 08:00?');
    expect(first(await ask('digest', '8am IST', ctx))).toBe('IST is the name of more than one time zone. Which one for 08:00?');
    expect(first(await ask('digest', '8am central', ctx))).toBe('central is the name of more than one time zone. Which one for 08:00?');
    expect(first(await ask('quiet', '23:00-07:00 CST', ctx))).toBe(
      '"CST" names several time zones (America/Chicago, Asia/Taipei, Asia/Shanghai for Beijing, America/Havana): give one of them, e.g. /quiet 23:00-07:00 America/Chicago.',
    );
    expect(w.dump()).toBe(before);
  });

  test.each([
    ['en', '20h-7h', 'Quiet hours set: 20:00-07:00 (UTC: no time zone given, and no other is set here).'],
    ['en', '22h30-7h', 'Quiet hours set: 22:30-07:00 (UTC: no time zone given, and no other is set here).'],
    ['en', '11 at night to 7 in the morning Taipei', 'Quiet hours set: 23:00-07:00 (Taipei time).'],
    ['zh-TW', '23:00-07:00（台北）', '勿擾時段已設為 23:00-07:00（台北時間）。'],
    ['zh-TW', '23:00-07:00 CST', '勿擾時段已設為 23:00-07:00（台北時間）。'],
    ['zh-CN', '23:00-07:00 CST', '免打扰时段已设为 23:00-07:00（北京时间）。'],
  ] as const)('GIVEN /quiet %s %s THEN set, the zone named', async (lang, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask('quiet', typed, ctx))).toBe(text);
  });

  test('GIVEN a zone in brackets glued to a mute’s end, or in square brackets THEN that zone, named', async () => {
    const tw = ctxOf('zh-TW');
    await ask('subscribe', '', tw);
    expect(plainText(await ask('mute', '到明天早上9點（台北）', tw))).toBe('已靜音至2026年11月22日 09:00（台北時間）。');
    expect((await w.deps.subs.get('telegram', 'zh-TW'))?.mutedUntil).toBe(Date.parse('2026-11-22T01:00:00Z'));
    const cn = ctxOf('zh-CN');
    await ask('subscribe', '', cn);
    expect(plainText(await ask('mute', '到明早9点【北京】', cn))).toBe('已静音至2026年11月22日 09:00（北京时间）。');
    const en = ctxOf('en');
    await ask('subscribe', '', en);
    expect(first(await ask('digest', '8am [Taipei]', en))).toBe('Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).');
  });

  test('GIVEN /mute until 9am CST THEN China’s 09:00 in a Chinese chat (named), asked in an English one with nothing written', async () => {
    const cn = ctxOf('zh-CN');
    await ask('subscribe', '', cn);
    expect(plainText(await ask('mute', 'until 9am CST', cn))).toBe('已静音至2026年11月21日 09:00（北京时间）。');
    expect((await w.deps.subs.get('telegram', 'zh-CN'))?.mutedUntil).toBe(Date.parse('2026-11-21T01:00:00Z'));
    const en = ctxOf('en');
    await ask('subscribe', '', en);
    const before = w.dump();
    expect(first(await ask('mute', 'until 9am CST', en))).toBe(
      '"CST" names several time zones (America/Chicago, Asia/Taipei, Asia/Shanghai for Beijing, America/Havana): give one of them, e.g. /mute until 9am America/Chicago.',
    );
    expect(w.dump()).toBe(before);
    expect(first(await ask('mute', 'until 20h', en))).toBe('Muted until 2026-11-21 20:00 (UTC).');
    expect(first(await ask('mute', 'until 11 30pm', en))).toBe('Muted until 2026-11-21 23:30 (UTC).');
    // Without until, two numbers are no end (1h30? 01:30?): refused, the mute as it was.
    const muted = w.dump();
    expect(first(await ask('mute', '1 30', en))).toBe('Mute needs a duration like 30m, 2h, 1d or 1w, or an end like until monday, got "1 30".');
    expect(w.dump()).toBe(muted);
  });
});

describe('/digest and /quiet times cut short or written the European way (round 6)', () => {
  const EN_QUIET = (w: string) => `Quiet hours set: ${w} (UTC: no time zone given, and no other is set here).`;
  // Saturday 00:00 UTC: a slot after Friday's close (21:00 UTC) has no US close before Monday's.
  const EN_DIGEST = (t: string) =>
    `Daily digest set for ${t} (UTC: no time zone given, and no other is set here). Next: 2026-11-${t < '21:00' ? '21' : '23'} ${t} (UTC).`;
  test.each([
    ['en', 'quiet', '10p-6a', EN_QUIET('22:00-06:00')],
    ['en', 'quiet', '10p–6a', EN_QUIET('22:00-06:00')],
    ['en', 'quiet', '9-5p', EN_QUIET('09:00-17:00')],
    ['en', 'digest', '10p', EN_DIGEST('22:00')],
    ['en', 'digest', '10:30p', EN_DIGEST('22:30')],
    ['en', 'digest', '20.30h', EN_DIGEST('20:30')],
    ['en', 'digest', '8h30pm', EN_DIGEST('20:30')],
    ['en', 'digest', '8am sharp', EN_DIGEST('08:00')],
    ['zh-TW', 'quiet', '晚10早7', '勿擾時段已設為 22:00-07:00（UTC：未指定時區，這裡也未設定其他時區）。'],
    ['zh-TW', 'quiet', '晚10次日早7', '勿擾時段已設為 22:00-07:00（UTC：未指定時區，這裡也未設定其他時區）。'],
    ['zh-CN', 'quiet', '晚上10点早上7点', '免打扰时段已设为 22:00-07:00（UTC：未指定时区，这里也未设置其他时区）。'],
    ['zh-CN', 'digest', '20.30h', '每日摘要已设为 20:30（UTC：未指定时区，这里也未设置其他时区）。下一次：2026年11月21日 20:30（UTC）。'],
  ] as const)('GIVEN %s /%s %s THEN that time, named back', async (lang, command, typed, text) => {
    const ctx = ctxOf(lang);
    await ask('subscribe', '', ctx);
    expect(first(await ask(command, typed, ctx))).toBe(text);
  });

  test('GIVEN /digest 10x or /quiet 晚10早 THEN refused, nothing set', async () => {
    const ctx = ctxOf('en');
    await ask('subscribe', '', ctx);
    const before = w.dump();
    expect(first(await ask('digest', '10x', ctx))).toBe('A time is written like 08:30, 8:30pm or noon, got "10x".');
    expect(w.dump()).toBe(before);
    const tw = ctxOf('zh-TW');
    await ask('subscribe', '', tw);
    const beforeTw = w.dump();
    expect(first(await ask('quiet', '晚10早', tw))).toBe('勿擾時段須有開始與結束時間，例如 23:00-07:00 或「晚上11點-早上7點」；您輸入的是「晚10早」。');
    expect(w.dump()).toBe(beforeTw);
  });
});
