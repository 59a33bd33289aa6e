/** /digest through the platform-neutral chat layer on a real database (fixed clock: NOW_MS = 2026-11-21T00:00Z, a Saturday). */
import { afterEach, describe, expect, test } from 'vitest';
import { t } from '../../src/domain/i18n/index.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { dirname, join } from 'node:path';
import { runCliInProcess } from '../helpers/cli.ts';
import { COMMON_ZONES, suggestTimezones } from '../../src/domain/digest-schedule.ts';
import { autocompleteChoices } from '../../src/platforms/discord/autocomplete.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';

let w: ChatWorld;
afterEach(() => w?.close());

const run = (args: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand('digest')!.run(w.deps, ctx, args);
const digestRow = () =>
  w.db.prepare('SELECT digest_time, timezone, digest_next_due FROM subscriptions').get() as
    | { digest_time: string | null; timezone: string; digest_next_due: number | null }
    | undefined;

describe('/digest', () => {
  test('GIVEN a new chat THEN off by default, and /digest says how to turn it on', async () => {
    w = chatWorld();
    expect(plainText(await run([]))).toBe('The daily digest is off. Turn it on with /digest 08:00 Asia/Taipei.');
    expect(digestRow()).toBeUndefined();
  });

  test('GIVEN /digest 08:00 GMT-5 THEN kept in Etc/GMT+5 (08:00 is 13:00 UTC), and the answer says it is a fixed offset that does not follow daylight saving', async () => {
    w = chatWorld();
    const r = await run(['08:00', 'GMT-5']);
    expect(r.status).toBe('ok');
    expect(digestRow()).toMatchObject({ digest_time: '08:00', timezone: 'Etc/GMT+5', digest_next_due: Date.parse('2026-11-21T13:00:00Z') });
    expect(plainText(r)).toContain(t('en', 'chat.zone.fixedOffset', { offset: 'UTC-5' }));
    expect(plainText(await run([]))).toContain(t('en', 'chat.zone.fixedOffset', { offset: 'UTC-5' }));
    // The zone is named as the user wrote it, never by its Etc name, whose sign reads the other way.
    expect(plainText(r)).toMatch(/^Daily digest set for 08:00 \(UTC-5\)\. Next: 2026-11-21 08:00 \(UTC-5\)\./);
    expect(plainText(await run([]))).toMatch(/^Daily digest at 08:00 \(UTC-5\)\. Next: 2026-11-21 08:00 \(UTC-5\)\./);
    const zh = plainText(await run(['08:00', 'UTC+8'], chatCtx({ chatId: 'zh-chat', userLanguageCode: 'zh-TW' })));
    expect(zh).toMatch(/^每日摘要已設為 08:00（UTC\+8）。/);
    expect(zh).not.toContain('Etc/');
    expect(plainText(r)).not.toContain('Etc/');
  });

  test('GIVEN /digest 08:00 UTC+3:30 (Iran) or UTC-3:30 THEN kept as that offset and named so in every language; UTC+15 and UTC+3:07 refused in one line naming what works', async () => {
    w = chatWorld();
    const r = await run(['08:00', 'UTC+3:30']);
    expect(r.status).toBe('ok');
    // Now is 2026-11-21 00:00 UTC, 03:30 at UTC+3:30: today's 08:00 there is 04:30 UTC.
    expect(digestRow()).toMatchObject({ digest_time: '08:00', timezone: 'UTC+3:30', digest_next_due: Date.parse('2026-11-21T04:30:00Z') });
    expect(plainText(r)).toBe(
      ['Daily digest set for 08:00 (UTC+3:30). Next: 2026-11-21 08:00 (UTC+3:30).', t('en', 'chat.zone.fixedOffset', { offset: 'UTC+3:30' })].join('\n'),
    );
    expect(plainText(await run([]))).toMatch(/^Daily digest at 08:00 \(UTC\+3:30\)\. Next: 2026-11-21 08:00 \(UTC\+3:30\)\./);
    // Full-width from a Chinese keyboard, in a zh-TW and a zh-CN chat.
    const tw = plainText(await run(['08:00', 'ＵＴＣ－３：３０'], chatCtx({ chatId: 'zh-tw-chat', userLanguageCode: 'zh-TW' })));
    expect(tw).toBe(
      ['每日摘要已設為 08:00（UTC-3:30）。下一次：2026年11月21日 08:00（UTC-3:30）。', t('zh-TW', 'chat.zone.fixedOffset', { offset: 'UTC-3:30' })].join('\n'),
    );
    const cn = plainText(await run(['08:00', '＋５：４５'], chatCtx({ chatId: 'zh-cn-chat', userLanguageCode: 'zh-CN' })));
    expect(cn.split('\n')[0]).toMatch(/^每日摘要已设为 08:00（UTC\+5:45）。/);
    // The city suggested is written as the reader writes it, and is one /digest takes.
    expect(tw).toContain('請改用城市名稱，例如紐約。');
    expect(cn).toContain('请改用城市名称，例如纽约。');
    expect(plainText(await run(['08:00', '紐約'], chatCtx({ chatId: 'zh-tw-chat', userLanguageCode: 'zh-TW' })))).toContain('（美東時間）');
    expect(plainText(await run(['08:00', '纽约'], chatCtx({ chatId: 'zh-cn-chat', userLanguageCode: 'zh-CN' })))).toContain('（美东时间）');
    for (const [input, lang] of [
      ['UTC+15', 'en'],
      ['UTC+3:07', 'zh-TW'],
      ['+25:00', 'zh-CN'],
    ] as const) {
      const refused = await run(['08:00', input], chatCtx({ chatId: `refused-${lang}`, userLanguageCode: lang }));
      expect(refused.status).not.toBe('ok');
      expect(plainText(refused).split('\n')[0]).toBe(t(lang, 'chat.err.timezoneOffset', { input }));
      expect(plainText(refused)).toMatch(/UTC-12.*UTC\+14.*UTC\+3:30/);
    }
    expect(digestRow()).toMatchObject({ timezone: 'UTC+3:30' });
  });

  test('GIVEN /digest 08:00 Asia/Taipei THEN stored, next due in UTC, and /digest shows it', async () => {
    w = chatWorld();
    const r = await run(['08:00', 'Asia/Taipei']);
    expect(plainText(r)).toBe('Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).');
    // Now is 08:00 Taipei on Saturday the 21st exactly: the slot's next is tomorrow's, but no US close comes before Tuesday's (the reply names that one).
    expect(digestRow()).toEqual({ digest_time: '08:00', timezone: 'Asia/Taipei', digest_next_due: Date.parse('2026-11-22T00:00:00Z') });
    expect(plainText(await run([]))).toBe('Daily digest at 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).');
  });

  test.each([
    ['en', 'Asia/Taipei', 'Daily digest set for 08:00 (Taipei time).'],
    ['zh-TW', 'Asia/Taipei', '每日摘要已設為 08:00（台北時間）。'],
    ['zh-CN', 'Asia/Taipei', '每日摘要已设为 08:00（台北时间）。'],
    ['zh-CN', 'Asia/Shanghai', '每日摘要已设为 08:00（北京时间）。'],
    // A zone the catalogue names the place of (zone.city.*) but not the clock: its clock by the place.
    ['en', 'Europe/Paris', 'Daily digest set for 08:00 (Paris time).'],
    ['zh-TW', 'Europe/Paris', '每日摘要已設為 08:00（巴黎時間）。'],
    ['zh-CN', 'Europe/Paris', '每日摘要已设为 08:00（巴黎时间）。'],
    // A zone it names neither of keeps its IANA name, in every language.
    ['en', 'America/Boise', 'Daily digest set for 08:00 (America/Boise).'],
    ['zh-TW', 'America/Boise', '每日摘要已設為 08:00（America/Boise）。'],
    ['zh-CN', 'America/Boise', '每日摘要已设为 08:00（America/Boise）。'],
  ] as const)(
    'GIVEN a %s chat and /digest 08:00 %s THEN the zone is said as its readers name its clock (the IANA name where none)',
    async (lang, zone, first) => {
      w = chatWorld();
      const r = plainText(await run(['08:00', zone], chatCtx({ chatId: `zone-${lang}`, userLanguageCode: lang })));
      expect(r.startsWith(first)).toBe(true);
      expect(digestRow()?.timezone).toBe(zone);
    },
  );

  test.each([
    // Wednesday before Thanksgiving, 18:30 New York: Thursday's 18:00 has no close before it.
    ['2026-11-25T23:30:00Z', 'en', ['18:00', 'America/New_York'], 'Daily digest set for 18:00 (New York time). Next: 2026-11-27 18:00 (New York time).'],
    // Saturday 09:00 Taipei: Sunday's and Monday's 07:00 have no US close since the one before (Friday's early close).
    ['2026-11-28T01:00:00Z', 'zh-TW', ['07:00', 'Asia/Taipei'], '每日摘要已設為 07:00（台北時間）。下一次：2026年12月1日 07:00（台北時間）。'],
    ['2026-11-28T01:00:00Z', 'zh-CN', ['07:00', '北京时间'], '每日摘要已设为 07:00（北京时间）。下一次：2026年12月1日 07:00（北京时间）。'],
    // Christmas Eve (an early close) at 20:00 Taipei: Christmas morning's digest is that close's.
    ['2026-12-24T12:00:00Z', 'en', ['07:00', 'Asia/Taipei'], 'Daily digest set for 07:00 (Taipei time). Next: 2026-12-25 07:00 (Taipei time).'],
  ] as const)(
    'GIVEN /digest set at %s (%s) %j THEN "Next:" names the digest that comes, not a slot with no US close before it',
    async (at, lang, args, text) => {
      w = chatWorld();
      const nowMs = Date.parse(at);
      expect(plainText(await run([...args], chatCtx({ nowMs, userLanguageCode: lang })))).toBe(text);
      // The bare /digest names the same one.
      expect(plainText(await run([], chatCtx({ nowMs, userLanguageCode: lang })))).toContain(text.match(/(?:Next: |下一次：)(.*)$/)![1]!);
    },
  );

  test("GIVEN a time without a zone THEN the chat's zone (else UTC), said so, with buttons for the common zones", async () => {
    w = chatWorld();
    const r = await run(['7:30']);
    expect(plainText(r)).toBe(
      'Daily digest set for 07:30 (UTC: no time zone given, and no other is set here). Next: 2026-11-21 07:30 (UTC).\nOr pick a time zone:',
    );
    expect(r.buttons?.flat().map((b) => b.action)).toEqual([
      'digest:0730:Asia/Taipei',
      'digest:0730:Asia/Hong_Kong',
      'digest:0730:Asia/Shanghai',
      'digest:0730:Asia/Singapore',
      'digest:0730:America/New_York',
      'digest:0730:Europe/London',
      'digest:0730:UTC',
    ]);
    const pressed = await handleAction(w.deps, chatCtx(), 'digest:0730:Asia/Hong_Kong');
    expect(plainText(pressed.reply)).toBe('Daily digest set for 07:30 (Hong Kong time). Next: 2026-11-24 07:30 (Hong Kong time).');
    // The zone is now the chat's: a later time without a zone keeps it.
    expect(plainText(await run(['09:00']))).toContain('09:00 (Hong Kong time: no time zone given');
  });

  test.each([
    ['zh-CN', 'Asia/Shanghai'],
    ['zh-TW', 'Asia/Taipei'],
  ] as const)(
    "GIVEN a %s chat and a time without a zone THEN the common zones' buttons offer its readers' own first (%s), then the rest in order",
    async (lang, home) => {
      w = chatWorld();
      const r = await run(['7:30'], chatCtx({ chatId: `home-${lang}`, userLanguageCode: lang }));
      const zones = r.buttons?.flat().map((b) => b.action.replace('digest:0730:', ''));
      expect(zones?.[0]).toBe(home);
      expect(zones?.slice(1)).toEqual(COMMON_ZONES.filter((z) => z !== home));
      expect(suggestTimezones('', 25, lang).slice(0, 7)).toEqual(zones);
    },
  );

  test.each([
    [['25:00'], '"25:00" is no time of day: a time is written like 08:30, 8:30pm or noon.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [['7:60'], '"7:60" is no time of day: a time is written like 08:30, 8:30pm or noon.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [['25點'], '"25點" is no time of day: a time is written like 08:30, 8:30pm or noon.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [['8ish'], 'A time is written like 08:30, 8:30pm or noon, got "8ish".\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [
      ['08:00', 'Mars/Base'],
      'Unknown time zone "Mars/Base": use a city or a zone name, like Taipei, Asia/Taipei or UTC.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]',
    ],
    [['08:00', 'Asia/Taipie'], 'Unknown time zone "Asia/Taipie": did you mean Asia/Taipei?\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [['08:00', 'tokio'], 'Unknown time zone "tokio": did you mean Asia/Tokyo?\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
    [['08:00', 'UTC', 'extra'], '"extra" is more than this command takes.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]'],
  ])('GIVEN /digest %j THEN the usage line, nothing stored', async (args, text) => {
    w = chatWorld();
    const before = w.dump();
    const r = await run(args);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toBe(text);
    expect(w.dump()).toBe(before);
  });

  test('GIVEN a zh-TW chat and a bad zone THEN the usage line in zh-TW', async () => {
    w = chatWorld();
    expect(plainText(await run(['08:00', 'Mars/Base'], chatCtx({ userLanguageCode: 'zh-TW' })))).toBe(
      '無法辨識時區「Mars/Base」：請使用城市或時區名稱，例如台北、Asia/Taipei 或 UTC。\n/digest [HH:MM|off|now] [時區，例如 Asia/Taipei]',
    );
    expect(plainText(await run(['08:00', 'Asia/Taipie'], chatCtx({ userLanguageCode: 'zh-TW' })))).toBe(
      '無法辨識時區「Asia/Taipie」：您是指 Asia/Taipei 嗎？\n/digest [HH:MM|off|now] [時區，例如 Asia/Taipei]',
    );
    expect(plainText(await run(['08:00', '火星'], chatCtx({ userLanguageCode: 'zh-CN' })))).toBe(
      '无法识别时区“火星”：请使用城市或时区名称，例如上海、Asia/Shanghai 或 UTC。\n/digest [HH:MM|off|now] [时区，例如 Asia/Shanghai]',
    );
  });

  test.each([
    [['早上8點', '台北'], 'zh-TW', '08:00', 'Asia/Taipei', '台北時間'],
    [['晚上9點半', '香港'], 'zh-TW', '21:30', 'Asia/Hong_Kong', '香港時間'],
    [['８：３０', '上海'], 'zh-CN', '08:30', 'Asia/Shanghai', '北京时间'],
    [['下午3点', '北京'], 'zh-CN', '15:00', 'Asia/Shanghai', '北京时间'],
    [['8am', 'taipei'], 'en', '08:00', 'Asia/Taipei', 'Taipei time'],
    [['07:00', 'new_york'], 'en', '07:00', 'America/New_York', 'New York time'],
    [['07:00', 'London'], 'en', '07:00', 'Europe/London', 'London time'],
  ])('GIVEN /digest %j in %s (a time and a place as people write them) THEN %s in %s, stored and said as %s', async (args, lang, time, zone, said) => {
    w = chatWorld();
    const r = await run(args, chatCtx({ userLanguageCode: lang }));
    expect(r.status).not.toBe('usage');
    expect(plainText(r)).toContain(said);
    expect(digestRow()).toMatchObject({ digest_time: time, timezone: zone });
  });

  test('GIVEN a group and a member who is not an admin THEN a time, off and now are denied and nothing stored; /digest alone still answers', async () => {
    w = chatWorld();
    const ctx = chatCtx({ chatType: 'group', chatId: '-100', admin: false });
    const before = w.dump();
    expect((await run(['08:00', 'UTC'], ctx)).status).toBe('denied');
    expect((await run(['off'], ctx)).status).toBe('denied');
    // `now` posts the digest to the whole group: an administrator's call too.
    const now = await run(['now'], ctx);
    expect(now.status).toBe('denied');
    expect(now.chart).toBeUndefined();
    expect(w.dump()).toBe(before);
    expect((await run(['now'], chatCtx({ chatType: 'group', chatId: '-100', admin: true }))).chart).toEqual({ kind: 'digest' });
    expect((await run([], ctx)).status).toBe('ok');
  });

  // The refusal of a preview said "only an administrator can change its settings" to a member who
  // had asked to read the digest, not to set anything: it now says why a preview is an admin's call.
  test.each(['group', 'channel'] as const)(
    'GIVEN a setting refused to a member in a zh-CN Telegram %s THEN the refusal says 这里, not 本群 (a channel is no 群)',
    async (chatType) => {
      w = chatWorld();
      const ctx = chatCtx({ platform: 'telegram', chatType, chatId: '-101', admin: false, userLanguageCode: 'zh-CN' });
      expect(plainText(await run(['08:00', 'UTC'], ctx))).toBe('抱歉，只有管理员可以修改这里的设置。');
    },
  );

  test.each([
    [
      'telegram',
      'en',
      'Sorry, only an administrator of this group can send the digest preview here: it goes to everyone in the group. /ratio and /chart work for everyone.',
    ],
    // A Telegram group is named as a group (本群組).
    ['telegram', 'zh-TW', '抱歉，每日摘要預覽會發給本群組的所有成員，只有管理員可以使用。/ratio 與 /chart 所有人都能使用。'],
    ['telegram', 'zh-CN', '抱歉，每日摘要预览会发到本群，群里所有人都能看到，因此只有管理员可以使用。/ratio 和 /chart 所有人都能使用。'],
    [
      'discord',
      'en',
      'Sorry, only members who may manage this channel (Manage Channels) can send the digest preview here: it goes to everyone in the channel. /ratio and /chart work for everyone.',
    ],
    ['discord', 'zh-TW', '抱歉，每日摘要預覽會發給本頻道的所有成員，只有具備「管理頻道」權限的成員可以使用。/ratio 與 /chart 所有人都能使用。'],
  ] as const)(
    'GIVEN /digest now from a member who is not an admin on %s in %s THEN the refusal names the preview, not a setting',
    async (platform, lang, text) => {
      w = chatWorld();
      const ctx = chatCtx({ platform, chatType: 'group', chatId: '-100', admin: false, userLanguageCode: lang });
      const r = await run(['now'], ctx);
      expect([r.status, plainText(r)]).toEqual(['denied', text]);
      // A setting refused still says so.
      expect(plainText(await run(['08:00', 'UTC'], ctx))).toBe(t(lang, platform === 'discord' ? 'chat.denied.discord' : 'chat.denied.group'));
    },
  );

  test('GIVEN off and now in other words (關閉, 取消, 现在) THEN the same as off and now', async () => {
    w = chatWorld();
    await run(['08:00', 'Asia/Taipei']);
    expect((await run(['關閉'], chatCtx({ userLanguageCode: 'zh-TW' }))).status).toBe('ok');
    expect(digestRow()).toMatchObject({ digest_time: null, digest_next_due: null });
    await run(['08:00', 'Asia/Taipei']);
    await run(['取消']);
    expect(digestRow()).toMatchObject({ digest_time: null });
    expect((await run(['现在'], chatCtx({ userLanguageCode: 'zh-CN' }))).chart).toEqual({ kind: 'digest' });
  });

  test('GIVEN /digest off THEN the next due instant is cleared', async () => {
    w = chatWorld();
    await run(['08:00', 'UTC']);
    expect(plainText(await run(['off']))).toBe('Daily digest turned off.');
    expect(digestRow()).toMatchObject({ digest_time: null, digest_next_due: null });
    expect(plainText(await run([]))).toContain('is off');
    expect(plainText(await run(['off']))).toBe('There is no daily digest here to turn off.');
  });

  test('GIVEN /digest now THEN the digest itself with its chart, without storing anything', async () => {
    w = chatWorld();
    const before = w.dump();
    const r = await run(['now']);
    const text = plainText(r);
    expect(text).toContain('goldratio digest · US close of 2026-11-20');
    expect(text).toContain('SPX/Gold 1.390 · 1D +2.96%');
    expect(text).toContain('QQQ/Gold 0.1500');
    expect(r.chart).toEqual({ kind: 'digest' });
    expect(w.dump()).toBe(before);
  });

  test("GIVEN /digest now on Monday evening New York and Monday's close not in yet THEN it says so, not Friday's figures passed off as today's; CLI preview too", async () => {
    w = chatWorld();
    // Monday 2026-11-23 19:00 New York: the close of 16:00 is due, the store ends on Friday the 20th.
    const monday = Date.parse('2026-11-24T00:00:00Z');
    const en = plainText(await run(['now'], chatCtx({ nowMs: monday }))).split('\n');
    expect(en.slice(0, 2)).toEqual([
      'goldratio digest · US close of 2026-11-20',
      'The US close of 2026-11-23 has not reached the bot yet: this digest speaks about the closes to 2026-11-20.',
    ]);
    const zh = plainText(await run(['now'], chatCtx({ nowMs: monday, userLanguageCode: 'zh-TW' }))).split('\n');
    expect(zh[1]).toBe('美股2026年11月23日的收盤尚未送達，本摘要以截至2026年11月20日的收盤為準。');
    const cn = plainText(await run(['now'], chatCtx({ nowMs: monday, userLanguageCode: 'zh-CN' }))).split('\n');
    expect(cn[1]).toBe('美股2026年11月23日的收盘尚未送达，本摘要基于截至2026年11月20日的收盘数据。');
    // Monday 10:00 New York, before the close: Friday's is the newest there can be, nothing is missing.
    const morning = plainText(await run(['now'], chatCtx({ nowMs: Date.parse('2026-11-23T15:00:00Z') })));
    expect(morning).not.toContain('has not reached');
    expect(plainText(await run(['now']))).not.toContain('has not reached');
    const dir = dirname(w.db.name);
    const r = await runCliInProcess(['digest', '--preview', '--out', join(dir, 'late.png')], { DATABASE_PATH: w.db.name, DATA_DIR: dir }, { nowMs: monday });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(en.slice(0, 2));
  });

  test("GIVEN a break on Monday 2026-11-16 and /digest now on the weekend or the Monday after THEN its (N days ago) counts to the reader's day on the chat's clock, not to Friday's close", async () => {
    w = chatWorld();
    const days = ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
    // SPX/Gold at 0.5 for five closes: out of the 0.6–0.7 zone, the break dated by the first of them.
    await w.quotes.upsertCloses(
      'spx',
      days.map((date) => ({ date, close: 2000, source: 'yahoo' })),
    );
    await w.quotes.upsertCloses(
      'gold',
      days.map((date) => ({ date, close: 4000, source: 'yahoo' })),
    );
    const story = async (nowMs: number, ctx = chatCtx({ nowMs })) =>
      plainText(await run(['now'], { ...ctx, nowMs }))
        .split('\n')
        .find((l) => l.startsWith('SPX/Gold (') || l.startsWith('標普500/黃金（'));
    // Saturday (UTC): 5 days, not the 4 to Friday's close; Monday morning in New York: 7.
    expect(await story(Date.parse('2026-11-21T12:00:00Z'))).toBe(
      'SPX/Gold (2025– monetary reset): last fell out of the 0.6–0.7 zone on 2026-11-16 (5 days ago).',
    );
    expect(await story(Date.parse('2026-11-23T15:00:00Z'))).toContain('on 2026-11-16 (7 days ago).');
    // Sunday 16:30 UTC is already Monday 00:30 in Taipei: a chat whose digest is set there reads Monday's count.
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run(['08:00', 'Asia/Taipei'], tw);
    const sunday = Date.parse('2026-11-22T16:30:00Z');
    expect(await story(sunday, tw)).toBe('標普500/黃金（2025年起：貨幣重置）：上次向下跌破 0.6–0.7 區間是在2026年11月16日（7 天前）。');
    expect(await story(sunday)).toContain('(6 days ago)');
  });

  test('GIVEN /digest now three months after the newest stored close THEN it says how old the data is, not that the close of 2027-02-26 has not reached the bot yet', async () => {
    w = chatWorld();
    const nowMs = Date.parse('2027-03-01T00:00:00Z');
    const en = plainText(await run(['now'], chatCtx({ nowMs }))).split('\n');
    expect(en[1]).toBe(t('en', 'digest.stale', { last: '2026-11-20', ago: 'over 3 months' }));
    expect(en.join('\n')).not.toContain('has not reached');
    // A few trading days late is still the one late close it was.
    const week = plainText(await run(['now'], chatCtx({ nowMs: Date.parse('2026-11-28T00:00:00Z') }))).split('\n');
    expect(week[1]).toBe('The US close of 2026-11-27 has not reached the bot yet: this digest speaks about the closes to 2026-11-20.');
  });

  test('GIVEN SPX and gold closed Monday and QQQ last on Friday THEN the QQQ/Gold line says its date, in /digest now and the preview, en and zh-TW', async () => {
    w = chatWorld();
    const rows = (close: number) => [{ date: '2026-11-23', close, source: 'yahoo' }];
    await w.quotes.upsertCloses('spx', rows(5600));
    await w.quotes.upsertCloses('gold', rows(4000));
    const en = plainText(await run(['now'])).split('\n');
    expect(en[0]).toBe('goldratio digest · US close of 2026-11-23');
    expect(en).toContainEqual(expect.stringMatching(/^SPX\/Gold 1\.400 · 1D /));
    expect(en).toContainEqual(expect.stringMatching(/^QQQ\/Gold 0\.1500 as of 2026-11-20, its last close · 1D /));
    const zh = plainText(await run(['now'], chatCtx({ userLanguageCode: 'zh-TW' }))).split('\n');
    expect(zh[0]).toBe('goldratio 每日摘要 · 美股2026年11月23日收盤');
    expect(zh).toContainEqual(expect.stringMatching(/^QQQ\/黃金 0\.1500（最新為2026年11月20日收盤）· 單日 /));
    expect(zh.find((l) => l.startsWith('標普500/黃金'))).not.toContain('收盤');
    const dir = dirname(w.db.name);
    for (const [lang, line] of [
      ['en', 'QQQ/Gold 0.1500 as of 2026-11-20, its last close'],
      ['zh-tw', 'QQQ/黃金 0.1500（最新為2026年11月20日收盤）'],
      ['zh-cn', 'QQQ/黄金 0.1500（最新为2026年11月20日收盘）'],
    ] as const) {
      const r = await runCliInProcess(['digest', '--preview', '--lang', lang, '--out', join(dir, `${lang}.png`)], { DATABASE_PATH: w.db.name, DATA_DIR: dir });
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(line);
    }
  });

  test.each([
    ['EST', 'America/New_York', 'New York time'],
    ['edt', 'America/New_York', 'New York time'],
    ['ET', 'America/New_York', 'New York time'],
    ['PST', 'America/Los_Angeles', 'Los Angeles time'],
    ['CDT', 'America/Chicago', 'Chicago time'],
    ['JST', 'Asia/Tokyo', 'Japan time'],
  ])('GIVEN /digest 07:00 %s THEN the zone people mean by it, %s (not America/Panama for EST), said as %s', async (abbr, zone, said) => {
    w = chatWorld();
    expect(plainText(await run(['07:00', abbr]))).toMatch(new RegExp(`^Daily digest set for 07:00 \\(${said}\\)`));
    expect(digestRow()?.timezone).toBe(zone);
  });

  test('GIVEN /digest 07:00 CST (US Central, China, Taiwan or Cuba) THEN asked with a button per zone, nothing stored until one is pressed; zh-TW too', async () => {
    w = chatWorld();
    const before = w.dump();
    const r = await run(['07:00', 'cst']);
    // The command written out too: the console draws no buttons, and a reader may rather type.
    expect(plainText(r)).toBe('CST is the name of more than one time zone. Which one for 07:00?\nOr write it, e.g. /digest 07:00 America/Chicago.');
    expect(r.buttons?.flat().map((b) => [b.label, b.action])).toEqual([
      // Each by its place, as readers name it; the action carries the IANA zone.
      ['Chicago', 'digest:0700:America/Chicago'],
      ['Taipei', 'digest:0700:Asia/Taipei'],
      ['Beijing', 'digest:0700:Asia/Shanghai'],
      ['Havana', 'digest:0700:America/Havana'],
    ]);
    expect(w.dump()).toBe(before);
    const pressed = await handleAction(w.deps, chatCtx(), 'digest:0700:Asia/Taipei');
    expect(plainText(pressed.reply)).toMatch(/^Daily digest set for 07:00 \(Taipei time\)/);
    expect(plainText(await run(['07:00', 'IST'], chatCtx({ chatId: 'zh-chat', userLanguageCode: 'zh-TW' })))).toBe(
      'IST 可能指不只一個時區。07:00 是哪一個時區的時間？\n或直接輸入，例如 /digest 07:00 Asia/Kolkata。',
    );
    expect(suggestTimezones('EST').slice(0, 1)).toEqual(['America/New_York']);
    expect(suggestTimezones('cst').slice(0, 4)).toEqual(['America/Chicago', 'Asia/Taipei', 'Asia/Shanghai', 'America/Havana']);
    // A place's zone is named with its offset now (New York in November: UTC-5).
    expect(autocompleteChoices('digest', 'timezone', 'EST', 'en', NOW_MS)[0]).toEqual({ name: 'New York (UTC-5)', value: 'America/New_York' });
    // A fixed offset: its Etc zone first, named by the offset only (the Etc sign is the other way, and would confuse).
    expect(autocompleteChoices('digest', 'timezone', 'UTC+8', 'en', NOW_MS)[0]).toEqual({ name: 'UTC+8', value: 'Etc/GMT-8' });
    expect(autocompleteChoices('digest', 'timezone', 'UTC+5:30', 'en', NOW_MS)[0]).toEqual({ name: 'UTC+5:30', value: 'UTC+5:30' });
  });

  test('GIVEN a 5,000-character time or a 3,000-character zone THEN the refusal echoes a cut of it, one short message', async () => {
    w = chatWorld();
    for (const args of [['x'.repeat(5000)], ['08:00', 'y'.repeat(3000)]]) {
      const text = plainText(await run(args));
      expect(text.length).toBeLessThan(200);
      expect(text).toMatch(/"[xy]{39}…"/);
    }
  });

  test('GIVEN /digest timezone:Asia/Taipei without a time (Discord) THEN not dropped in silence: it asks for a time, or moves an existing digest to that zone', async () => {
    w = chatWorld();
    const named = (values: Record<string, string>) => findCommand('digest')!.runNamed(w.deps, chatCtx(), values);
    const before = w.dump();
    const r = await named({ timezone: 'Asia/Taipei' });
    expect([r.status, plainText(r)]).toEqual(['error', 'A time zone needs a time: /digest 08:00 Asia/Taipei']);
    expect(w.dump()).toBe(before);
    await named({ time: '08:00', timezone: 'UTC' });
    expect(plainText(await named({ timezone: 'Asia/Taipei' }))).toBe('Daily digest set for 08:00 (Taipei time). Next: 2026-11-24 08:00 (Taipei time).');
    expect(digestRow()).toMatchObject({ digest_time: '08:00', timezone: 'Asia/Taipei' });
  });

  test('GIVEN /digest -7 alone (a signed number, no time) THEN nothing is moved, as /quiet -7: the reply shows the time and the zone commands it may have meant, in every language', async () => {
    w = chatWorld();
    const none = await run(['-7']);
    expect([none.status, plainText(none)]).toEqual([
      'error',
      'Nothing changed: "-7" alone is not a digest time. Give a time, like /digest 08:00, or for the time zone UTC-7: /digest 08:00 UTC-7',
    ]);
    expect(digestRow()).toBeUndefined();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run(['09:30', 'Asia/Taipei'], tw);
    expect(plainText(await run(['+8'], tw))).toBe(
      '未做任何變更：單獨的「+8」不是摘要時間。請輸入時間，例如 /digest 09:30；若要採用 UTC+8 時區：/digest 09:30 UTC+8',
    );
    expect(digestRow()).toMatchObject({ digest_time: '09:30', timezone: 'Asia/Taipei' });
    expect(plainText(await run(['−7:00'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toBe(
      '未做任何更改：单独的“−7:00”不是摘要时间。请输入时间，例如 /digest 08:00；如要使用 UTC-7 时区：/digest 08:00 UTC-7',
    );
    const discord = chatCtx({ platform: 'discord', chatId: 'd1' });
    expect(plainText(await findCommand('digest')!.runNamed(w.deps, discord, { timezone: '-7' }))).toMatch(
      /^Nothing changed: "-7" alone is not a digest time\./,
    );
    expect(await w.deps.subs.get('discord', 'd1')).toBeUndefined();
    // Written as a zone, it still moves the digest there.
    expect(plainText(await run(['UTC-7'], tw))).toMatch(/^每日摘要已設為 09:30（UTC-7）。/);
  });

  test.each([
    [['at', '8am'], 'en', 'Daily digest set for 08:00 (UTC'],
    [['at', '8:30', 'Asia/Taipei'], 'en', 'Daily digest set for 08:30 (Taipei time)'],
    [['每天早上8點'], 'zh-TW', '每日摘要已設為 08:00（UTC'],
    [['每日', '下午5點半', '台北'], 'zh-TW', '每日摘要已設為 17:30（台北時間）'],
    [['每天晚上9点'], 'zh-CN', '每日摘要已设为 21:00（UTC'],
  ])('GIVEN /digest %j (the time with the words people put before it) THEN that time', async (words, lang, text) => {
    w = chatWorld();
    const r = await run(words, chatCtx({ userLanguageCode: lang }));
    expect(plainText(r)).toContain(text);
    expect(r.status).toBe('ok');
  });

  test('GIVEN a forged zone button THEN an error, nothing stored', async () => {
    w = chatWorld();
    const before = w.dump();
    expect((await handleAction(w.deps, chatCtx(), 'digest:2500:UTC')).reply.status).toBe('error');
    expect((await handleAction(w.deps, chatCtx(), 'digest:0800:Mars/Base')).reply.status).toBe('error');
    expect(w.dump()).toBe(before);
  });
});

describe('/digest with a part of the day and no hour', () => {
  test.each([
    ['en', ['morning'], '"morning" needs its hour too: write it like 8am. Nothing was changed.'],
    ['en', ['evening', 'Asia/Taipei'], '"evening" needs its hour too: write it like 6pm. Nothing was changed.'],
    ['zh-TW', ['早上'], '「早上」還需要寫出幾點，例如「早上8點」。設定未變更。'],
    ['zh-TW', ['每天晚上'], '「每天晚上」還需要寫出幾點，例如「晚上9點」。設定未變更。'],
    ['zh-CN', ['早上'], '“早上”还需要写明几点，例如“早上8点”。设置未更改。'],
  ])('GIVEN a %s chat and /digest %j THEN asked for the hour with an example, and the digest stays as it was', async (lang, args, said) => {
    w = chatWorld();
    const ctx = chatCtx({ userLanguageCode: lang });
    await findCommand('subscribe')!.run(w.deps, ctx, []);
    await run(['07:00', 'UTC'], ctx);
    const before = digestRow();
    const r = await run(args, ctx);
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe(said);
    expect(digestRow()).toEqual(before);
    expect(before?.digest_time).toBe('07:00');
  });
});
