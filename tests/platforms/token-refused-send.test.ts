/**
 * A send answered 401 (the token revoked in @BotFather, reset in the Developer Portal, while the bot
 * runs) through the app: /readyz, goldratio_platform_up and _off_reason and `goldratio status` say
 * the token was refused, as they do for getUpdates' or the gateway's refusal, where they said
 * nothing while polling or the gateway had not met it; and Telegram's clears when a send is taken
 * again. On SQLite and PostgreSQL (status reads the note from the store).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp, type App } from '../../src/main.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { FAKE_APP_ID, FakeDiscord } from '../fakes/discord.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { until } from '../helpers/replicas.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { sourcesAt } from '../helpers/sources.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ALERT = { title: 'SPX/Gold broke above 2.5', lines: ['2.510 on 2026-11-24'] };

/** The app on `database` (a file in its folder, or a PostgreSQL URL), its clock the test's. */
async function boot(database: { url?: string }, platformEnv: Record<string, string>, clock: { now: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-token-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dbEnv = database.url === undefined ? { DATABASE_PATH: join(dir, 'g.db') } : { DATABASE_URL: database.url };
  const env = { ...dbEnv, DATA_DIR: dir, CHART_WORKERS: '0', CHART_WARMUP: 'off', HTTP_PORT: '0', ...sourcesAt(), ...platformEnv };
  const log = memoryLogger('info');
  const app = await startApp(loadConfig(env), log, { out: () => {}, skipInitialSync: true, now: () => clock.now });
  cleanups.push(() => app.stop());
  await app.ready;
  // A replica sends once it leads.
  await until('the app leads', () => app.leadership.leading() || undefined, 10_000);
  const readyz = async () => (await fetch(`http://127.0.0.1:${app.ops!.port}/readyz`)).text();
  const gauges = async (platform: string) =>
    (await app.metrics.scrape())
      .split('\n')
      .filter(
        (l) =>
          l.startsWith(`goldratio_platform_up{platform="${platform}"}`) ||
          (l.startsWith(`goldratio_platform_off_reason{platform="${platform}"`) && l.endsWith(' 1')),
      );
  const status = async () => (await runCliInProcess(['status'], env)).stdout;
  return { app, log, env, readyz, gauges, status };
}

/** One alert queued for `chatId`, as a decision queues it. */
async function queue(app: App, platform: 'telegram' | 'discord', chatId: string, now: number): Promise<void> {
  const subs = new SubscriptionStore(app.store, { approachPct: 3, lang: 'en' });
  const sub = await subs.upsert(platform, chatId);
  await new OutboxStore(app.store).enqueue('alert', ALERT, [sub.id], { nowMs: now });
}

function telegramSuite(database: () => Promise<{ url?: string }>, replicas: boolean) {
  return () => {
    test('GIVEN a send answered 401 while polling has not met it THEN /readyz, the gauges and status say the token was refused; a send taken again clears all three', async () => {
      const fake = await FakeTelegram.start();
      cleanups.push(() => fake.close());
      const clock = { now: Date.now() };
      const b = await boot(await database(), { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot }, clock);
      expect(await b.gauges('telegram')).toEqual(['goldratio_platform_up{platform="telegram"} 1']);

      // Revoked: the sends are refused; getUpdates, waiting in its long poll, has not met it yet.
      fake.fault('*', { kind: 'unauthorized' });
      await queue(b.app, 'telegram', '91', clock.now);
      await b.app.dispatcher.drain();
      expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([401]);
      const said = 'the Telegram token was refused (401 Unauthorized): revoked in @BotFather? Set TELEGRAM_BOT_TOKEN and restart goldratio';
      // It said "ready" and goldratio_platform_up 1 while every alert waited on the refusal.
      // (With replicas the leader's kept lead is said between the two, below, as soon as the watch heard the refusal.)
      expect(await b.readyz()).toMatch(new RegExp(`^not ready \\(leader\\)\\n(leader: [^\\n]+\\n)?telegram: not sending: ${literal(said)}\\n`));
      expect(await b.gauges('telegram')).toEqual([
        'goldratio_platform_up{platform="telegram"} 0',
        'goldratio_platform_off_reason{platform="telegram",reason="token_refused"} 1',
      ]);
      const line = await until('status says it', async () => (await b.status()).split('\n').find((l) => l.startsWith('telegram:')), 10_000);
      const since = 'since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z';
      if (replicas) {
        // One replica, the leader: it keeps the lead, said on /readyz and by status.
        expect(line).toMatch(
          new RegExp(
            `^telegram: token refused on .+ pid \\d+ ${since}, which keeps the lead \\(a standby runs with the same token and would be refused too\\): not sending: ${literal(said)}$`,
          ),
        );
        expect((await b.readyz()).split('\n').slice(0, 3)).toEqual([
          'not ready (leader)',
          "leader: the lead is kept with telegram's token refused: a standby runs with the same token and would be refused too, and the schedule, the dispatcher and the other platforms run on here",
          `telegram: not sending: ${said}`,
        ]);
      } else {
        expect(line).toMatch(new RegExp(`^telegram: token refused ${since}: not sending: ${literal(said)}$`));
        expect(await b.readyz()).toMatch(/^not ready \(leader\)\ntelegram: /);
      }

      const asJson = JSON.parse((await runCliInProcess(['status', '--json'], b.env)).stdout) as { tokenRefused?: unknown };
      expect(asJson.tokenRefused).toEqual([
        { platform: 'telegram', by: expect.stringMatching(/ pid \d+$/), since: expect.stringMatching(/Z$/), leads: replicas, reason: `not sending: ${said}` },
      ]);

      // Taken again (a 401 Telegram took back): the row's next try, past its outage wait, goes out.
      fake.clearFaults();
      clock.now += 10 * 60_000;
      await b.app.dispatcher.drain();
      expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([401, 200]);
      expect(await b.readyz()).toMatch(/^ready \(leader\)\n/);
      expect(await b.gauges('telegram')).toEqual(['goldratio_platform_up{platform="telegram"} 1']);
      await until('status no longer says it', async () => !(await b.status()).includes('telegram:') || undefined, 10_000);
      expect(b.log.lines.join('\n')).not.toMatch(/\n\s+at /);
    }, 30_000);
  };
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe(
  'a send refused the token (sqlite)',
  telegramSuite(async () => ({}), false),
);
describeWithPostgres(
  'a send refused the token (postgres)',
  telegramSuite(async () => {
    const pg = await freshPgDatabase({ migrated: true });
    cleanups.push(() => pg.drop());
    return { url: pg.url };
  }, true),
);

test('GIVEN Discord answering a send 401 (the token reset while the gateway runs) THEN /readyz, the gauges and status say DISCORD_TOKEN was refused, until a restart', async () => {
  const dc = await FakeDiscord.start();
  cleanups.push(() => dc.close());
  const clock = { now: Date.now() };
  const b = await boot({}, { DISCORD_TOKEN: dc.token, DISCORD_APPLICATION_ID: FAKE_APP_ID, DISCORD_API_BASE: dc.api }, clock);
  expect(await b.gauges('discord')).toEqual(['goldratio_platform_up{platform="discord"} 1']);
  (dc as unknown as { token: string }).token = 'reset-in-the-portal';
  await queue(b.app, 'discord', '760000000000000009', clock.now);
  await b.app.dispatcher.drain();
  const said = 'Discord refused DISCORD_TOKEN (401): reset in the Developer Portal? Set DISCORD_TOKEN and restart goldratio';
  expect(await b.readyz()).toMatch(new RegExp(`^not ready \\(leader\\)\\ndiscord: not sending: ${literal(said)}\\n`));
  expect(await b.gauges('discord')).toEqual([
    'goldratio_platform_up{platform="discord"} 0',
    'goldratio_platform_off_reason{platform="discord",reason="token_refused"} 1',
  ]);
  await until('status says it', async () => (await b.status()).split('\n').find((l) => l.startsWith('discord: token refused since')), 10_000);
  // Stopped, the note goes with the process: status of a file no bot runs on says nothing of it.
  await b.app.stop();
  expect(await b.status()).not.toMatch(/token refused/);
}, 30_000);
