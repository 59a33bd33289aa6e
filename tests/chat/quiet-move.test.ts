/**
 * /quiet and /move through the platform-neutral runner (real SQLite): show, set, off, list, add,
 * remove; admins only in groups; the chat's zone when none is given; the Discord definitions
 * derived from the declarations.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { t } from '../../src/domain/i18n/index.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { discordCommandDefinitions, DISCORD_OPTION } from '../../src/platforms/discord/manifest.ts';
import { autocompleteChoices } from '../../src/platforms/discord/autocomplete.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import { localize, parseMessage } from '../../src/domain/message.ts';
import { LANGS } from '../../src/domain/i18n/index.ts';

const fell = alertMessage({
  date: '2026-11-20',
  pair: 'spx-gold',
  levelId: 'spx-gold-2.5',
  kind: 'cross-down',
  direction: 'down',
  value: 2.4,
  levelValue: 2.5,
  basis: 'close',
});

let w: ChatWorld;
beforeEach(async () => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, words: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, words);
const subId = async (chatId = '1001') => (await w.deps.subs.get('telegram', chatId))!.id;

describe('/quiet', () => {
  test('GIVEN nothing set THEN /quiet says so; 23:00-07:00 asia/taipei is stored canonically and shown (00:00 UTC is 08:00 in Taipei: not quiet now)', async () => {
    expect(plainText(await run('quiet', []))).toBe('No quiet hours: alerts arrive when they happen. Set them with /quiet 23:00-07:00 Asia/Taipei.');
    const r = await run('quiet', ['23:00-07:00', 'asia/taipei']);
    expect(r.status).toBe('ok');
    expect(plainText(r)).toContain('Quiet hours set: 23:00-07:00 (Taipei time).');
    expect(plainText(r)).not.toContain('Quiet now');
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone: 'Asia/Taipei' });
    expect(plainText(await run('quiet', []))).toBe('Quiet hours: 23:00-07:00 (Taipei time).');
  });

  test('GIVEN /quiet 23:00-07:00 UTC+8 THEN kept in Etc/GMT-8, and the answer says it is a fixed offset that does not follow daylight saving', async () => {
    const r = await run('quiet', ['23:00-07:00', 'UTC+8']);
    expect(r.status).toBe('ok');
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone: 'Etc/GMT-8' });
    expect(plainText(r)).toContain(t('en', 'chat.zone.fixedOffset', { offset: 'UTC+8' }));
    expect(plainText(r)).toContain('Quiet hours set: 23:00-07:00 (UTC+8).');
    expect(plainText(r)).not.toContain('Etc/');
    expect(plainText(await run('quiet', []))).toMatch(/^Quiet hours: 23:00-07:00 \(UTC\+8\)\./);
    expect(plainText(await run('quiet', ['23:00-07:00', 'Asia/Taipei']))).not.toContain('daylight');
  });

  test('GIVEN /quiet 23:00-07:00 UTC+5:45 (Nepal) or UTC-3:30 THEN kept as that offset, named as written, in every language; UTC+15 refused in one line', async () => {
    const r = await run('quiet', ['23:00-07:00', 'UTC+5:45']);
    expect(r.status).toBe('ok');
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone: 'UTC+5:45' });
    expect(plainText(r)).toContain('Quiet hours set: 23:00-07:00 (UTC+5:45).');
    expect(plainText(r)).toContain(t('en', 'chat.zone.fixedOffset', { offset: 'UTC+5:45' }));
    const west = await run('quiet', ['23:00-07:00', 'UTC−3:30'], chatCtx({ chatId: 'zh-quiet', userLanguageCode: 'zh-TW' }));
    expect(west.status).toBe('ok');
    expect(plainText(west)).toContain('23:00-07:00（UTC-3:30）');
    expect(plainText(west)).toContain(t('zh-TW', 'chat.zone.fixedOffset', { offset: 'UTC-3:30' }));
    const refused = await run('quiet', ['23:00-07:00', 'UTC+15']);
    expect(plainText(refused).split('\n')[0]).toBe(t('en', 'chat.err.timezoneOffset', { input: 'UTC+15' }));
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone: 'UTC+5:45' });
  });

  test.each([
    [['23', '-', '7'], 'UTC'],
    [['11pm-7am', 'UTC'], 'UTC'],
    [['23:00', '-7:00', 'Asia/Taipei'], 'Asia/Taipei'],
    [['23:00-', '07:00', 'Asia/Taipei'], 'Asia/Taipei'],
    [['23：00', '～', '07：00', 'Asia/Taipei'], 'Asia/Taipei'],
    [['23:00至07:00'], 'UTC'],
  ])('GIVEN /quiet %j (shorthand, spaces, other keyboards) THEN 23:00-07:00 in %s', async (words, zone) => {
    const r = await run('quiet', words);
    expect(r.status).toBe('ok');
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone });
  });

  test.each([
    [['9am-5'], 'en', '09:00', '17:00', 'Quiet hours set: 09:00-17:00 (UTC'],
    [['9am', '-', '5'], 'en', '09:00', '17:00', 'Quiet hours set: 09:00-17:00 (UTC'],
    [['1-5pm', 'UTC'], 'en', '13:00', '17:00', 'Quiet hours set: 13:00-17:00 (UTC).'],
    [['11', '-', '7am'], 'en', '23:00', '07:00', 'Quiet hours set: 23:00-07:00 (UTC'],
    [['10pm-7'], 'en', '22:00', '07:00', 'Quiet hours set: 22:00-07:00 (UTC'],
    [['上午9點-5點'], 'zh-TW', '09:00', '17:00', '勿擾時段已設為 09:00-17:00（UTC'],
    [['上午９点到５点'], 'zh-CN', '09:00', '17:00', '09:00-17:00（UTC'],
    [['晚上10點-7點'], 'zh-TW', '22:00', '07:00', '勿擾時段已設為 22:00-07:00（UTC'],
  ] as const)(
    'GIVEN /quiet %j (one side without its am/pm) THEN the window a reader means is stored and the reply names it',
    async (words, lang, start, end, said) => {
      const r = await run('quiet', words, chatCtx({ userLanguageCode: lang }));
      expect(r.status).toBe('ok');
      expect(plainText(r)).toContain(said);
      expect(await w.deps.quiet!.window(await subId())).toMatchObject({ start, end });
    },
  );

  test('GIVEN /quiet with a time no clock has THEN the refusal names it; /digest takes the same shorthand', async () => {
    expect(plainText(await run('quiet', ['23', '-', '25']))).toMatch(
      /^"25" in "23-25" is no time of day \(00:00 to 23:59\): quiet hours are a start and an end, like 23:00-07:00 or 11pm-7am\./,
    );
    expect(plainText(await run('digest', ['7:30pm', 'UTC']))).toContain('Daily digest set for 19:30 (UTC).');
    expect(plainText(await run('digest', ['8am', 'UTC']))).toContain('Daily digest set for 08:00 (UTC).');
    expect(plainText(await run('digest', ['25:00']))).toBe(
      '"25:00" is no time of day: a time is written like 08:30, 8:30pm or noon.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]',
    );
  });

  test.each([
    [
      'en',
      '"25:00" is no time of day: a time is written like 08:30, 8:30pm or noon.',
      '"25" in "23-25" is no time of day (00:00 to 23:59): quiet hours are a start and an end, like 23:00-07:00 or 11pm-7am.',
    ],
    [
      'zh-TW',
      '「25:00」不是一天中的時間：時間請寫成 08:30、8:30pm 或「下午5點半」等形式。',
      '「23-25」中的「25」不是一天中的時間（00:00 至 23:59）：勿擾時段須有開始與結束時間，例如 23:00-07:00 或「晚上11點-早上7點」。',
    ],
    [
      'zh-CN',
      '“25:00”不是一天中的时间：时间请写成 08:30、8:30pm 或“下午5点半”等形式。',
      '“23-25”中的“25”不是一天中的时间（00:00 至 23:59）：免打扰时段须有开始和结束时间，例如 23:00-07:00 或“晚上11点-早上7点”。',
    ],
  ])(
    'GIVEN a %s chat and a bad /digest time or /quiet hours THEN the refusal names the forms taken (am/pm, words), not only a 24-hour clock, and each form it names is taken',
    async (lang, time, hours) => {
      const ctx = chatCtx({ chatId: `bad-${lang}`, userLanguageCode: lang });
      const timeText = plainText(await run('digest', ['25:00'], ctx));
      const hoursText = plainText(await run('quiet', ['23-25'], ctx));
      expect([timeText.split('\n')[0], hoursText.split('\n')[0]]).toEqual([time, hours]);
      expect(timeText + hoursText).not.toMatch(/24-hour|24 小時制|24 小时制/);
      // What the refusals cite as examples works when typed.
      const cited = (text: string) =>
        [
          ...text.matchAll(
            /[0-9]+[ap]m-[0-9]+[ap]m|[0-9:]+[ap]m|[0-9:]{5}(?:-[0-9:]{5})?|noon|[\u4e00-\u9fff]{2}[0-9]+[點点]半?(?:-[\u4e00-\u9fff]{2}[0-9]+[點点])?/g,
          ),
        ].map((m) => m[0]);
      const times = cited(time).filter((x) => x !== '25:00');
      const spans = cited(hours).filter((x) => x.includes('-') && x !== '23-25');
      expect([times.length, spans.length]).toEqual([3, 2]);
      for (const x of times) expect((await run('digest', [x, 'UTC'], ctx)).status).toBe('ok');
      for (const x of spans) expect((await run('quiet', [x, 'UTC'], ctx)).status).toBe('ok');
    },
  );

  test('GIVEN noon, midnight, 正午 or 午夜 THEN /digest and /quiet take them as the clock times they are, and the reply names them', async () => {
    expect(plainText(await run('digest', ['noon', 'UTC']))).toContain('Daily digest set for 12:00 (UTC).');
    expect(plainText(await run('digest', ['午夜', 'UTC'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })))).toContain('每日摘要已設為 00:00（UTC）');
    expect(plainText(await run('digest', ['正午', 'UTC'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toContain('每日摘要已设为 12:00（UTC）');
    expect(plainText(await run('quiet', ['10pm', '-', 'midnight', 'UTC']))).toContain('Quiet hours set: 22:00-00:00 (UTC).');
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '22:00', end: '00:00', zone: 'UTC' });
  });

  test('GIVEN a window around now THEN the reply says until when alerts are held, in the zone', async () => {
    // NOW is 00:00 UTC = 19:00 New York the day before.
    const r = await run('quiet', ['18:00-06:30', 'America/New_York']);
    expect(plainText(r)).toContain('Quiet now: alerts are held until 2026-11-21 06:30 (New York time).');
    expect(plainText(await run('quiet', []))).toContain('Quiet now');
  });

  test('GIVEN quiet now WHEN the hours are moved to a zone where it is day (or to hours that end before now) THEN the reply says the held alerts go out now; hours that stay quiet, or a chat that was not quiet, say nothing of it', async () => {
    // NOW is 00:00 UTC: 08:00 in Taipei, 19:00 the day before in New York.
    await run('subscribe', []);
    await run('quiet', ['18:00-06:30', 'America/New_York']);
    // Nothing held yet: the quiet ends, and no alerts are promised.
    expect(plainText(await run('quiet', ['Asia/Taipei']))).not.toContain(t('en', 'quiet.released'));
    await run('quiet', ['18:00-06:30', 'America/New_York']);
    // One alert held through the quiet: moved to a zone where it is day, the reply says it comes now.
    await new OutboxStore(onSqlite(w.db)).enqueue('alert', fell, [await subId()], { nowMs: NOW_MS });
    const { id } = w.db.prepare('SELECT id FROM outbox').get() as { id: number };
    await w.deps.quiet!.hold([{ id, until: NOW_MS + 6 * 3_600_000 }]);
    const moved = await run('quiet', ['Asia/Taipei']);
    expect(plainText(moved)).toContain(t('en', 'quiet.released'));
    expect(plainText(moved)).not.toContain('Quiet now');
    // Not quiet before either: nothing to let out.
    expect(plainText(await run('quiet', ['22:00-06:00']))).not.toContain(t('en', 'quiet.released'));
    await run('quiet', ['07:00-09:00']);
    // Still quiet under the new hours: when they end, not "now".
    const still = await run('quiet', ['06:00-10:00']);
    expect(plainText(still)).toContain('Quiet now: alerts are held until 2026-11-21 10:00 (Taipei time).');
    expect(plainText(still)).not.toContain(t('en', 'quiet.released'));
    await run('lang', ['zh-TW']);
    // Quiet again with the alert still held (the release had not run): ended, it is promised in every language.
    expect(plainText(await run('quiet', ['11:00-12:00']))).toContain('依新的時段，目前不在勿擾時段內：先前暫存的通知將在一分鐘內送達。');
  });

  test.each([
    ['en', 'Quiet hours turned off: 2 alerts held until now, oldest first'],
    // As stored, before the dispatcher reads it for its place (為您 in a private chat, 本群組 in a group: place-wording.test.ts).
    ['zh-TW', '勿擾時段已關閉：暫存至今的 2 則通知如下，依時間先後列出'],
    ['zh-CN', '免打扰时段已关闭：暂存至今的 2 条提醒如下，按时间先后列出'],
  ] as const)(
    'GIVEN alerts held WHEN a %s chat types /quiet off THEN the summary says the hours were turned off, not that they are over',
    async (lang, title) => {
      await run('subscribe', []);
      await run('lang', [lang]);
      await run('quiet', ['18:00-06:30', 'America/New_York']);
      const outbox = new OutboxStore(onSqlite(w.db));
      await outbox.enqueue('alert', fell, [await subId()], { nowMs: NOW_MS });
      await outbox.enqueue('alert', { ...fell, title: 'later' }, [await subId()], { nowMs: NOW_MS + 1 });
      const ids = (w.db.prepare('SELECT id FROM outbox').all() as { id: number }[]).map(({ id }) => ({ id, until: NOW_MS + 6 * 3_600_000 }));
      await w.deps.quiet!.hold(ids);
      await run('quiet', ['off']);
      expect((await w.deps.quiet!.release('telegram', NOW_MS + 60_000)).merged).toBe(2);
      const bodies = w.db.prepare("SELECT m.body FROM messages m JOIN outbox o ON o.message_id = m.id WHERE o.status = 'pending'").all() as { body: string }[];
      const summary = bodies.map((b) => parseMessage(b.body)).find((p) => p.ok && p.message.lines.length === 2);
      expect(summary?.ok && localize(summary.message, lang).title).toBe(title);
    },
  );

  test("GIVEN no zone THEN the chat's zone (UTC for a new chat), and the reply says so; a chat with no subscription keeps an inactive row", async () => {
    const r = await run('quiet', ['22:00-06:00']);
    expect(plainText(r)).toContain('Quiet hours set: 22:00-06:00 (UTC: no time zone given, and no other is set here).');
    expect(await w.deps.subs.get('telegram', '1001')).toMatchObject({ active: false });
    expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '22:00', end: '06:00', zone: 'UTC' });
  });

  test.each([
    ['zh-CN', 'Asia/Shanghai', '或选择时区：'],
    ['zh-TW', 'Asia/Taipei', '或選擇時區：'],
    // English has no home zone: the common list as /digest offers it.
    ['en', 'Asia/Taipei', 'Or pick a time zone:'],
  ] as const)(
    "GIVEN /quiet hours without a zone (%s) THEN zone buttons as /digest offers, the reader's own first; a press sets the same hours in that zone; a zone given offers none",
    async (lang, first, pick) => {
      await run('lang', [lang]);
      // 23:00-07:00 read in UTC is 07:00-15:00 in Shanghai: the reader is offered their own zone, at once.
      const r = await run('quiet', ['23-7']);
      expect(plainText(r).split('\n').at(-1)).toBe(pick);
      const actions = r.buttons?.flat().map((b) => b.action) ?? [];
      expect(actions[0]).toBe(`quiet:2300-0700:${first}`);
      expect(actions.every((a) => /^quiet:2300-0700:[A-Za-z_/]+$/.test(a) && Buffer.byteLength(a) <= 64)).toBe(true);
      const pressed = await handleAction(w.deps, chatCtx(), actions[0]!);
      expect(pressed.reply.status).toBe('ok');
      expect(pressed.reply.buttons).toBeUndefined();
      expect(await w.deps.quiet!.window(await subId())).toEqual({ start: '23:00', end: '07:00', zone: first });
      // Hours given with their zone: nothing to pick.
      expect((await run('quiet', ['22-6', 'Asia/Tokyo'])).buttons).toBeUndefined();
    },
  );

  test('GIVEN a forged or stale quiet zone button THEN an error reply, nothing stored; in a group a member who is not an admin is refused', async () => {
    for (const action of ['quiet:2300:Asia/Taipei', 'quiet:23000700:Asia/Taipei', 'quiet:2300-0700:Mars/Olympus']) {
      const r = await handleAction(w.deps, chatCtx(), action);
      expect(r.reply.status, action).not.toBe('ok');
    }
    expect(await w.deps.subs.get('telegram', '1001')).toBeUndefined();
    const group = chatCtx({ chatId: '-100', chatType: 'group', admin: false });
    expect((await handleAction(w.deps, group, 'quiet:2300-0700:Asia/Taipei')).reply.status).not.toBe('ok');
    expect(await w.deps.subs.get('telegram', '-100')).toBeUndefined();
  });

  test('GIVEN a zone given to /quiet THEN new hours without one keep it, and /digest and /mute without one use it until a digest has its own', async () => {
    await run('subscribe', []);
    await run('quiet', ['23:00-07:00', 'taipei']);
    expect(plainText(await run('quiet', ['22-6']))).toContain("Quiet hours set: 22:00-06:00 (Taipei time: no time zone given, so this chat's zone).");
    expect(plainText(await run('digest', ['8']))).toMatch(/^Daily digest set for 08:00 \(Taipei time: no time zone given/);
    expect(plainText(await run('mute', ['2h']))).toMatch(/\(Taipei time\)/);
    // The digest's zone is the chat's from then on; the quiet hours keep theirs, and the answer says which zone that is, not "this chat's".
    await run('digest', ['8', 'Europe/Paris']);
    expect(plainText(await run('quiet', ['21-5']))).toContain(
      "Quiet hours set: 21:00-05:00 (Taipei time: no time zone given, so the zone they had; this chat's other times are in Paris time).",
    );
    expect(plainText(await run('mute', ['1h']))).toMatch(/\(Paris time\)/);
    // In each language.
    await run('lang', ['zh-TW']);
    expect(plainText(await run('quiet', ['22-6']))).toContain(
      '勿擾時段已設為 22:00-06:00（台北時間：未指定時區，沿用原本勿擾時段的時區；本對話的其他時間採用巴黎時間）。',
    );
    await run('lang', ['zh-CN']);
    expect(plainText(await run('quiet', ['23-7']))).toContain(
      '免打扰时段已设为 23:00-07:00（台北时间：未指定时区，沿用原免打扰时段的时区；本对话的其他时间采用巴黎时间）。',
    );
  });

  test('GIVEN an abbreviation that names one zone (EST) THEN that zone, as /digest reads it', async () => {
    expect(plainText(await run('quiet', ['22:00-06:00', 'est']))).toContain('Quiet hours set: 22:00-06:00 (New York time).');
  });

  test('GIVEN /quiet off THEN cleared; held alerts are promised only when some are held', async () => {
    await run('quiet', ['23:00-07:00', 'UTC']);
    expect(plainText(await run('quiet', ['OFF']))).toBe('Quiet hours turned off: alerts arrive as they come.');
    expect(await w.deps.quiet!.window(await subId())).toBeUndefined();
    expect(plainText(await run('quiet', ['off']))).toBe('There are no quiet hours here to turn off.');
    // One alert held through the quiet: turned off, the reply says it comes now, in every language.
    await run('subscribe', []);
    await run('quiet', ['23:00-07:00', 'UTC']);
    await new OutboxStore(onSqlite(w.db)).enqueue('alert', fell, [await subId()], { nowMs: NOW_MS });
    const { id } = w.db.prepare('SELECT id FROM outbox').get() as { id: number };
    await w.deps.quiet!.hold([{ id, until: NOW_MS + 6 * 3_600_000 }]);
    await run('lang', ['zh-TW']);
    expect(plainText(await run('quiet', ['off']))).toBe('勿擾時段已關閉：暫存的通知將在一分鐘內送達。');
  });

  test.each([['取消'], ['關閉'], ['关闭'], ['stop']])('GIVEN /quiet %s (off in other words) THEN cleared', async (word) => {
    await run('quiet', ['23:00-07:00', 'UTC']);
    expect((await run('quiet', [word])).status).toBe('ok');
    expect(await w.deps.quiet!.window(await subId())).toBeUndefined();
  });

  test('GIVEN /quiet off with a zone after it THEN cleared all the same; a zone alone THEN it asks for hours, or moves the hours the chat has', async () => {
    expect(plainText(await run('quiet', ['Asia/Taipei']))).toBe('A time zone needs quiet hours: /quiet 23:00-07:00 Asia/Taipei');
    await run('quiet', ['23:00-07:00', 'UTC']);
    expect(plainText(await run('quiet', ['asia/tokyo']))).toContain('Quiet hours set: 23:00-07:00 (Japan time).');
    expect(await w.deps.quiet!.window(await subId())).toMatchObject({ start: '23:00', end: '07:00', zone: 'Asia/Tokyo' });
    expect(plainText(await run('quiet', ['off', 'Asia/Taipei']))).toBe('Quiet hours turned off: alerts arrive as they come.');
    expect(await w.deps.quiet!.window(await subId())).toBeUndefined();
  });

  test('GIVEN /quiet 9-5 or 10點-6點 (two bare hours, 20 hours quiet on a 24-hour clock) THEN nothing is set, and the reply names that reading and the two it may mean, in every language', async () => {
    const en = await run('quiet', ['9', '-', '5']);
    expect(en.status).toBe('usage');
    expect(plainText(en).split('\n')[0]).toBe(
      'Nothing changed: "9-5" on a 24-hour clock is 09:00-05:00, 20 hours of quiet. Did you mean 21:00-05:00 or 09:00-17:00? Give the hours you mean as HH:MM-HH:MM, like 21:00-05:00 (or 09:00-05:00 for all 20 hours).',
    );
    expect(await w.deps.subs.get('telegram', '1001')).toBeUndefined();
    const tw = plainText(await run('quiet', ['10點-6點', 'Asia/Taipei'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })));
    expect(tw).toMatch(/^未做任何變更：「10點-6點」以 24 小時制來看是 10:00-06:00，勿擾長達 20 小時。您是指 22:00-06:00 還是 10:00-18:00？/);
    const cn = plainText(await run('quiet', ['10-6'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })));
    expect(cn).toMatch(/^未做任何更改：“10-6”按 24 小时制是 10:00-06:00，免打扰长达 20 小时。/);
    expect(await w.deps.subs.get('telegram', 'tw')).toBeUndefined();
    // Written as the reply says, each reading is taken.
    await run('quiet', ['22:00-06:00']);
    expect(await w.deps.quiet!.window(await subId())).toMatchObject({ start: '22:00', end: '06:00' });
    await run('quiet', ['10:00-06:00']);
    expect(await w.deps.quiet!.window(await subId())).toMatchObject({ start: '10:00', end: '06:00' });
  });

  test('GIVEN /quiet -7 alone (a signed number, no window) THEN nothing is set or moved, and the reply says so and shows both commands it may have meant, in every language', async () => {
    const none = await run('quiet', ['-7']);
    expect(none.status).toBe('error');
    expect(plainText(none)).toBe(
      'Nothing changed: "-7" alone is not quiet hours. Give a start and an end, like /quiet 23:00-07:00, or for the time zone UTC-7: /quiet 23:00-07:00 UTC-7',
    );
    expect(await w.deps.subs.get('telegram', '1001')).toBeUndefined();
    const tw = chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' });
    await run('quiet', ['22:00-06:00', 'Asia/Taipei'], tw);
    const kept = await run('quiet', ['+8'], tw);
    expect(plainText(kept)).toBe(
      '未做任何變更：單獨的「+8」不是勿擾時段。請輸入開始與結束時間，例如 /quiet 22:00-06:00；若要採用 UTC+8 時區：/quiet 22:00-06:00 UTC+8',
    );
    expect(plainText(await run('quiet', ['−7:00'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toMatch(
      /^未做任何更改：单独的“−7:00”不是免打扰时段。.*UTC-7/,
    );
    expect(await w.deps.quiet!.window(await subId('tw'))).toEqual({ start: '22:00', end: '06:00', zone: 'Asia/Taipei' });
    const discord = chatCtx({ platform: 'discord', chatId: 'd1' });
    expect(plainText(await findCommand('quiet')!.runNamed(w.deps, discord, { timezone: '-7' }))).toMatch(/^Nothing changed: "-7" alone is not quiet hours\./);
    expect(await w.deps.subs.get('discord', 'd1')).toBeUndefined();
    // Written as a zone, it still moves the hours there.
    expect(plainText(await run('quiet', ['UTC-7'], tw))).toContain('勿擾時段已設為 22:00-06:00（UTC-7）');
  });

  test('GIVEN a group member who is not an admin THEN setting and off are refused and nothing is written; showing is allowed', async () => {
    const member = chatCtx({ chatType: 'group', chatId: '-5', admin: false });
    const before = w.dump();
    expect((await run('quiet', ['23:00-07:00'], member)).status).toBe('denied');
    expect((await run('quiet', ['off'], member)).status).toBe('denied');
    expect(w.dump()).toBe(before);
    expect((await run('quiet', [], member)).status).toBe('ok');
  });

  test('GIVEN a zh-TW chat THEN the texts are Traditional Chinese', async () => {
    const zh = chatCtx({ userLanguageCode: 'zh-hant' });
    expect(plainText(await run('quiet', ['23:00-07:00', 'Asia/Taipei'], zh))).toContain('勿擾時段已設為 23:00-07:00（台北時間）。');
  });
});

describe('/move', () => {
  test('GIVEN no subscription THEN adding asks to subscribe first and stores nothing', async () => {
    const before = w.dump();
    const r = await run('move', ['spx', '10', '20']);
    expect(r.status).toBe('error');
    expect(w.dump()).toBe(before);
  });

  test('GIVEN a chat not subscribed, or unsubscribed, THEN its empty list says to /subscribe before the example, which alone would be refused', async () => {
    expect(plainText(await run('move', []))).toBe(
      'No move alerts, and this chat is not subscribed: /subscribe first, then add one with /move spx 10 20 (10% or more over 20 trading days).',
    );
    expect(plainText(await run('move', [], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-hant' })))).toBe(
      '尚未設定急漲急跌通知，本對話也尚未訂閱：請先使用 /subscribe 訂閱，再以 /move spx 10 20 新增（20 個交易日內漲跌 10% 以上）。',
    );
    expect(plainText(await run('move', [], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-hans' })))).toBe(
      '尚未设置急涨急跌提醒，本对话也尚未订阅：请先使用 /subscribe 订阅，再用 /move spx 10 20 添加（20 个交易日内涨跌 10% 以上）。',
    );
    await run('subscribe', []);
    expect(plainText(await run('move', []))).toBe('No move alerts. Add one with /move spx 10 20 (10% or more over 20 trading days).');
    await run('unsubscribe', []);
    expect(plainText(await run('move', []))).toMatch(/^No move alerts, and this chat is not subscribed: \/subscribe first/);
    expect((await run('move', ['spx', '10', '20'])).status).toBe('error');
  });

  test('GIVEN a subscribed chat THEN add (with or without the word add), list, a duplicate refused, remove', async () => {
    await run('subscribe', []);
    expect(plainText(await run('move', []))).toBe('No move alerts. Add one with /move spx 10 20 (10% or more over 20 trading days).');
    const added = await run('move', ['spx', '10', '20']);
    expect(plainText(added)).toContain('Move alert added: SPX/Gold: 10% or more over 20 trading days.');
    await run('move', ['add', 'qqq', '7.5%', '60']);
    expect(plainText(await run('move', ['qqq', '3', '1']))).toContain('QQQ/Gold: 3% or more over 1 trading day.');
    await run('move', ['remove', 'qqq', '3', '1']);
    const list = plainText(await run('move', []));
    expect(list).toContain('Move alerts (2 of 5):');
    expect(list).toContain('• SPX/Gold: 10% or more over 20 trading days /move remove spx 10 20');
    expect(list).toContain('• QQQ/Gold: 7.5% or more over 60 trading days /move remove qqq 7.5 60');
    expect(plainText(await run('move', ['spx', '10', '20']))).toBe('This chat already has that move alert: SPX/Gold: 10% or more over 20 trading days.');
    expect(plainText(await run('move', ['remove', 'spx', '10', '20']))).toContain('Move alert removed');
    expect(await w.deps.moves!.list(await subId())).toEqual([{ pair: 'qqq-gold', pct: 7.5, days: 60 }]);
    expect((await run('move', ['remove', 'spx', '10', '20'])).status).toBe('error');
  });

  test("GIVEN Discord THEN the list's lines to copy are its form's options, in the chat's language", async () => {
    const discord = chatCtx({ platform: 'discord', userLanguageCode: 'zh-TW' });
    await run('subscribe', [], discord);
    expect(plainText(await run('move', [], discord))).toBe(
      '尚未設定急漲急跌通知。請以 /急漲急跌 比率:標普500/黃金 百分比:10 天數:20 新增（20 個交易日內漲跌 10% 以上）。',
    );
    await findCommand('move')!.runNamed(w.deps, discord, { pair: 'qqq', percent: 7.5, days: 60 });
    expect(plainText(await run('move', [], discord))).toContain('/急漲急跌 動作:移除 比率:QQQ/黃金 百分比:7.5 天數:60');
  });

  test('GIVEN Discord THEN every line to copy in /quiet, /digest, /lang and a refused level is written in its form, in the chat language', async () => {
    const discord = chatCtx({ platform: 'discord', userLanguageCode: 'zh-TW' });
    const text = async (name: string, values: Record<string, string | number>) => plainText(await findCommand(name)!.runNamed(w.deps, discord, values));
    expect(await text('quiet', {})).toBe('未設定勿擾時段：通知會即時送達。請以 /勿擾時段 時段:23:00-07:00 時區:Asia/Taipei 設定。');
    expect(await text('quiet', { timezone: 'Asia/Tokyo' })).toBe('時區需搭配勿擾時段：/勿擾時段 時段:23:00-07:00 時區:Asia/Tokyo');
    expect(await text('quiet', { hours: '22:00-06:00', timezone: 'IST' })).toContain('例如 /勿擾時段 時段:22:00-06:00 時區:Asia/Kolkata。');
    expect(await text('digest', {})).toBe('每日摘要未開啟。請以 /摘要 時間:08:00 時區:Asia/Taipei 開啟。');
    expect(await text('digest', { timezone: 'Asia/Tokyo' })).toBe('時區需搭配時間：/摘要 時間:08:00 時區:Asia/Tokyo');
    expect(await text('lang', {})).toBe('本對話目前使用繁體中文。如要變更：/語言 語言:英文、/語言 語言:簡體中文。');
    // A server's channel is the channel, as every other reply there names it (it said 此聊天室).
    const channel = chatCtx({ platform: 'discord', chatType: 'group', chatId: 'discord-lang', userLanguageCode: 'zh-TW' });
    expect(plainText(await findCommand('lang')!.runNamed(w.deps, channel, {}))).toMatch(/^本頻道目前使用繁體中文。/);
    expect(await text('subscribe', { levels: '1.8' })).toMatch(/^「1\.8」不是文章中的水位：請先指定比率，例如 \/訂閱 比率:標普500\/黃金 水位:1\.8。\n/);
    // Telegram's words stay words.
    const telegram = chatCtx({ userLanguageCode: 'zh-CN' });
    expect(plainText(await run('digest', [], telegram))).toBe('每日摘要未开启。请用 /digest 08:00 Asia/Shanghai 开启。');
    expect(plainText(await run('subscribe', ['1.8'], telegram))).toMatch(/例如 \/subscribe spx 1\.8。\n/);
  });

  test('GIVEN a move written as Chinese speakers write it (full-width %, days with their unit) THEN the same alert', async () => {
    await run('subscribe', []);
    const zh = chatCtx({ userLanguageCode: 'zh-TW' });
    expect((await run('move', ['標普', '10％', '20天'], zh)).status).toBe('ok');
    expect((await run('move', ['納指', '5', '60個交易日'], zh)).status).toBe('ok');
    expect((await run('move', ['spx', '7', '5d'])).status).toBe('ok');
    expect((await run('move', ['qqq', '8', '二十天'], zh)).status).toBe('ok');
    expect(await w.deps.moves!.list(await subId())).toEqual(
      expect.arrayContaining([
        { pair: 'spx-gold', pct: 10, days: 20 },
        { pair: 'qqq-gold', pct: 5, days: 60 },
        { pair: 'spx-gold', pct: 7, days: 5 },
        { pair: 'qqq-gold', pct: 8, days: 20 },
      ]),
    );
    expect(await w.deps.moves!.list(await subId())).toHaveLength(4);
  });

  test.each([
    [['spx', '10', '4週'], 'zh-TW', 20, '4 週以 20 個交易日計算（每週 5 個交易日）。'],
    [['spx', '10', '20週'], 'zh-TW', 100, '20 週以 100 個交易日計算（每週 5 個交易日）。'],
    // One week or one month is the rate itself: said once.
    [['spx', '10', '1個月'], 'zh-TW', 21, '1 個月以 21 個交易日計算。'],
    [['spx', '10', '3個月'], 'zh-TW', 63, '3 個月以 63 個交易日計算（每月 21 個交易日）。'],
    [['spx', '10', '1週'], 'zh-TW', 5, '1 週以 5 個交易日計算。'],
    [['spx', '10', '4周'], 'zh-CN', 20, '4 周按 20 个交易日计算（每周 5 个交易日）。'],
    [['spx', '10', '1个月'], 'zh-CN', 21, '1 个月按 21 个交易日计算。'],
    [['spx', '10', '1周'], 'zh-CN', 5, '1 周按 5 个交易日计算。'],
    [['spx', '10', '2个月'], 'zh-CN', 42, '2 个月按 42 个交易日计算（每月 21 个交易日）。'],
    [['spx', '10', '2w'], 'en', 10, '2 weeks read as 10 trading days (5 a week).'],
    [['spx', '10', '1m'], 'en', 21, '1 month read as 21 trading days.'],
    [['spx', '10', '1w'], 'en', 5, '1 week read as 5 trading days.'],
    [['spx', '10', '3', 'months'], 'en', 63, '3 months read as 63 trading days (21 a month).'],
    // A year: 12 months, 52 weeks... all within the span a move takes.
    [['spx', '10', '12', 'months'], 'en', 252, '12 months read as 252 trading days (21 a month).'],
    [['spx', '10', '1y'], 'en', 252, '1 year read as 252 trading days.'],
    [['spx', '10', '52w'], 'en', 260, '52 weeks read as 260 trading days (5 a week).'],
    [['spx', '10', '5', 'years'], 'en', 1260, '5 years read as 1,260 trading days (252 a year).'],
    [['spx', '10', '1年'], 'zh-TW', 252, '1 年以 252 個交易日計算。'],
    [['spx', '10', '12個月'], 'zh-TW', 252, '12 個月以 252 個交易日計算（每月 21 個交易日）。'],
    [['spx', '10', '一年'], 'zh-CN', 252, '1 年按 252 个交易日计算。'],
    [['spx', '10', '2年'], 'zh-CN', 504, '2 年按 504 个交易日计算（每年 252 个交易日）。'],
    [['spx', '10', '4', 'weeks'], 'en', 20, '4 weeks read as 20 trading days (5 a week).'],
    // Half a year, and years and a half: as years are (126 trading days a half).
    [['spx', '10', '半年'], 'zh-TW', 126, '半年以 126 個交易日計算（每年 252 個交易日）。'],
    [['spx', '10', '過去半年'], 'zh-TW', 126, '半年以 126 個交易日計算（每年 252 個交易日）。'],
    [['spx', '10', '一年半'], 'zh-CN', 378, '1.5 年按 378 个交易日计算（每年 252 个交易日）。'],
    [['spx', '10', '2年半'], 'zh-TW', 630, '2.5 年以 630 個交易日計算（每年 252 個交易日）。'],
    [['spx', '10', 'half', 'a', 'year'], 'en', 126, 'Half a year read as 126 trading days (252 a year).'],
    [['spx', '10', '1.5y'], 'en', 378, '1.5 years read as 378 trading days (252 a year).'],
    [['spx', '10', '1', 'and', 'a', 'half', 'years'], 'en', 378, '1.5 years read as 378 trading days (252 a year).'],
    // Quarters, as people type them: 63 trading days each (three months of 21), one said as typed (一季).
    [['spx', '10', '一季'], 'zh-TW', 63, '一季以 63 個交易日計算。'],
    [['spx', '10', '1季'], 'zh-TW', 63, '一季以 63 個交易日計算。'],
    [['spx', '10', '兩季'], 'zh-TW', 126, '2 季以 126 個交易日計算（每季 63 個交易日）。'],
    [['spx', '10', '一個季度'], 'zh-CN', 63, '一个季度按 63 个交易日计算。'],
    [['spx', '10', '两个季度'], 'zh-CN', 126, '2 个季度按 126 个交易日计算（每季度 63 个交易日）。'],
    [['spx', '10', 'a', 'quarter'], 'en', 63, '1 quarter read as 63 trading days.'],
    [['spx', '10', '2', 'quarters'], 'en', 126, '2 quarters read as 126 trading days (63 a quarter).'],
    [['spx', '10', '1q'], 'en', 63, '1 quarter read as 63 trading days.'],
    // Half a month: 10 trading days, half of 21 rounded down, said so.
    [['spx', '10', '半個月'], 'zh-TW', 10, '半個月以 10 個交易日計算（每月 21 個交易日的一半，無條件捨去）。'],
    [['spx', '10', '半个月'], 'zh-CN', 10, '半个月按 10 个交易日计算（每月 21 个交易日的一半，向下取整）。'],
    [['spx', '10', 'half', 'a', 'month'], 'en', 10, 'Half a month read as 10 trading days (half of 21 a month, rounded down).'],
    // A count in words.
    [['spx', '10', 'two', 'weeks'], 'en', 10, '2 weeks read as 10 trading days (5 a week).'],
    [['spx', '10', 'a', 'month'], 'en', 21, '1 month read as 21 trading days.'],
  ] as const)(
    'GIVEN /move %j in a %s chat THEN weeks and months are read as trading days (5 a week, 21 a month), and the reply says so',
    async (words, lang, days, said) => {
      const ctx = chatCtx({ userLanguageCode: lang });
      await run('subscribe', [], ctx);
      const r = await run('move', words, ctx);
      expect(r.status).toBe('ok');
      expect(plainText(r)).toContain(said);
      // The rate once: never "21 … (21 a month)" nor "5 … (5 a week)".
      expect(plainText(r)).not.toMatch(/\b(21|5) trading days \(\1 a|\b(21|5) 個交易日計算（每.? ?\2|\b(21|5) 个交易日计算（每.? ?\3/);
      expect(await w.deps.moves!.list(await subId())).toEqual([{ pair: 'spx-gold', pct: 10, days }]);
    },
  );

  test.each([
    [['spx', '10%', 'over', '20', 'days']],
    [['spx', '10%', 'in', '20', 'days']],
    [['spx', '10', '20', 'trading', 'days']],
    [['spx', '10%', 'over', 'the', 'last', '20', 'days']],
    [['spx', '10', '20個交易日']],
    [['spx', '10', '20天內']],
    // A market's business days, sessions, 工作天, 營業日 are its trading days.
    [['spx', '10', '20', 'business', 'days']],
    [['spx', '10', '20', 'sessions']],
    [['spx', '10', '20個工作天']],
    [['spx', '10', '二十個營業日']],
    [['spx', '10', '20个交易天']],
    // Spaces inside, as an IME leaves them.
    [['spx', '10', '二十', '個', '交易日']],
  ] as const)('GIVEN /move %j (words around the days) THEN 10%% over 20 trading days, nothing said about weeks', async (words) => {
    await run('subscribe', []);
    const r = await run('move', words);
    expect(r.status, plainText(r)).toBe('ok');
    expect(plainText(r)).not.toMatch(/read as|計算|计算/);
    expect(await w.deps.moves!.list(await subId())).toEqual([{ pair: 'spx-gold', pct: 10, days: 20 }]);
  });

  test('GIVEN weeks, months or years beyond 1260 trading days THEN refused in one line saying what they come to and the most of that unit a move spans; nothing added', async () => {
    await run('subscribe', []);
    expect(plainText(await run('move', ['spx', '10', '253w']))).toMatch(
      /^"253w" is 1,265 trading days \(5 a week\); a move spans at most 252 weeks \(1,260 trading days\)\./,
    );
    expect(plainText(await run('move', ['spx', '10', '61個月']))).toMatch(
      /^"61個月" is 1,281 trading days \(21 a month\); a move spans at most 60 months \(1,260 trading days\)\./,
    );
    // Typed with a space, the long span is still one value, not "61" with a word too many.
    expect(plainText(await run('move', ['spx', '10', '61', 'months']))).toMatch(/^"61 months" is 1,281 trading days \(21 a month\)/);
    expect(plainText(await run('move', ['spx', '10', 'over', 'the', 'last', '300', 'weeks']))).toMatch(/^"over the last 300 weeks" is 1,500 trading days/);
    expect(plainText(await run('move', ['spx', '10', '5.5y']))).toMatch(
      /^"5.5y" is 1,386 trading days \(252 a year\); a move spans at most 5 years \(1,260 trading days\)\./,
    );
    expect(plainText(await run('move', ['spx', '10', '6y']))).toMatch(
      /^"6y" is 1,512 trading days \(252 a year\); a move spans at most 5 years \(1,260 trading days\)\./,
    );
    expect(plainText(await run('move', ['spx', '10', '6年'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })))).toMatch(
      /^「6年」是 1,512 個交易日（每年 252 個）；急漲急跌的期間最多 5 年（1,260 個交易日）。/,
    );
    expect(plainText(await run('move', ['spx', '10', '61个月'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toMatch(
      /^“61个月”是 1,281 个交易日（每月 21 个）；急涨急跌的期间最多 60 个月（1,260 个交易日）。/,
    );
    expect(plainText(await run('move', ['spx', '10', '21季'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })))).toMatch(
      /^「21季」是 1,323 個交易日（每季 63 個）；急漲急跌的期間最多 20 季（1,260 個交易日）。/,
    );
    // Half a week is 2.5 trading days: no whole count, refused naming the two next to it, whole (not as "half").
    expect(plainText(await run('move', ['spx', '10', 'half', 'a', 'week']))).toMatch(
      /^"half a week" is half a week, 2\.5 trading days; a move spans whole trading days: give 2 or 3, or a week \(1w, 5 trading days\)\./,
    );
    expect(plainText(await run('move', ['spx', '10', '半週'], chatCtx({ chatId: 'tw', userLanguageCode: 'zh-TW' })))).toMatch(
      /^「半週」是半週，即 2\.5 個交易日/,
    );
    expect(plainText(await run('move', ['spx', '10', '半周'], chatCtx({ chatId: 'cn', userLanguageCode: 'zh-CN' })))).toMatch(
      /^“半周”是半周，即 2\.5 个交易日/,
    );
    // No hint of weeks here: Discord's days option takes a whole number only, and the words are the same.
    expect(plainText(await run('move', ['spx', '10', 'soon']))).toMatch(/got "soon"\.$/m);
    expect(await w.deps.moves!.list(await subId())).toEqual([]);
  });

  test('GIVEN a move’s percent in Chinese numerals (十 二十, 百分之十五, 十二％) THEN the same alert as in digits, as the days already are', async () => {
    await run('subscribe', []);
    const zh = chatCtx({ userLanguageCode: 'zh-TW' });
    expect((await run('move', ['qqq', '十', '二十'], zh)).status).toBe('ok');
    expect((await run('move', ['spx', '百分之十五', '十天'], zh)).status).toBe('ok');
    expect((await run('move', ['spx', '十二％', '5'], zh)).status).toBe('ok');
    expect(await w.deps.moves!.list(await subId())).toEqual(
      expect.arrayContaining([
        { pair: 'qqq-gold', pct: 10, days: 20 },
        { pair: 'spx-gold', pct: 15, days: 10 },
        { pair: 'spx-gold', pct: 12, days: 5 },
      ]),
    );
    // Still no number: refused as before.
    expect((await run('move', ['spx', '百', '5'], zh)).status).not.toBe('ok');
  });

  test('GIVEN days or weeks past ninety-nine in Chinese numerals (一百二十天, 兩百五十天, 二百天, 一百零五) THEN the same alert as in digits; one past the limit refused as its number', async () => {
    const zh = chatCtx({ userLanguageCode: 'zh-TW' });
    await run('subscribe', [], zh);
    expect((await run('move', ['spx', '10', '一百二十天'], zh)).status).toBe('ok');
    expect((await run('move', ['spx', '10', '兩百五十天'], zh)).status).toBe('ok');
    expect((await run('move', ['qqq', '10', '二百天'], zh)).status).toBe('ok');
    expect((await run('move', ['qqq', '百分之十', '一百零五'], zh)).status).toBe('ok');
    expect(plainText(await run('move', ['qqq', '5', '一百零四週'], zh))).toContain('104 週以 520 個交易日計算（每週 5 個交易日）。');
    expect(await w.deps.moves!.list(await subId())).toEqual(
      expect.arrayContaining([
        { pair: 'spx-gold', pct: 10, days: 120 },
        { pair: 'spx-gold', pct: 10, days: 250 },
        { pair: 'qqq-gold', pct: 10, days: 200 },
        { pair: 'qqq-gold', pct: 10, days: 105 },
        { pair: 'qqq-gold', pct: 5, days: 520 },
      ]),
    );
    // 一百零五 percent is 105, past the most a percent is: refused naming it as 105, not read as 1 or 5.
    expect(plainText(await run('move', ['qqq', '一百零五', '20'], zh)).split('\n')[0]).toBe('「一百零五」是 105%；百分比必須是 1 到 100 之間的數字，例如 10。');
    expect(plainText(await run('move', ['qqq', '10', '一千三百天'], zh)).split('\n')[0]).toBe(
      '天數必須是 1 到 1,260 之間的整數（交易日），例如 20，也可寫週、月、年，例如 4週、3個月、1年；您輸入的是「一千三百天」。',
    );
  });

  test('GIVEN a group member who is not an admin THEN the list is shown but add and remove are refused', async () => {
    const admin = chatCtx({ chatType: 'group', chatId: '-7' });
    const member = chatCtx({ chatType: 'group', chatId: '-7', admin: false });
    await run('subscribe', [], admin);
    await run('move', ['spx', '10', '20'], admin);
    expect(plainText(await run('move', [], member))).toContain('Move alerts (1 of 5)');
    expect((await run('move', ['qqq', '10', '20'], member)).status).toBe('denied');
    expect((await run('move', ['remove', 'spx', '10', '20'], member)).status).toBe('denied');
    expect(await w.deps.moves!.list(await subId('-7'))).toHaveLength(1);
  });

  test('GIVEN Discord options without an action THEN they add, as the words do on Telegram', async () => {
    const ctx = chatCtx({ platform: 'discord', chatId: '42' });
    await findCommand('subscribe')!.runNamed(w.deps, ctx, {});
    const r = await findCommand('move')!.runNamed(w.deps, ctx, { pair: 'qqq', percent: 12, days: 30 });
    expect(r.status).toBe('ok');
    expect(await w.deps.moves!.list((await w.deps.subs.get('discord', '42'))!.id)).toEqual([{ pair: 'qqq-gold', pct: 12, days: 30 }]);
  });

  test.each([
    [['spx', '10'], 'en', 'Still needed: the trading days (e.g. 20, 4w or 1y).'],
    [['add', 'spx'], 'en', 'Still needed: the percent (e.g. 10), the trading days (e.g. 20, 4w or 1y).'],
    [['spx', '10'], 'zh-TW', '尚缺：交易日數（例如 20、4週或1年）。'],
    [['spx'], 'zh-CN', '还缺：百分比（例如 10）、交易日数（例如 20、4周或1年）。'],
  ])(
    'GIVEN /move %j (part of a move, in %s) THEN the refusal names what is missing before the usage line, and nothing is written',
    async (words, lang, text) => {
      const ctx = chatCtx({ userLanguageCode: lang });
      await run('subscribe', [], ctx);
      const before = w.dump();
      const r = await run('move', words, ctx);
      expect(r.status).toBe('usage');
      expect(plainText(r).split('\n')[0]).toBe(text);
      expect(plainText(r)).toContain('/move [add|remove <spx|qqq>');
      expect(w.dump()).toBe(before);
    },
  );

  test('GIVEN Discord options for part of a move, without an action THEN the refusal names what is missing too', async () => {
    const r = await findCommand('move')!.runNamed(w.deps, chatCtx({ platform: 'discord' }), { pair: 'spx', days: 20 });
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe('Still needed: the percent (e.g. 10).');
  });

  test.each(LANGS)(
    'GIVEN move alerts AND the chat unsubscribed (%s) THEN /move says they are not sent until /subscribe, one can still be removed, and /subscribe brings the rest back',
    async (lang) => {
      const ctx = chatCtx({ userLanguageCode: lang });
      await run('subscribe', [], ctx);
      await run('move', ['spx', '10', '20'], ctx);
      await run('move', ['qqq', '5', '3'], ctx);
      expect(plainText(await run('move', [], ctx))).not.toContain(t(lang, 'move.paused.dm'));
      await run('unsubscribe', [], ctx);
      // Listed as before, but the chat reads that none of them will come while it is unsubscribed.
      const list = plainText(await run('move', [], ctx));
      expect(list).toContain(t(lang, 'move.title', { count: 2, max: 5 }));
      expect(list).toContain(t(lang, 'move.paused.dm'));
      // The line the list offers to copy works: no "subscribe first" to remove an alert.
      const removed = await run('move', ['remove', 'qqq', '5', '3'], ctx);
      expect(removed.status).toBe('ok');
      expect(plainText(removed)).toContain(t(lang, 'move.paused.dm'));
      expect(await w.deps.moves!.list(await subId())).toEqual([{ pair: 'spx-gold', pct: 10, days: 20 }]);
      // Adding one still asks to subscribe first: it would never be sent.
      expect((await run('move', ['qqq', '5', '3'], ctx)).status).toBe('error');
      await run('subscribe', [], ctx);
      const back = plainText(await run('move', [], ctx));
      expect(back).toContain(t(lang, 'move.title', { count: 1, max: 5 }));
      expect(back).not.toContain(t(lang, 'move.paused'));
    },
  );

  test('GIVEN a zh-TW chat THEN the list reads in Traditional Chinese', async () => {
    const zh = chatCtx({ userLanguageCode: 'zh-hant' });
    await run('subscribe', [], zh);
    expect(plainText(await run('move', ['spx', '10', '20'], zh))).toContain('已新增急漲急跌通知：標普500/黃金：20 個交易日內漲跌 10% 以上。');
  });

  test('GIVEN a zh-CN chat THEN the list reads in Simplified Chinese', async () => {
    const cn = chatCtx({ userLanguageCode: 'zh-hans', chatId: '77' });
    await run('subscribe', [], cn);
    expect(plainText(await run('move', ['spx', '10', '20'], cn))).toContain('已添加急涨急跌提醒：标普500/黄金：20 个交易日内涨跌 10% 以上。');
    expect(plainText(await run('quiet', ['23:00-07:00', 'Asia/Shanghai'], cn))).toContain('免打扰时段已设为 23:00-07:00（北京时间）。');
  });
});

describe('Discord definitions', () => {
  test('/quiet and /move are derived from their declarations: typed options, zh-TW names, listed for everyone (writes checked at run time)', async () => {
    const defs = discordCommandDefinitions();
    const quiet = defs.find((d) => d.name === 'quiet')!;
    const move = defs.find((d) => d.name === 'move')!;
    expect(quiet.options.map((o) => [o.name, o.type])).toEqual([
      ['hours', DISCORD_OPTION.STRING],
      ['timezone', DISCORD_OPTION.STRING],
    ]);
    expect(quiet.options[1]!.autocomplete).toBe(true);
    // The zone is suggested as typed, as for /digest.
    expect(autocompleteChoices('quiet', 'timezone', 'taipei', 'en', NOW_MS)).toEqual([{ name: 'Taipei (UTC+8)', value: 'Asia/Taipei' }]);
    // Half-hour and quarter-hour places carry their offset too, and Adelaide its summer one, in each language's brackets.
    expect(autocompleteChoices('quiet', 'timezone', 'kolkata', 'en', NOW_MS)[0]).toEqual({ name: 'India (UTC+5:30)', value: 'Asia/Kolkata' });
    expect(autocompleteChoices('quiet', 'timezone', 'kathmandu', 'zh-TW', NOW_MS)[0]).toEqual({ name: '加德滿都（UTC+5:45）', value: 'Asia/Kathmandu' });
    expect(autocompleteChoices('quiet', 'timezone', 'adelaide', 'zh-CN', NOW_MS)[0]).toEqual({
      name: '阿德莱德（UTC+10:30）',
      value: 'Australia/Adelaide',
    });
    expect(autocompleteChoices('quiet', 'timezone', 'adelaide', 'en', Date.parse('2026-07-01T00:00:00Z'))[0]!.name).toBe('Adelaide (UTC+9:30)');
    expect(autocompleteChoices('quiet', 'timezone', 'tehran', 'en', NOW_MS)[0]!.name).toBe('Tehran (UTC+3:30)');
    expect(move.options.map((o) => [o.name, o.type])).toEqual([
      ['action', DISCORD_OPTION.STRING],
      ['pair', DISCORD_OPTION.STRING],
      ['percent', DISCORD_OPTION.STRING],
      ['days', DISCORD_OPTION.STRING],
    ]);
    expect(move.name_localizations['zh-TW']).toBe('急漲急跌');
    expect(quiet.description_localizations['zh-TW']).toBe('勿擾時段：夜間先暫存通知，結束後一次送達');
    expect(move.name_localizations['zh-CN']).toBe('急涨急跌');
    expect(quiet.description_localizations['zh-CN']).toBe('免打扰时段：夜间先暂存提醒，结束后一次送达');
    expect(quiet.default_member_permissions).toBeNull();
    expect(move.default_member_permissions).toBeNull();
  });
});

test('NOW_MS is the helper clock the texts above assume', async () => {
  expect(new Date(NOW_MS).toISOString()).toBe('2026-11-21T00:00:00.000Z');
});

describe('"this chat" on Discord', () => {
  test.each([
    ['en', "so this channel's zone", 'now off for this channel', "so this group's zone", 'now off for this group'],
    // A Telegram group is a group: this group, 本群組 in Traditional, 本群 in Simplified.
    ['zh-TW', '採用本頻道的時區', '已為本頻道關閉', '採用本群組的時區', '已為本群組關閉'],
    ['zh-CN', '采用本频道的时区', '已为本频道关闭', '采用本群的时区', '已为本群关闭'],
  ] as const)(
    'GIVEN /quiet without a zone and /mylevels remove of an essay level (%s) THEN Discord says the channel, Telegram the chat',
    async (lang, dQuiet, dLevel, tQuiet, tLevel) => {
      for (const [platform, quiet, level] of [
        ['discord', dQuiet, dLevel],
        ['telegram', tQuiet, tLevel],
      ] as const) {
        // A Telegram group: its private chats say 本對話 (tests/platforms/telegram/private-chat-wording.test.ts).
        const ctx = chatCtx({ platform, chatId: `${platform}-1`, chatType: 'group' });
        await run('lang', [lang], ctx);
        await run('subscribe', [], ctx);
        // The chat's zone, from its digest: hours without one take it, and the reply names the place
        // (a chat with no zone at all gets UTC, said as no other set here: tests/chat/time-inputs.test.ts).
        await run('digest', ['09:00', 'Asia/Taipei'], ctx);
        expect(plainText(await run('quiet', ['23-7'], ctx))).toContain(quiet);
        expect(plainText(await run('mylevels', ['remove', 'spx', '2.5'], ctx))).toContain(level);
      }
    },
  );

  test.each([
    ['zh-TW', '本群組尚未訂閱', '本頻道尚未訂閱'],
    ['zh-CN', '本群尚未订阅', '本频道尚未订阅'],
    ['en', 'This group is not subscribed', 'This channel is not subscribed'],
  ] as const)(
    'GIVEN /unsubscribe before /subscribe on Telegram in %s THEN a group is named as a group, a channel as a channel',
    async (lang, group, channel) => {
      for (const [chatType, word] of [
        ['group', group],
        ['channel', channel],
      ] as const) {
        const ctx = chatCtx({ platform: 'telegram', chatId: `tg-${chatType}-${lang}`, chatType });
        await run('lang', [lang], ctx);
        expect(plainText(await run('unsubscribe', [], ctx))).toContain(word);
      }
    },
  );

  // Each reply names the chat: on Discord as the channel (this channel, 本頻道, 本频道), never as a chat.
  const chatWord = { en: /this group|a chat/i, 'zh-TW': /本群組|每個群組/, 'zh-CN': /本群|每个群/ } as const;
  const channelWord = { en: /this channel|a channel/i, 'zh-TW': /本頻道|每個頻道/, 'zh-CN': /本频道|每个频道/ } as const;
  test.each(['en', 'zh-TW', 'zh-CN'] as const)(
    'GIVEN /subscribe, /unsubscribe, /unmute, /move, /digest and /help in a chat reading %s THEN Discord says the channel where Telegram says the chat',
    async (lang) => {
      for (const platform of ['discord', 'telegram'] as const) {
        // A Telegram group: its private chats say 本對話 (tests/platforms/telegram/private-chat-wording.test.ts).
        const ctx = chatCtx({ platform, chatId: `${platform}-said`, chatType: 'group' });
        await run('lang', [lang], ctx);
        const said: string[] = [];
        const say = async (name: string, words: readonly string[]) => said.push(`/${name} ${words.join(' ')}: ${plainText(await run(name, words, ctx))}`);
        await say('unsubscribe', []); // chat.sub.none
        await say('move', []); // move.noneUnsubscribed
        await say('subscribe', ['spx']);
        await say('subscribe', []); // chat.sub.already
        await say('subscribe', ['qqq']); // chat.sub.added
        await say('unsubscribe', ['spx']);
        await say('unsubscribe', ['spx']); // chat.unsub.notWatched
        await say('unmute', []); // chat.unmute.notMuted
        await say('move', ['spx', '10', '20']);
        await say('move', ['spx', '10', '20']); // move.exists
        await say('move', ['remove', 'qqq', '10', '20']); // move.missing
        for (const days of ['21', '22', '23', '24']) await run('move', ['spx', '10', days], ctx);
        await say('move', ['spx', '10', '25']); // move.tooMany
        await run('digest', ['09:00', 'Asia/Taipei'], ctx);
        await say('digest', ['08:00']); // chat.digest.setDefaultZone
        await say('help', ['quiet']); // chat.arg.quiet.timezone
        await say('help', ['digest']); // chat.arg.digest.timezone
        await say('help', ['lang']); // chat.arg.lang.language
        await say('unsubscribe', []);
        await say('move', []); // move.paused
        const [named, notNamed] = platform === 'discord' ? [channelWord[lang], chatWord[lang]] : [chatWord[lang], channelWord[lang]];
        // English /unmute says 'Alerts here' to a Telegram chat; the channel is named on Discord.
        const wanted = [0, 1, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 15, 17].filter((i) => !(i === 7 && lang === 'en' && platform === 'telegram'));
        for (const i of wanted) expect(said[i], `${platform}: ${said[i]}`).toMatch(named);
        for (const line of said) expect(line, `${platform}: ${line}`).not.toMatch(notNamed);
      }
    },
  );

  test('GIVEN the Discord definitions THEN /quiet, /digest and /lang describe their options with the channel in every language', () => {
    const defs = discordCommandDefinitions();
    const described = (command: string, option: string) => defs.find((d) => d.name === command)!.options.find((o) => o.name === option)!;
    for (const [command, option] of [
      ['quiet', 'timezone'],
      ['digest', 'timezone'],
      ['lang', 'language'],
    ] as const) {
      const o = described(command, option);
      expect(o.description).toMatch(/this channel/);
      expect(o.description_localizations['zh-TW']).toMatch(/本頻道/);
      expect(o.description_localizations['zh-CN']).toMatch(/本频道/);
    }
  });
});

describe('a choice of two typed as one value', () => {
  test.each([
    // "a week or two" is a range (chat.err.spanRange, tests/chat/span-unit-words.test.ts); two whole values are a choice.
    ['en', 'mute', ['2h', 'or', '3h'], '"2h or 3h" is a choice of two: give one of them.'],
    ['zh-TW', 'mute', ['2h', '還是', '3h'], '「2h 還是 3h」是兩個選項：請只輸入其中一個。'],
    ['zh-CN', 'chart', ['spx', '1y', 'or', '5y'], '“spx 1y or 5y”是两个选项：请只输入其中一个。'],
    // /move reads `spx 10% 2d or 3d` as `add spx 10% …`: the add is its own, never quoted as typed.
    ['en', 'move', ['spx', '10%', '2d', 'or', '3d'], '"spx 10% 2d or 3d" is a choice of two: give one of them.'],
    ['zh-TW', 'move', ['spx', '10%', '20', '還是', '30'], '「spx 10% 20 還是 30」是兩個選項：請只輸入其中一個。'],
  ] as const)('GIVEN (%s) /%s %j THEN one line naming all of it as a choice, not "or two" as a word too many; nothing set', async (lang, name, words, said) => {
    const ctx = chatCtx({ chatId: `or-${lang}` });
    await run('lang', [lang], ctx);
    await run('subscribe', [], ctx);
    const before = w.dump();
    const r = await run(name, words, ctx);
    expect(r.status).toBe('usage');
    expect(plainText(r).split('\n')[0]).toBe(said);
    expect(w.dump()).toBe(before);
    // A word too many that offers no choice is still named alone.
    expect(plainText(await run('mute', ['2h', 'extra'], ctx)).split('\n')[0]).toBe(t(lang, 'chat.err.extra', { input: 'extra' }));
  });
});
