/**
 * Long polling when another process polls the same bot token: Telegram answers getUpdates with
 * 409 Conflict. One warning line saying so (no stack trace from grammY's runner, no error), and
 * once the other process goes, this one receives updates again without a restart.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { makeWorld, telegramEnv, type World } from '../../helpers/telegram-harness.ts';
import { describeWithPostgres, freshPgDatabase } from '../../helpers/postgres.ts';
import { until } from '../../helpers/replicas.ts';
import { createTelegram, type Telegram } from '../../../src/platforms/telegram/bot.ts';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger } from '../../../src/log.ts';
import { startApp } from '../../../src/main.ts';
import { sourcesAt } from '../../helpers/sources.ts';

let fake: FakeTelegram;
let world: World;
let tg: Telegram | undefined;

beforeEach(async () => {
  fake = await FakeTelegram.start();
  world = makeWorld(telegramEnv(fake));
});
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await tg?.stop();
  await fake.close();
  world.cleanup();
  vi.restoreAllMocks();
});

test('GIVEN getUpdates answering 409 Conflict THEN one warning naming the cause, no stack, and polling resumes when the other process goes', async () => {
  const consoleError = vi.spyOn(console, 'error');
  fake.failMethod('getUpdates', { kind: 'conflict' }, 3);
  tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log, conflictRetryMs: 100 });
  await tg.start();
  // Three 409s (runner restarts 100 ms apart), then the fake lets polls through again.
  await fake.waitFor(() => fake.callsTo('getUpdates').filter((c) => c.status === 409).length === 3);
  fake.textMessage(91, '/help');
  await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '91');
  expect(tg.receiving()).toBe(true);
  const lines = world.log.lines.join('\n');
  expect(
    world.log.lines.filter((l) => /another process polls this bot token \(Telegram: 409 Conflict: terminated by other getUpdates request/.test(l)),
  ).toHaveLength(1);
  expect(world.log.lines.filter((l) => /\bWARN\b.*another process polls/.test(l))).toHaveLength(1);
  expect(lines).toMatch(/long polling receives updates again/);
  expect(lines).not.toMatch(/\bERROR\b/);
  expect(lines).not.toMatch(/\n\s+at /);
  expect(consoleError).not.toHaveBeenCalled();
});

test('GIVEN getUpdates answering 401 while the bot runs (its token revoked in @BotFather) THEN one error line and /readyz say the token was refused and to restart, no stack', async () => {
  const consoleError = vi.spyOn(console, 'error');
  tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log });
  expect(await tg.start()).toMatchObject({ kind: 'started' });
  fake.textMessage(93, '/help');
  await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '93');
  expect(tg.readiness()).toBeUndefined();
  fake.failMethod('getUpdates', { kind: 'unauthorized' });
  // The poll waiting now returns this update; the next one is refused.
  fake.textMessage(94, '/help');
  await fake.waitFor((c) => c.method === 'getUpdates' && c.status === 401);
  await until('polling has stopped', () => tg?.readiness(), 10_000);
  // It said only "not receiving updates", and the log grammY's "Call to 'getUpdates' failed! (401: Unauthorized)".
  const said =
    /long polling stopped: the Telegram token was refused \(401 Unauthorized\): revoked or the bot deleted in @BotFather\? Set TELEGRAM_BOT_TOKEN and restart goldratio$/;
  expect(tg.readiness()).toMatch(new RegExp(`^not receiving updates: ${said.source}`));
  expect(world.log.lines.filter((l) => /\bERROR\b/.test(l))).toEqual([expect.stringMatching(said)]);
  expect(world.log.lines.join('\n')).not.toMatch(/\n\s+at /);
  expect(consoleError).not.toHaveBeenCalled();
});

test('GIVEN deleteWebhook failing once after getMe answered THEN it is retried as the start is, and polling begins', async () => {
  fake.failMethod('deleteWebhook', { kind: 'server' }, 1);
  tg = createTelegram({ config: world.config, deps: world.deps, charts: world.charts, log: world.log });
  expect(await tg.start()).toMatchObject({ kind: 'started' });
  expect(fake.callsTo('deleteWebhook').map((c) => c.status)).toEqual([502, 200]);
  fake.textMessage(92, '/help');
  await fake.waitFor((c) => c.method === 'sendMessage' && c.chatId === '92');
  expect(world.log.lines.join('\n')).toMatch(/Telegram could not start \(attempt 1\): .*retrying in 1 s/);
  expect(world.log.lines.join('\n')).not.toMatch(/Telegram stopped/);
});

describeWithPostgres('long polling among replicas (PostgreSQL, no TELEGRAM_WEBHOOK_URL)', () => {
  test('GIVEN a leader and a standby THEN only the leader says it receives updates, and never that it does not; the standby says who polls', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    const replica = async (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), `goldratio-polling-${name}-`));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const env = { DATABASE_URL: pg.url, DATA_DIR: dir, CHART_WORKERS: '0', ...sourcesAt() };
      const log = memoryLogger('info');
      const app = await startApp(loadConfig(telegramEnv(fake, env)), log, { out: () => {}, skipInitialSync: true });
      cleanups.push(() => app.stop());
      return { app, log, said: (re: RegExp) => log.lines.filter((l) => re.test(l)) };
    };
    const a = await replica('a');
    await until('a leads', () => a.app.leadership.leading() || undefined, 10_000);
    const b = await replica('b');
    await Promise.all([a.app.ready, b.app.ready]);
    await until('b stands by', () => b.said(/standing by: another replica leads/).length > 0 || undefined, 10_000);
    await until('the leader polls', () => a.said(/Telegram bot @\w+ receiving updates/).length > 0 || undefined, 10_000);
    expect(b.app.leadership.role()).toBe('standby');
    expect(b.said(/Telegram bot @\w+ receiving updates|long polling/)).toEqual([]);
    expect(b.said(/Telegram bot @\w+ is up; with replicas and no TELEGRAM_WEBHOOK_URL only the leading replica polls for updates/)).toHaveLength(1);
    // The leader's start said nothing false before its lead was known (it logged "not receiving updates" 0.2 s before it did).
    expect(a.said(/not receiving/)).toEqual([]);
    expect(a.said(/Telegram bot @\w+ receiving updates \(long polling: this replica leads\)/)).toHaveLength(1);
    // /readyz: a standby in polling mode is ready once its bot is identified (it has nothing to receive).
    expect((await b.app.readiness.evaluate()).reasons.filter((r) => r.startsWith('telegram'))).toEqual([]);
    // When the leader goes, the standby takes the polling over and says so.
    await a.app.stop();
    await until('b takes over polling', () => b.said(/Telegram bot @\w+ receiving updates/).length > 0 || undefined, 20_000);
  }, 60_000);

  test('GIVEN the token revoked while a leader polls THEN its /readyz and goldratio_platform_off_reason say token_refused; a standby taking the lead then says the same, where it read ready', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    const replica = async (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), `goldratio-revoked-${name}-`));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const env = { DATABASE_URL: pg.url, DATA_DIR: dir, CHART_WORKERS: '0', HTTP_PORT: '0', ...sourcesAt() };
      const log = memoryLogger('info');
      const app = await startApp(loadConfig(telegramEnv(fake, env)), log, { out: () => {}, skipInitialSync: true });
      cleanups.push(() => app.stop());
      const telegram = async () => (await app.readiness.evaluate()).reasons.filter((r) => r.startsWith('telegram'));
      const gauges = async () =>
        (await app.metrics.scrape())
          .split('\n')
          .filter((l) => /^goldratio_platform_(up|off_reason)\{platform="telegram"/.test(l))
          .filter((l) => /^goldratio_platform_up/.test(l) || / 1$/.test(l));
      return { app, log, telegram, gauges, said: (re: RegExp) => log.lines.filter((l) => re.test(l)) };
    };
    const a = await replica('a');
    await until('a leads', () => a.app.leadership.leading() || undefined, 10_000);
    const b = await replica('b');
    await Promise.all([a.app.ready, b.app.ready]);
    await until('the leader polls', () => a.said(/Telegram bot @\w+ receiving updates/).length > 0 || undefined, 10_000);
    await until('b stands by', () => b.said(/standing by: another replica leads/).length > 0 || undefined, 10_000);
    expect(await a.gauges()).toEqual(['goldratio_platform_up{platform="telegram"} 1']);
    expect(await b.gauges()).toEqual(['goldratio_platform_up{platform="telegram"} 1']);

    // Revoked in @BotFather: every call of the bot's now answers 401.
    for (const m of ['getUpdates', 'getMe', 'deleteWebhook']) fake.failMethod(m, { kind: 'unauthorized' });
    fake.textMessage(95, '/help');
    await until('a says the token was refused', async () => ((await a.telegram()).length > 0 ? true : undefined), 15_000);
    expect(await a.telegram()).toEqual([expect.stringMatching(/^telegram: not receiving updates: long polling stopped: the Telegram token was refused \(401/)]);
    expect(await a.gauges()).toEqual([
      'goldratio_platform_up{platform="telegram"} 0',
      'goldratio_platform_off_reason{platform="telegram",reason="token_refused"} 1',
    ]);

    // The leader goes (restarted by its operator, say): the standby leads and meets the refusal at deleteWebhook.
    await a.app.stop();
    await until('b leads', () => b.app.leadership.leading() || undefined, 20_000);
    await until('b says the token was refused', async () => ((await b.telegram()).length > 0 ? true : undefined), 15_000);
    expect(await b.telegram()).toEqual([
      expect.stringMatching(/^telegram: not receiving updates: the Telegram token was refused \(401 Unauthorized\): check TELEGRAM_BOT_TOKEN$/),
    ]);
    expect(await b.gauges()).toEqual([
      'goldratio_platform_up{platform="telegram"} 0',
      'goldratio_platform_off_reason{platform="telegram",reason="token_refused"} 1',
    ]);
    expect(b.log.lines.join('\n')).not.toMatch(/\n\s+at /);
  }, 60_000);
});
