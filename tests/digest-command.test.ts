/** /digest through the platform-neutral chat layer on a real database (fixed clock: NOW_MS = 2026-11-21T00:00Z, a Saturday). */
import { afterEach, describe, expect, test } from 'vitest';
import { findCommand } from '../src/chat/registry.ts';
import { handleAction } from '../src/chat/buttons.ts';
import { plainText, type Reply } from '../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld, type TestContext } from './helpers/chat.ts';

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

  test('GIVEN /digest 08:00 Asia/Taipei THEN stored, next due in UTC, and /digest shows it', async () => {
    w = chatWorld();
    const r = await run(['08:00', 'Asia/Taipei']);
    expect(plainText(r)).toBe('Daily digest set for 08:00 (Asia/Taipei). Next: 2026-11-22 08:00 (Asia/Taipei).');
    // Now is 08:00 Taipei on the 21st exactly: the next one is tomorrow's.
    expect(digestRow()).toEqual({ digest_time: '08:00', timezone: 'Asia/Taipei', digest_next_due: Date.parse('2026-11-22T00:00:00Z') });
    expect(plainText(await run([]))).toBe('Daily digest at 08:00 (Asia/Taipei). Next: 2026-11-22 08:00 (Asia/Taipei).');
  });

  test("GIVEN a time without a zone THEN the chat's zone (else UTC), said so, with buttons for the common zones", async () => {
    w = chatWorld();
    const r = await run(['7:30']);
    expect(plainText(r)).toBe("Daily digest set for 07:30 (UTC: no time zone given, so this chat's zone). Next: 2026-11-21 07:30 (UTC).\nOr pick a time zone:");
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
    expect(plainText(pressed.reply)).toBe('Daily digest set for 07:30 (Asia/Hong_Kong). Next: 2026-11-22 07:30 (Asia/Hong_Kong).');
    // The zone is now the chat's: a later time without a zone keeps it.
    expect(plainText(await run(['09:00']))).toContain('09:00 (Asia/Hong_Kong: no time zone given');
  });

  test.each([
    [['25:00'], 'Time must be HH:MM on a 24-hour clock, like 08:30, got "25:00".\n/digest [HH:MM|off|now] [timezone]'],
    [['8am?'], 'Time must be HH:MM on a 24-hour clock, like 08:30, got "8am?".\n/digest [HH:MM|off|now] [timezone]'],
    [['08:00', 'Mars/Base'], 'Unknown time zone "Mars/Base": use a name like Asia/Taipei or UTC.\n/digest [HH:MM|off|now] [timezone]'],
    [['08:00', 'UTC', 'extra'], 'Usage:\n/digest [HH:MM|off|now] [timezone]'],
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
      '無法辨識時區「Mars/Base」：請使用 Asia/Taipei 或 UTC 這類名稱。\n/digest [HH:MM|off|now] [時區]',
    );
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

  test('GIVEN /digest off THEN the next due instant is cleared', async () => {
    w = chatWorld();
    await run(['08:00', 'UTC']);
    expect(plainText(await run(['off']))).toBe('Daily digest turned off.');
    expect(digestRow()).toMatchObject({ digest_time: null, digest_next_due: null });
    expect(plainText(await run([]))).toContain('is off');
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

  test('GIVEN a forged zone button THEN an error, nothing stored', async () => {
    w = chatWorld();
    const before = w.dump();
    expect((await handleAction(w.deps, chatCtx(), 'digest:2500:UTC')).reply.status).toBe('error');
    expect((await handleAction(w.deps, chatCtx(), 'digest:0800:Mars/Base')).reply.status).toBe('error');
    expect(w.dump()).toBe(before);
  });
});
