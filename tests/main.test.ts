/**
 * The whole bot as `npm start` runs it: the composition root against the local quote fake and the
 * local Telegram fake. A level break at the daily close reaches the console (no token) and a
 * subscribed Telegram chat, once, with its chart; a restart does not repeat it.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../src/store/engine.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { memoryLogger } from '../src/log.ts';
import { startApp, type App } from '../src/main.ts';
import { SubscriptionStore } from '../src/store/subscriptions.ts';
import { openDatabase } from '../src/store/db.ts';
import { MIGRATIONS } from '../src/store/migrations/index.ts';
import { breakNextWeek, startFlatMarket, weekdays, type QuoteServer } from './fakes/quote-server.ts';
import { FakeTelegram } from './fakes/telegram.ts';
import { sourcesAt } from './helpers/sources.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * What the starts below that are about the database (its migrations) turn off: the render worker
 * (~0.8 s of CPU to start) and the charts drawn ahead. The console case keeps both, as npm start has them.
 */
const NO_CHARTS = { CHART_WORKERS: '0', CHART_WARMUP: 'off' } as const;

function setup(server: QuoteServer, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-main-'));
  const vars = {
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    BACKFILL_FROM: '2024-01-02',
    ...sourcesAt(server.url),
    HTTP_RETRIES: '1',
    HTTP_BACKOFF_MS: '1',
    ...env,
  };
  const config = loadConfig(vars);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, config, vars };
}

async function start(config: ReturnType<typeof loadConfig>, out: string[], log = memoryLogger('warn')): Promise<App> {
  const app = await startApp(config, log, { out: (t) => out.push(t) });
  cleanups.push(() => app.stop());
  await app.ready; // the first sync and the bot's start run behind the running app
  return app;
}

describe('goldratio start, no tokens (the embedded default)', () => {
  test('GIVEN a break at the close THEN the console gets one alert with a chart, and a restart does not repeat it', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const { dir, config } = setup(server);
    const out: string[] = [];
    const log = memoryLogger('info');

    const app = await start(config, out, log);
    // The first start backfilled history and decided nothing about the past.
    expect(app.db.prepare('SELECT count(*) n FROM closes').get()).toMatchObject({ n: expect.any(Number) });
    expect(out).toEqual([]);
    expect((await new SubscriptionStore(onSqlite(app.db), { approachPct: 3, lang: 'en' }).get('console', 'console'))?.active).toBe(true);

    // Next week SPX/Gold closes above 2.5.
    breakNextWeek(server);
    await app.closeStep();
    // What the close decided, said once, by the alert pipeline.
    expect(log.lines.filter((l) => /level event\(s\)/.test(l))).toEqual([
      expect.stringMatching(/ INFO {2}\w+\/alerts: caught up: 1 level event\(s\), 0 move\(s\), 1 message\(s\) queued$/),
    ]);
    const alerts = out.join('\n');
    expect(alerts).toMatch(/SPX\/Gold/);
    expect(alerts).toMatch(/2\.5/);
    expect(out.filter((l) => l.startsWith('[alert ')).length).toBe(1);
    const pngs = readdirSync(join(dir, 'alerts')).filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(1);
    expect(readFileSync(join(dir, 'alerts', pngs[0]!)).subarray(0, 4)).toEqual(PNG);

    // Another close with nothing new sends nothing.
    await app.closeStep();
    expect(out.filter((l) => l.startsWith('[alert ')).length).toBe(1);
    await app.stop();

    // A restart catches up from stored closes and does not re-fire the decided event.
    const again: string[] = [];
    const app2 = await start(config, again);
    await app2.closeStep();
    expect(again.filter((l) => l.startsWith('[alert '))).toEqual([]);
  });

  test('GIVEN Yahoo’s gold a hundredth of itself for days on end and the LBMA fix in line THEN no level break is alerted: the ratio stays on the fix', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    server.setSeries(
      'gold_pm',
      weekdays('2024-01-02', '2025-03-21').map((date) => ({ date, value: 2001 })),
    );
    const { config } = setup(server, { CHART_WORKERS: '0', CHART_WARMUP: 'off' });
    const out: string[] = [];
    const app = await start(config, out);
    // Three close runs: each day GC=F reads 20 (SPX/Gold would be 245, past 2.5 and 5.5), repeating itself.
    for (const until of ['2025-03-17', '2025-03-18', '2025-03-19']) {
      const days = weekdays('2024-01-02', until);
      server.setSeries(
        'GC=F',
        days.map((date) => ({ date, value: date >= '2025-03-17' ? 20 : 2000 })),
      );
      server.setSeries(
        '^GSPC',
        days.map((date) => ({ date, value: 4900 })),
      );
      server.setSeries(
        'QQQ',
        days.map((date) => ({ date, value: 400 })),
      );
      await app.closeStep();
    }
    expect(out.filter((l) => l.startsWith('[alert '))).toEqual([]);
    expect(app.db.prepare("SELECT date, close, source FROM closes WHERE instrument = 'gold' AND date >= '2025-03-17' ORDER BY date").all()).toEqual(
      ['2025-03-17', '2025-03-18', '2025-03-19'].map((date) => ({ date, close: 2001, source: 'lbma' })),
    );
  });

  test('GIVEN every quote source unreachable THEN the bot still starts and logs, it does not crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-main-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'g.db'),
      DATA_DIR: dir,
      ...sourcesAt(),
      // No render worker (~0.8 s of CPU to start): the pool has its own tests (charts-pool, main).
      CHART_WORKERS: '0',
      HTTP_RETRIES: '0',
    });
    const log = memoryLogger('info');
    const app = await startApp(config, log, { out: () => {} });
    cleanups.push(() => app.stop());
    // Running before the history is loaded: the sync runs behind it.
    expect(log.lines.some((l) => l.includes('goldratio is running'))).toBe(true);
    expect(app.historyLoading()).toBe(true);
    await app.ready;
    expect(app.historyLoading()).toBe(false);
    const running = log.lines.findIndex((l) => l.includes('goldratio is running'));
    const failed = log.lines.findIndex((l) =>
      /closes spx 1999-03-10\.\.\d{4}-\d\d-\d\d failed, will retry at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \([^)]+\) while it has no history: yahoo could not be reached/.test(
        l,
      ),
    );
    expect(failed).toBeGreaterThan(running);
    // Each instrument's failure said once (gold's naming both of its sources), the fallback that was
    // tried, then one hint; nothing at error level, no retry chatter.
    expect(log.lines.filter((l) => / (WARN|ERROR) /.test(l)).map((l) => l.replace(/^.*? (WARN|ERROR)\s+\S+: /, '$1 '))).toEqual([
      expect.stringMatching(/^WARN yahoo could not be reached \(ECONNREFUSED: .*\) for GC=F; trying lbma$/),
      ...['spx', 'qqq', 'gold', 'm2'].map((i) =>
        expect.stringMatching(
          new RegExp(
            `^WARN closes ${i} ${i === 'm2' ? '1999-03-01' : '1999-03-10'}\\.\\.\\d{4}-\\d\\d-\\d\\d failed, will retry at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\([^)]+\\) while it has no history: \\w+ could not be reached`,
          ),
        ),
      ),
      expect.stringMatching(/^WARN no history yet: .*goldratio import/),
    ]);
    expect(log.lines.filter((l) => / retry \d+\//.test(l))).toEqual([]);
    expect(existsSync(join(dir, 'g.db'))).toBe(true);
  });
});

describe('goldratio start with a Telegram token', () => {
  test.each([
    ['this goldratio', false],
    ['an older goldratio, which kept no note of it', true],
  ])(
    'GIVEN the console subscription a tokenless first start of %s created WHEN a token is set THEN it is retired at start, said once; one the operator made again stays',
    async (_by, older) => {
      const server = await startFlatMarket('2025-03-14');
      const tg = await FakeTelegram.start();
      cleanups.push(
        () => server.close(),
        () => tg.close(),
      );
      const { config: tokenless, vars } = setup(server, { CHART_WORKERS: '0' });
      const first = await start(tokenless, []);
      if (older) first.db.prepare("DELETE FROM meta WHERE key = 'console.default_subscription'").run();
      await first.stop();
      const withToken = loadConfig({ ...vars, TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot });
      const log = memoryLogger('info');
      const second = await startApp(withToken, log, { out: () => {} });
      cleanups.push(() => second.stop());
      await second.ready;
      const subs = new SubscriptionStore(onSqlite(second.db), { approachPct: 3, lang: 'en' });
      expect(await subs.get('console', 'console')).toMatchObject({ active: false });
      expect(log.lines.filter((l) => /default console subscription is retired/.test(l))).toEqual([
        expect.stringMatching(/ INFO .*a chat platform is configured \(telegram\): the default console subscription is retired/),
      ]);
      // The operator subscribes the console again on purpose (/subscribe typed in the terminal): it stays.
      await subs.upsert('console', 'console', { active: true, deactivatedReason: null });
      await second.stop();
      const log3 = memoryLogger('info');
      const third = await startApp(withToken, log3, { out: () => {} });
      cleanups.push(() => third.stop());
      await third.ready;
      expect(await new SubscriptionStore(onSqlite(third.db), { approachPct: 3, lang: 'en' }).get('console', 'console')).toMatchObject({ active: true });
      expect(log3.lines.filter((l) => /console subscription/.test(l))).toEqual([]);
    },
  );

  test('GIVEN a user who subscribed through the bot THEN the close-time break reaches the chat as one photo', async () => {
    const server = await startFlatMarket('2025-03-14');
    const tg = await FakeTelegram.start();
    cleanups.push(
      () => server.close(),
      () => tg.close(),
    );
    // The photo drawn on the main thread (the console case above draws it in the worker).
    const { config } = setup(server, { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, CHART_WORKERS: '0' });
    const out: string[] = [];
    const app = await start(config, out);
    expect(tg.callsTo('setMyCommands').length).toBeGreaterThan(0);

    tg.textMessage(4242, '/subscribe spx');
    await tg.waitFor((c) => c.method === 'sendMessage' && c.chatId === '4242');
    tg.textMessage(4242, '/ratio');
    const photo = await tg.waitFor((c) => c.method === 'sendPhoto' && c.chatId === '4242');
    expect(photo.files[0]!.bytes.subarray(0, 4)).toEqual(PNG);

    breakNextWeek(server);
    const before = tg.callsTo('sendPhoto', 4242).length;
    await app.closeStep();
    const alerts = tg.callsTo('sendPhoto', 4242).slice(before);
    expect(alerts).toHaveLength(1);
    expect(String(alerts[0]!.params.caption)).toMatch(/SPX\/Gold/);
    // No console subscription when a bot is configured.
    expect(out).toEqual([]);
  });
});

describe('goldratio start on a database from before migration 019', () => {
  test('GIVEN a file holding gold dated Christmas 2024 THEN the start removes it and says so once, naming it; a restart says nothing more', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const { config } = setup(server, NO_CHARTS);
    const old = openDatabase(
      config.databasePath,
      MIGRATIONS.filter((m) => m.version < 19),
    );
    old.exec(`INSERT INTO closes (instrument, date, close, source, updated_at) VALUES ('gold', '2024-12-25', 2612.5, 'import:gold_daily.csv', 'x')`);
    old.close();
    const log = memoryLogger('info');
    const app = await start(config, [], log);
    const said = log.lines.filter((l) => l.includes('removed 1 gold close'));
    expect(said).toEqual([
      expect.stringMatching(
        / WARN .*removed 1 gold close dated a day London does not fix gold nor COMEX settle it: 2024-12-25 2612\.5 \(import:gold_daily\.csv\); each was an earlier price carried forward/,
      ),
    ]);
    expect(app.db.prepare("SELECT count(*) AS n FROM closes WHERE instrument = 'gold' AND date = '2024-12-25'").get()).toEqual({ n: 0 });
    await app.stop();
    const again = memoryLogger('info');
    await start(config, [], again);
    expect(again.lines.filter((l) => l.includes('removed'))).toEqual([]);
  });
});

describe('goldratio start on a database an older goldratio made', () => {
  test('GIVEN a file at schema 22 THEN the start says it upgraded it to 23, naming the migration; a restart says nothing of it; a new file is said created', async () => {
    const server = await startFlatMarket('2025-03-14');
    cleanups.push(() => server.close());
    const { config } = setup(server, NO_CHARTS);
    openDatabase(
      config.databasePath,
      MIGRATIONS.filter((m) => m.version <= 22),
    ).close();
    const log = memoryLogger('info');
    const app = await start(config, [], log);
    const latest = Math.max(...MIGRATIONS.map((m) => m.version));
    const upgrades = log.lines.filter((l) => l.includes('database schema'));
    expect(upgrades).toEqual([
      expect.stringMatching(
        latest === 23
          ? / INFO .*: database schema upgraded from version 22 to 23 \(023 stop-had\)$/
          : new RegExp(` INFO .*: database schema upgraded from version 22 to ${latest} \\(023 stop-had, `),
      ),
    ]);
    await app.stop();
    const again = memoryLogger('info');
    await start(config, [], again);
    expect(again.lines.filter((l) => l.includes('database schema'))).toEqual([]);

    const fresh = setup(server, NO_CHARTS);
    const first = memoryLogger('info');
    await start(fresh.config, [], first);
    expect(first.lines.filter((l) => l.includes('database schema'))).toEqual([
      expect.stringMatching(new RegExp(` INFO .*: database schema created \\(version ${latest}\\)$`)),
    ]);
  });
});
