/**
 * /mute's end on a clock or a calendar in a chat with no zone (read in UTC) offers zone buttons, as
 * /quiet and /digest do: a press reads the same typed end, as typed then, in that zone (real SQLite,
 * the platform-neutral runner and button handler).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { handleAction } from '../../src/chat/buttons.ts';
import { plainText, type Reply } from '../../src/chat/reply.ts';
import { muteEndCode, readMuteEndCode } from '../../src/chat/mute-zone.ts';
import { parseMuteArg } from '../../src/chat/parse-mute.ts';
import { isMuteUntil } from '../../src/domain/mute-length.ts';
import { chatCtx, chatWorld, NOW_MS, type ChatWorld, type TestContext } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(async () => {
  w = chatWorld();
});
afterEach(() => w.close());

const run = (name: string, words: readonly string[], ctx: TestContext = chatCtx()): Promise<Reply> => findCommand(name)!.run(w.deps, ctx, words);
const mutedUntil = async (chatId = '1001') => (await w.deps.subs.get('telegram', chatId))?.mutedUntil;
const actionsOf = (r: Reply) => r.buttons?.flat().map((b) => b.action) ?? [];

describe('/mute zone buttons', () => {
  // NOW_MS is Saturday 2026-11-21 00:00 UTC: 08:00 that Saturday in Shanghai and Taipei.
  test.each([
    [
      'zh-CN',
      '到明天早上',
      'Asia/Shanghai',
      '按 UTC 计算：本对话尚未设置时区（使用 /digest 或 /quiet 时加上时区即可设置）。或改按以下时区计算：',
      '已静音至2026年11月22日 08:00（UTC）。',
      '已静音至2026年11月22日 08:00（北京时间）。',
      '2026-11-22T00:00:00Z',
    ],
    [
      'zh-TW',
      '到週一',
      'Asia/Taipei',
      '以 UTC 計算：本對話尚未設定時區（使用 /digest 或 /quiet 時加上時區即可設定）。或改以下列時區計算：',
      '已靜音至2026年11月23日 00:00（UTC）。',
      '已靜音至2026年11月23日 00:00（台北時間）。',
      '2026-11-22T16:00:00Z',
    ],
    [
      'en',
      'until monday 9am',
      'Asia/Taipei',
      'Read in UTC: this chat has no time zone of its own (/digest or /quiet with a zone gives it one). Or read it in:',
      'Muted until 2026-11-23 09:00 (UTC).',
      'Muted until 2026-11-23 09:00 (Taipei time).',
      '2026-11-23T01:00:00Z',
    ],
  ] as const)(
    "GIVEN a chat with no zone (%s) and /mute %s THEN the UTC reply, then zone buttons, the reader's own first; a press reads the same end in that zone",
    async (lang, typed, first, pick, utcLine, zoneLine, end) => {
      await run('lang', [lang]);
      await run('subscribe', []);
      const r = await run('mute', typed.split(' '));
      expect(r.status).toBe('ok');
      const text = plainText(r).split('\n');
      expect(text[0]).toBe(utcLine);
      expect(text.at(-1)).toBe(pick);
      const actions = actionsOf(r);
      expect(actions[0]!.endsWith(`:${first}`)).toBe(true);
      expect(actions.every((a) => a.startsWith('mute:') && Buffer.byteLength(a) <= 64)).toBe(true);
      const pressed = await handleAction(w.deps, chatCtx({ nowMs: NOW_MS + 60_000 }), actions[0]!);
      expect(pressed.reply.status).toBe('ok');
      expect(pressed.reply.buttons).toBeUndefined();
      expect(plainText(pressed.reply)).toBe(zoneLine);
      expect(await mutedUntil()).toBe(Date.parse(end));
      // The chat's own zone is not set by a mute (as /quiet's press sets only quiet hours): /digest stays as it was.
      const sub = await w.deps.subs.get('telegram', '1001');
      expect([sub?.digestTime, sub?.timezone]).toEqual([null, 'UTC']);
      // Another zone pressed after it corrects it again.
      expect((await handleAction(w.deps, chatCtx(), actions.find((a) => a.endsWith(':Europe/London'))!)).reply.status).toBe('ok');
    },
  );

  test.each([
    ['a length', ['2h']],
    ['the close (New York)', ['until', 'the', 'close']],
    ["a day's close (New York's)", ['until', 'monday', 'close']],
    ["the weekend (the week's last close, New York's)", ['until', 'next', 'weekend']],
    ['an end typed with its zone', ['until', '9am', 'Taipei']],
  ])('GIVEN /mute with %s THEN no zone buttons', async (_, words) => {
    await run('subscribe', []);
    const r = await run('mute', words);
    expect(r.status).toBe('ok');
    expect(r.buttons).toBeUndefined();
  });

  test('GIVEN a chat with a zone of its own (its digest) THEN /mute until 9am reads it there, no buttons', async () => {
    await run('subscribe', []);
    await run('digest', ['08:00', 'Asia/Taipei']);
    const r = await run('mute', ['until', '9am']);
    expect(plainText(r)).toBe('Muted until 2026-11-21 09:00 (Taipei time).');
    expect(r.buttons).toBeUndefined();
  });

  test('GIVEN a press a day later THEN "tomorrow" is still the day it meant as typed (read at the moment typed), and a press after that end is refused', async () => {
    await run('subscribe', []);
    const r = await run('mute', ['until', 'tomorrow', '9am']);
    const taipei = actionsOf(r).find((a) => a.endsWith(':Asia/Taipei'))!;
    const later = await handleAction(w.deps, chatCtx({ nowMs: NOW_MS + 20 * 3_600_000 }), taipei);
    expect(plainText(later.reply)).toBe('Muted until 2026-11-22 09:00 (Taipei time).');
    // Past that end (Sunday 01:00 UTC): the button is stale, and nothing changes.
    const before = await mutedUntil();
    const stale = await handleAction(w.deps, chatCtx({ nowMs: Date.parse('2026-11-22T02:00:00Z') }), actionsOf(r).find((a) => a.endsWith(':UTC'))!);
    expect(stale.reply.status).not.toBe('ok');
    expect(await mutedUntil()).toBe(before);
  });

  test('GIVEN forged, stale or non-admin presses THEN refused in one line, nothing written', async () => {
    await run('subscribe', []);
    const r = await run('mute', ['until', 'monday']);
    const good = actionsOf(r)[0]!;
    const before = await mutedUntil();
    for (const action of [
      'mute:w1_.abc:Mars/Olympus',
      'mute:w9_.abc:Asia/Taipei',
      'mute:_.abc:Asia/Taipei',
      'mute:w1_2500.abc:Asia/Taipei',
      'mute:x:Asia/Taipei',
    ]) {
      const p = await handleAction(w.deps, chatCtx(), action);
      expect(p.reply.status, action).not.toBe('ok');
      expect(plainText(p.reply).split('\n')).toHaveLength(1);
    }
    expect(await mutedUntil()).toBe(before);
    // Unmuted since: the button no longer stands for the chat's mute.
    await run('unmute', []);
    expect((await handleAction(w.deps, chatCtx(), good)).reply.status).not.toBe('ok');
    expect(await mutedUntil()).toBeNull();
    // Muted again another way (2h): a button of the earlier mute does not undo it.
    await run('mute', ['2h']);
    const twoHours = await mutedUntil();
    expect((await handleAction(w.deps, chatCtx(), good)).reply.status).not.toBe('ok');
    expect(await mutedUntil()).toBe(twoHours);
    // In a group, a member who is not an admin.
    const group = chatCtx({ chatId: '-100', chatType: 'group' });
    await run('subscribe', [], group);
    const g = await run('mute', ['until', 'monday'], group);
    const gBefore = await mutedUntil('-100');
    expect((await handleAction(w.deps, chatCtx({ chatId: '-100', chatType: 'group', admin: false }), actionsOf(g)[0]!)).reply.status).not.toBe('ok');
    expect(await mutedUntil('-100')).toBe(gBefore);
  });

  test('GIVEN a forged press whose day no year has (Feb 31, Feb 30, April 31), or typed in the future THEN it is no code of ours, refused in one line at once, nothing written (its next coming was looked for year after year, for ever, holding the whole bot)', async () => {
    const at = Math.floor(NOW_MS / 1000).toString(36);
    for (const day of ['m0231', 'm0230', 'm0431', 'm0631', 'm0931', 'm1131', 'm0001', 'm1300']) expect(readMuteEndCode(`${day}_.${at}`), day).toBeUndefined();
    // Feb 29 is a day of leap years: a code may carry it (its next coming is read, and refused when over a year away).
    expect(readMuteEndCode(`m0229_.${at}`)?.until).toEqual({ day: { kind: 'monthDay', month: 2, day: 29 } });
    await run('subscribe', []);
    await run('mute', ['until', 'monday']);
    const before = await mutedUntil();
    // And a moment typed after now, which no reply of ours carries (year 9133: the dates' arithmetic threw).
    for (const action of ['m0231', 'm0431', 'o31'].map((day) => `mute:${day}_0900.${at}:Asia/Taipei`).concat('mute:o31_.zzzzzzzz:UTC')) {
      const p = await handleAction(w.deps, chatCtx(), action);
      expect(p.reply.status, action).not.toBe('ok');
      expect(plainText(p.reply).split('\n')).toHaveLength(1);
    }
    expect(await mutedUntil()).toBe(before);
  });

  test.each([
    'until monday 9am',
    'tomorrow',
    'until 5',
    '到下週五',
    // The weekend with a time is its Saturday then; without one, the week's last close (no button: below).
    '到週末早上9點',
    '到下週末早上9點',
    '到2027-01-05',
    'until Dec 24',
    'until the 24th',
    '到3月',
    '到下個月',
    '明年',
    '到後天晚上8點',
    '過年',
    '除夕',
    '元宵',
    '過完年',
    // What the reply says of it is kept too: end of day (its line), next friday (the week after's, offered).
    '到今天結束',
    'until end of day',
    '到半夜',
    'until next friday',
    'next monday 9am',
  ])('GIVEN the end %s THEN its button code reads back to the same end', (typed) => {
    const p = parseMuteArg(typed, 'zh-TW', '2026-11-21');
    expect(p.ok && isMuteUntil(p.value)).toBe(true);
    if (!p.ok || !isMuteUntil(p.value)) return;
    const code = muteEndCode(p.value, NOW_MS);
    expect(code).toBeDefined();
    expect(readMuteEndCode(code!)).toEqual({ until: p.value, typedAtMs: NOW_MS });
  });
});
