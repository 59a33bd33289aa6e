/**
 * A running replica stays in `goldratio status`'s list after the server ended its sessions (a
 * restart, a failover, pg_terminate_backend): a real `goldratio start` process whose election is
 * refused (the server's connection limit), so its pool is all it holds. Before, its pool's idle
 * session was not opened again until its next query, and an idle standby vanished from the list:
 * an operator read that as the replica being down. And a replica still starting (its migrations,
 * the wait for another's) is listed as starting, not as one whose election cannot connect.
 */
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { spawnBin } from '../helpers/process.ts';
import { sourcesAt } from '../helpers/sources.ts';
import { sleep } from '../../src/sleep.ts';
import { CLOCK_DRIVEN_ENV, SATURDAY, type Cleanups } from '../helpers/app.ts';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { THIS_PROCESS } from '../../src/store/leader.ts';

describeWithPostgres('a replica holding only its pool, after the server ended its sessions', () => {
  const cleanups: Cleanups = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  test('GIVEN a running replica whose election is refused, and every session of it ended by the server THEN status lists it again within seconds, as one that cannot lead', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    // The server at its connection limit for the election's own session; the pool's get through.
    proxy.refuse('goldratio replica ');
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-kept-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const replica = spawnBin(['start'], {
      DATABASE_URL: proxy.url,
      DATA_DIR: dir,
      HTTP_PORT: '0',
      CHART_WORKERS: '0',
      CHART_WARMUP: 'off',
      HTTP_RETRIES: '0',
      ...sourcesAt(),
    });
    cleanups.push(async () => {
      if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
      await replica.exited;
    });
    await replica.waitFor(/too many clients already \(53300\)/, 60_000);
    const name = `pid ${replica.child.pid}`;
    const env = { DATABASE_URL: d.url };
    const listed = async () => {
      const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as {
        replicas: { name: string; leads: boolean; election: boolean; starting: boolean }[];
      };
      return json.replicas.filter((r) => r.name.endsWith(name)).map((r) => [r.leads, r.election, r.starting]);
    };
    // Up: its pool's sessions renamed from "starting" (after its start's last line, not awaited), which
    // the termination below names. The election's first refusal can come before that: a fresh-clone CI
    // terminated no session there, the pool still named as starting.
    let up: unknown[] = [];
    for (let i = 0; i < 300 && JSON.stringify(up) !== JSON.stringify([[false, false, false]]); i++) {
      if (i > 0) await sleep(100);
      up = await listed();
    }
    expect(up).toEqual([[false, false, false]]);

    // What a server restart does to the replica's sessions: each ended by the server.
    // Every one of them: idle sessions of its pool not checked out since it was up still carry the
    // starting name (renamed at their next checkout), and a server restart ends those too.
    const ended = await adminQuery(d.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 OR application_name LIKE $2', [
      `goldratio pool % ${name}`,
      `goldratio starting % ${name}`,
    ]);
    expect(ended.rowCount).toBeGreaterThan(0);
    // Listed again within seconds (the pool opens its kept session again 2 s after it closed), with no command asked of it.
    let back: unknown[] = [];
    for (let i = 0; i < 100 && back.length === 0; i++) {
      await sleep(100);
      back = await listed();
    }
    expect(back).toEqual([[false, false, false]]);
  }, 90_000);

  test('GIVEN a replica still starting (held at its start’s first read), its election to be refused THEN status lists it as starting, and once it is up as one whose election has no session', async () => {
    const d = await freshPgDatabase({ migrated: true });
    cleanups.push(() => d.drop());
    const proxy = await pgProxy(d.url);
    cleanups.push(() => proxy.close());
    proxy.refuse('goldratio replica ');
    // The start's first read once the database is open (store/removed-closes.ts), kept back: the start waits there.
    const held = proxy.hold('"key" like');
    cleanups.push(() => held.release());
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-starting-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({ ...CLOCK_DRIVEN_ENV, DATABASE_URL: proxy.url, DATA_DIR: dir, CHART_WORKERS: '0', CHART_WARMUP: 'off', HTTP_RETRIES: '0' });
    const starting = startApp(config, memoryLogger('warn'), { out: () => {}, now: () => SATURDAY, skipInitialSync: true });
    cleanups.push(async () => (await starting.catch(() => undefined))?.stop());
    await held.seen;
    const env = { DATABASE_URL: d.url };
    const mine = async () => {
      const r = await cli(['status', '--json'], env);
      const json = JSON.parse(r.stdout) as { replicas: { name: string; leads: boolean; election: boolean; starting: boolean }[] };
      return { line: r.stdout, replicas: json.replicas.filter((x) => x.name === THIS_PROCESS).map((x) => [x.leads, x.election, x.starting]) };
    };
    expect((await mine()).replicas).toEqual([[false, false, true]]);
    expect((await cli(['status'], env)).stdout.split('\n')[1]).toBe(
      `replicas: 1 connected, none leads yet: a replica is still starting: ${THIS_PROCESS} (starting: not in the leader election yet)`,
    );

    held.release();
    await starting;
    let up: unknown[] = [];
    for (let i = 0; i < 100; i++) {
      up = (await mine()).replicas;
      if (JSON.stringify(up) === JSON.stringify([[false, false, false]])) break;
      await sleep(100);
    }
    expect(up).toEqual([[false, false, false]]);
    expect((await cli(['status'], env)).stdout.split('\n')[1]).toBe(
      `replicas: 1 connected, nobody can lead now: no replica has an election session: ${THIS_PROCESS} (no election session: it cannot lead; its log says why)`,
    );
  }, 60_000);
});
