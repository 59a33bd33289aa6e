/**
 * Commands typed into the running bot's terminal (CONSOLE_COMMANDS): with no token, `npm start` is a
 * bot to try. Through the composition root, on history from the quote fake: each line answered in
 * order, charts written under the data folder, the console's own subscription changed by its
 * commands, and stop never waiting for more input.
 */
import { afterEach, expect, test } from 'vitest';
import { PassThrough } from 'node:stream';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { consoleCommandsOn } from '../../src/platforms/console/commands.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { quoteServerConfig, startFlatMarket } from '../fakes/quote-server.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { eventually } from '../helpers/eventually.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function boot(env: Record<string, string | undefined>) {
  const server = await startFlatMarket('2025-03-14');
  cleanups.push(() => server.close());
  const config = quoteServerConfig(server, { BACKFILL_FROM: '2024-01-02', CHART_WARMUP: 'off', CHART_WORKERS: '0', ...env });
  const dir = config.dataDir;
  const input = new PassThrough();
  const out: string[] = [];
  const log = memoryLogger('info');
  const app = await startApp(config, log, { out: (t) => out.push(t), input });
  cleanups.push(() => app.stop());
  await app.ready;
  return { app, dir, input, out, log };
}

test('GIVEN CONSOLE_COMMANDS=on THEN each typed line is answered in order: a chart written to a file, text, a typo, a Chinese word, and a setting that changes the console chat', async () => {
  const { app, dir, input, out, log } = await boot({ CONSOLE_COMMANDS: 'on' });
  expect(log.lines.some((l) => l.includes('type a command to try the bot here'))).toBe(true);
  // `/Levels,qqq`: capitalised, a comma glued to the command, as typed on a phone.
  input.write('/ratio spx\n\n/Levels,qqq\nhello\n/raito\n訂閱\n/lang zh-TW\n/unsubscribe spx\n');
  await eventually(() => out.length === 7);
  expect(out[0]).toMatch(/^SPX\/Gold \d\.\d+ \(close 2025-03-1\d\)\n/);
  expect(out[0]).toMatch(/\nchart written to .*replies\/goldratio-ratio-spx-gold-1Y-light-en\.png$/);
  expect(readdirSync(join(dir, 'replies'))).toEqual(['goldratio-ratio-spx-gold-1Y-light-en.png']);
  expect(out[1]).toMatch(/^QQQ\/Gold \d\.\d+ \(close 2025-03-1\d\)\n/);
  expect(out[2]).toBe('I answer commands, like /ratio for the ratios now or /chart for a chart. /help lists them all.');
  expect(out[3]).toBe('There is no /raito. Did you mean /ratio? /help lists the commands.');
  expect(out[4]).toBe('Did you mean /subscribe? /help lists every command.');
  expect(out[5]).toBe('語言已設為繁體中文。');
  expect(out[6]).toMatch(/^這裡不會再收到標普500\/黃金的通知。/);
  // The settings as every platform shows them, less the line about buttons a terminal has none of.
  expect(out[6]).toContain('QQQ/黃金');
  expect(out[6]).not.toContain('點選水位');
  // The console's own subscription, the one its alerts go to.
  const sub = await new SubscriptionStore(onSqlite(app.db), { approachPct: 3, lang: 'en' }).get('console', 'console');
  expect(sub).toMatchObject({ lang: 'zh-TW', pairs: ['qqq-gold'] });
  // Stop does not wait for input that never comes.
  await app.stop();
});

test('GIVEN CONSOLE_COMMANDS=auto THEN typed commands are read only from a terminal; off, never', async () => {
  expect(consoleCommandsOn('auto', Object.assign(new PassThrough(), { isTTY: true }))).toBe(true);
  expect(consoleCommandsOn('auto', new PassThrough())).toBe(false);
  expect(consoleCommandsOn('off', Object.assign(new PassThrough(), { isTTY: true }))).toBe(false);
  const { input, out, log } = await boot({});
  input.write('/ratio\n');
  await new Promise((r) => setTimeout(r, 300));
  expect(out).toEqual([]);
  expect(log.lines.some((l) => l.includes('type a command'))).toBe(false);
});

test('GIVEN a line too long or a chart that cannot be drawn THEN one answer each, and the next line is still answered', async () => {
  const { input, out, dir } = await boot({ CONSOLE_COMMANDS: 'on' });
  input.write(`/ratio ${'x'.repeat(5000)}\n/chart spx 1990 1991\n/help\n/chart spx 2007 2009 extra\n`);
  await eventually(() => out.length === 4);
  // Refused for its length before any reader sees it (chat.err.tooLong), its echo cut.
  expect(out[0]!.split('\n')[0]).toMatch(/^Too long: a command reads at most 200 characters after its name, got 5,000 \("x+…"\)\.$/);
  expect(out[0]!.length).toBeLessThan(300);
  // A span wholly before the closes: said to lie outside them (charts/spec-ratio.ts).
  expect(out[1]).toMatch(/^SPX\/Gold, 1990-01-01 to 1991-12-31\nNo closes for the SPX\/Gold chart/);
  expect(out[2]).toMatch(/^Commands\n/);
  // The word too many is named, not the window before it.
  expect(out[3]!.split('\n')[0]).toBe('"extra" is more than this command takes.');
  expect(existsSync(join(dir, 'replies'))).toBe(false);
});

describeWithPostgres('the console on a PostgreSQL gone silent', () => {
  test('GIVEN the console chat set to zh-TW WHEN a command meets the silent database THEN the apology is in zh-TW within one query deadline, the database not asked the language again; answers from it once it speaks', async () => {
    const db = await freshPgDatabase({ migrated: true });
    cleanups.push(() => db.drop());
    const proxy = await pgProxy(db.url);
    cleanups.push(() => proxy.close());
    const deadlineMs = 2000;
    const { input, out } = await boot({
      CONSOLE_COMMANDS: 'on',
      DATABASE_PATH: undefined,
      DATABASE_URL: proxy.url,
      DATABASE_QUERY_TIMEOUT_MS: String(deadlineMs),
    });
    input.write('/lang zh-TW\n');
    await eventually(() => out.length === 1);
    expect(out[0]).toBe('語言已設為繁體中文。');

    proxy.silenceAll();
    const t0 = performance.now();
    input.write('/subscribe\n');
    for (let i = 0; i < 400 && out.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    // One deadline (the command's query), not a second one asking the silent database the chat's language.
    expect(performance.now() - t0).toBeLessThan(1.9 * deadlineMs);
    expect(out[1]).toMatch(/^機器人目前無法連上資料庫/);

    proxy.speak();
    input.write('/lang\n');
    await eventually(() => out.length === 3);
    expect(out[2]).toMatch(/^本聊天室目前使用繁體中文。/);
  }, 30_000);
});

test('GIVEN /digest and /quiet with no zone typed at the console THEN the reply leaves out the line that points at zone buttons a terminal does not draw, and prints what to type instead', async () => {
  const { input, out } = await boot({ CONSOLE_COMMANDS: 'on' });
  input.write('/digest 08:00\n/quiet 23:00-07:00\n');
  await eventually(() => out.length === 2);
  expect(out[0]!.split('\n')[0]).toMatch(
    /^Daily digest set for 08:00 \(UTC: no time zone given, and no other is set here\)\. Next: \d{4}-\d\d-\d\d 08:00 \(UTC\)\.$/,
  );
  expect(out[1]).not.toContain('Or pick a time zone');
  expect(out[1]!.split('\n')).toContain('[Hong Kong] /quiet 23:00-07:00 Asia/Hong_Kong');
  expect(out[1]).toMatch(/^Quiet hours set: 23:00-07:00 \(UTC/);
});

test('GIVEN replies with buttons at the console THEN each button is printed as the command a press would run, in the chat language, and typing one does what the press does', async () => {
  const { app, input, out } = await boot({ CONSOLE_COMMANDS: 'on' });
  input.write('/chart spx\n/digest 08:00\n/mute until 9am\n');
  await eventually(() => out.length === 3);
  const chart = out[0]!.split('\n');
  expect(chart).toContain('No buttons here: type what a press would do.');
  expect(chart).toContain('[3M] /chart spx 3m');
  expect(chart).toContain('[• 1Y] /chart spx 1y');
  expect(chart).toContain('[Purchasing power] /chart power 1y');
  expect(out[1]!.split('\n')).toContain('[Taipei] /digest 08:00 Asia/Taipei');
  // The digest gave the chat a zone (UTC, typed without one): the mute asks no zone; unmute and ask in a fresh chat's way below.
  input.write('/digest off\n/quiet off\n/unmute\n/lang zh-TW\n/mute until 9am\n/subscribe\n');
  await eventually(() => out.length === 9);
  // A mute's end as read is no typed line: not under the heading that promises what a press would do,
  // but under one that says what to type (the reader's /mute again), each button the zone to add.
  const mute = out[7]!.split('\n');
  expect(mute).not.toContain('這裡沒有按鈕：輸入按下時會執行的指令。');
  expect(mute).toContain('這裡沒有按鈕：若要改以其中一個時區計算，請再輸入一次您的 /mute，後面加上該時區。');
  expect(mute).toContain('[台北] Asia/Taipei');
  const sub = out[8]!.split('\n');
  expect(sub).toContain('這裡沒有按鈕：輸入按下時會執行的指令。');
  expect(sub).not.toContain('點選水位即可開啟或關閉。');
  expect(sub).toContain('[✅ 標普500/黃金 0.6–0.7] /unsubscribe spx 0.65');
  // Typed, the line does what its button does: the zone level goes off, and its button offers it back.
  input.write('/unsubscribe spx 0.65\n/subscribe\n');
  await eventually(() => out.length === 11);
  expect(out[10]!.split('\n')).toContain('[⬜ 標普500/黃金 0.6–0.7] /subscribe spx 0.65');
  const stored = await new SubscriptionStore(onSqlite(app.db), { approachPct: 3, lang: 'en' }).get('console', 'console');
  expect(stored?.lang).toBe('zh-TW');
});

test('GIVEN /mute with an end read in UTC at the console, in English and Simplified Chinese THEN its zones are under a heading that says to type the /mute again with one, not one promising a press typed', async () => {
  const { input, out } = await boot({ CONSOLE_COMMANDS: 'on' });
  input.write('/mute until 9am\n/unmute\n/lang zh-CN\n/mute until 9am\n');
  await eventually(() => out.length === 4);
  const en = out[0]!.split('\n');
  expect(en).not.toContain('No buttons here: type what a press would do.');
  expect(en).toContain('No buttons here: to read it in one of these zones, type your /mute again with the zone after it.');
  expect(en).toContain('[New York] America/New_York');
  const zhCN = out[3]!.split('\n');
  expect(zhCN).not.toContain('这里没有按钮：输入按下时会执行的命令。');
  expect(zhCN).toContain('这里没有按钮：如要改按其中一个时区计算，请再输入一次您的 /mute，后面加上该时区。');
  expect(zhCN).toContain('[北京] Asia/Shanghai');
});
