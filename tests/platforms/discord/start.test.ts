/**
 * Discord in the composition root (`npm start`) beside Telegram, on one alert state, and the
 * slash-command registration: `goldratio deploy-commands` and the start's register-on-change.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onPostgres, onSqlite } from '../../../src/store/engine.ts';
import { openPostgres } from '../../../src/store/postgres.ts';
import { describeWithPostgres, freshPgDatabase } from '../../helpers/postgres.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger } from '../../../src/log.ts';
import { startApp, type App } from '../../../src/main.ts';
import { openDatabase } from '../../../src/store/db.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { registrationHash } from '../../../src/platforms/discord/commands.ts';
import { breakNextWeek, startFlatMarket, type QuoteServer } from '../../fakes/quote-server.ts';
import { FakeTelegram } from '../../fakes/telegram.ts';
import { FAKE_APP_ID, FakeDiscord, MANAGE_CHANNELS, slashInteraction } from '../../fakes/discord.ts';
import { runCliInProcess } from '../../helpers/cli.ts';
import { sourcesAt } from '../../helpers/sources.ts';

const COMMANDS_PUT = /^\/applications\/\d+\/commands$/;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function env(dir: string, server: QuoteServer, dc: FakeDiscord, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    BACKFILL_FROM: '2024-01-02',
    // No render worker (~0.8 s of CPU to start): the pool has its own tests (charts-pool, main).
    CHART_WORKERS: '0',
    // No warm-up either (every pair × range rendered after the first sync, in this process): not what
    // these tests are about (charts/warmup.test.ts is), and it was most of the CPU of each start here.
    CHART_WARMUP: 'off',
    ...sourcesAt(server.url),
    HTTP_RETRIES: '1',
    HTTP_BACKOFF_MS: '1',
    DISCORD_TOKEN: dc.token,
    DISCORD_APPLICATION_ID: FAKE_APP_ID,
    DISCORD_API_BASE: dc.api,
    ...extra,
  };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-discord-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(e: Record<string, string>): Promise<App> {
  const log = memoryLogger('debug');
  const app = await startApp(loadConfig(e), log, { out: () => {} });
  cleanups.push(() => {
    if (process.env.SHOW_LOG) console.log(log.lines.join('\n'));
  });
  cleanups.push(() => app.stop());
  await app.ready; // the first sync and both platforms up
  return app;
}

describe('goldratio start with Discord and Telegram', () => {
  test('GIVEN a Telegram chat and a Discord channel subscribed through their bots THEN one break reaches each once; commands are registered only when changed', async () => {
    const server = await startFlatMarket('2025-03-14');
    const tg = await FakeTelegram.start();
    const dc = await FakeDiscord.start();
    cleanups.push(
      () => server.close(),
      () => tg.close(),
      () => dc.close(),
    );
    const dir = tempDir();
    const e = env(dir, server, dc, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });

    const app = await start(e);
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(1);
    expect(dc.calls('PUT', COMMANDS_PUT)[0]!.body.map((c: { name: string }) => c.name)).toContain('subscribe');

    tg.textMessage(4242, '/subscribe spx');
    await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '4242');
    dc.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, options: [{ name: 'pairs', type: 3, value: 'spx' }] }));
    await dc.waitFor('POST', /\/callback$/);

    breakNextWeek(server);
    const before = tg.callsTo('sendPhoto', 4242).length;
    await app.closeStep();
    await app.closeStep();
    expect(tg.callsTo('sendPhoto', 4242).slice(before)).toHaveLength(1);
    const posts = dc.calls('POST', /^\/channels\/700000000000000001\/messages$/);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body.embeds[0].title).toMatch(/SPX\/Gold/);
    expect(posts[0]!.body.embeds[0].color).toBe(0x2e9e5b); // an upward break: the "up" colour
    expect(posts[0]!.body.content).toBeUndefined(); // no role set: nobody pinged
    expect(posts[0]!.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe('\x89PNG');
    await app.stop();

    // A restart with the same definitions registers nothing.
    await start(e).then((a) => a.stop());
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(1);

    // Definitions that changed since the last registration (an older hash stored) are registered again, once.
    const db = openDatabase(join(dir, 'g.db'));
    await new DiscordStore(onSqlite(db)).setCommandsHash('global', 'older-definitions');
    db.close();
    await start(e).then((a) => a.stop());
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(2);
    expect(new Set(dc.calls('PUT', COMMANDS_PUT).map((r) => JSON.stringify(r.body))).size).toBe(1);
    // Three starts, each with its first sync, and one alert chart: CPU-bound work that grows with the load.
  }, 120_000);
});

describe('goldratio deploy-commands', () => {
  test('GIVEN --guild THEN the localized definitions are PUT to that guild; without it, globally, and npm start then has nothing to do', async () => {
    const dc = await FakeDiscord.start();
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(
      () => dc.close(),
      () => server.close(),
    );
    const dir = tempDir();
    const e = env(dir, server, dc);
    const guild = await runCliInProcess(['deploy-commands', '--guild', '800000000000000001'], e);
    expect(guild.stderr).toBe('');
    expect(guild.code).toBe(0);
    expect(guild.stdout).toMatch(/registered 16 slash commands in server 800000000000000001/);
    const [put] = dc.calls('PUT', /^\/applications\/\d+\/guilds\/800000000000000001\/commands$/);
    const ratio = put!.body.find((c: { name: string }) => c.name === 'ratio');
    expect(ratio.description_localizations['zh-TW']).toMatch(/黃金/);
    expect(ratio.options[0]).toMatchObject({ type: 3, name: 'pair', choices: [{ value: 'spx' }, { value: 'qqq' }] });
    expect(ratio.options[0].choices[0].name_localizations['zh-TW']).toMatch(/黃金/);
    expect(ratio.options[0].description_localizations['zh-TW']).toBeTruthy();
    const subscribe = put!.body.find((c: { name: string }) => c.name === 'subscribe');
    expect(subscribe.default_member_permissions).toBe('16');
    // chat/'s options, then the two only Discord has.
    expect(subscribe.options.map((o: { name: string }) => o.name)).toEqual(['pairs', 'levels', 'channel', 'role']);
    expect(ratio.default_member_permissions).toBeNull();
    // /mylevels lists for anyone; its add and remove are checked at run time (discord-bot.test.ts).
    expect(put!.body.find((c: { name: string }) => c.name === 'mylevels').default_member_permissions).toBeNull();
    expect(put!.body.find((c: { name: string }) => c.name === 'unsubscribe').default_member_permissions).toBe('16');

    const global = await runCliInProcess(['deploy-commands'], e);
    expect(global.code).toBe(0);
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(1);
    const db = openDatabase(join(dir, 'g.db'));
    expect(await new DiscordStore(onSqlite(db)).commandsHash('global')).toBe(registrationHash(FAKE_APP_ID));
    db.close();
    // A start after it registers nothing again.
    await start(e).then((a) => a.stop());
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(1);
  });

  test('GIVEN a bad --guild or no token THEN one line, exit 2, nothing sent', async () => {
    const dc = await FakeDiscord.start();
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(
      () => dc.close(),
      () => server.close(),
    );
    const dir = tempDir();
    const bad = await runCliInProcess(['deploy-commands', '--guild', 'my-server'], env(dir, server, dc));
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--guild: expected a Discord server id/);
    const noToken = await runCliInProcess(['deploy-commands'], { DATABASE_PATH: join(dir, 'g.db'), DATA_DIR: dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/needs DISCORD_TOKEN and DISCORD_APPLICATION_ID/);
    const refused = await runCliInProcess(['deploy-commands'], env(dir, server, dc, { DISCORD_TOKEN: 'not-it' }));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Discord refused DISCORD_TOKEN \(401\)/);
    expect(refused.stderr).not.toContain('not-it');
    expect(dc.calls('PUT', /commands$/).filter((r) => r.status === 200)).toHaveLength(0);
  });
});

describeWithPostgres('goldratio deploy-commands on PostgreSQL', () => {
  test('GIVEN DATABASE_URL THEN a global registration records its hash on PostgreSQL', async () => {
    const pg = await freshPgDatabase({ migrated: true });
    const dc = await FakeDiscord.start();
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(
      () => pg.drop(),
      () => dc.close(),
      () => server.close(),
    );
    const dir = tempDir();
    const { DATABASE_PATH: _, ...onServer } = env(dir, server, dc, { DATABASE_URL: pg.url });
    const r = await runCliInProcess(['deploy-commands'], onServer);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(dc.calls('PUT', COMMANDS_PUT)).toHaveLength(1);
    const store = await openPostgres(pg.url, { what: 'test', max: 1 });
    cleanups.push(() => store.close());
    expect(await new DiscordStore(onPostgres(store)).commandsHash('global')).toBe(registrationHash(FAKE_APP_ID));
  });
});
