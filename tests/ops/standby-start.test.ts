/**
 * What a replica says in the seconds of its start, before it knows its role and before it serves:
 * /readyz, goldratio_cannot_lead and the "standing by" line. Before, /readyz said "(standby)" and
 * goldratio_cannot_lead 0 ("could take over") before its election had answered at all, and
 * "standing by: another replica leads" came at the election's first try, while its platforms were
 * still starting and it answered nothing.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { ELECTION_UNANSWERED, startApp } from '../../src/main.ts';
import { electLeader } from '../../src/store/leader.ts';
import { sleep } from '../../src/sleep.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { startFlatMarket } from '../fakes/quote-server.ts';
import { SATURDAY, type Cleanups } from '../helpers/app.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { sourcesAt } from '../helpers/sources.ts';

async function until(f: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  for (let i = 0; i < ms / 25; i++) {
    if (await f()) return;
    await sleep(25);
  }
  throw new Error(`not within ${ms / 1000} s`);
}

describeWithPostgres('a standby in the seconds of its start', () => {
  const cleanups: Cleanups = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('GIVEN another replica leading, this one’s election not answered yet and then its Telegram start slow THEN /readyz names no role and goldratio_cannot_lead is empty until the election answers, and "standing by" is said once its start is done', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    let aLeads = false;
    const a = electLeader(d.url, { name: 'host-a pid 1', retryMs: 100, onLead: () => (aLeads = true), onLose: () => (aLeads = false) });
    cleanups.push(() => a.stop());
    await until(() => aLeads);

    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    // This replica's election: its first lock query kept back on the wire (a slow server, a busy network).
    const held = proxy.hold('pg_try_advisory_lock');
    const market = await startFlatMarket('2025-03-14');
    cleanups.push(() => market.close());
    const tg = await FakeTelegram.start();
    cleanups.push(() => tg.close());
    // Its Telegram start slow: the bot answers no command until getMe has answered.
    tg.slow('getMe', 4000);
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-standby-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      DATABASE_URL: proxy.url,
      DATA_DIR: dir,
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
      ...sourcesAt(market.url),
      HTTP_RETRIES: '0',
      HTTP_PORT: '0',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
    });
    const log = memoryLogger('info');
    const app = await startApp(config, log, { out: () => {}, now: () => SATURDAY });
    cleanups.push(() => app.stop());
    let started = false;
    void app.ready.then(() => (started = true));
    const base = `http://127.0.0.1:${app.ops!.port}`;
    const readyz = async () => (await (await fetch(`${base}/readyz`)).text()).split('\n')[0];
    const cannotLead = async () => /^goldratio_cannot_lead (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1];
    const standingBy = () => log.lines.some((l) => /standing by/.test(l));

    await held.seen;
    // The lock query waits on the wire (its deadline is 3 s): the role is not known yet.
    expect(await readyz()).toBe(`not ready (${ELECTION_UNANSWERED})`);
    expect(await cannotLead()).toBeUndefined();
    expect(standingBy()).toBe(false);

    held.release();
    await until(async () => (await readyz()) === 'not ready (standby)');
    // It knows it could take over; not ready yet (Telegram's start), so not "standing by" either.
    expect(await cannotLead()).toBe('0');
    expect(started).toBe(false);
    expect(standingBy()).toBe(false);

    await app.ready;
    await until(standingBy);
    expect(await readyz()).toBe('ready (standby)');
    const running = log.lines.findIndex((l) => /replica is running/.test(l));
    expect(running).toBeGreaterThanOrEqual(0);
    expect(log.lines.findIndex((l) => /standing by: another replica leads/.test(l))).toBeGreaterThan(running);
  }, 60_000);
});
