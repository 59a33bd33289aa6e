/**
 * A running replica stays in `goldratio status`'s list after the server ended its sessions (a
 * restart, a failover, pg_terminate_backend): a real `goldratio start` process whose election is
 * refused (the server's connection limit), so its pool is all it holds. Before, its pool's idle
 * session was not opened again until its next query, and an idle standby vanished from the list:
 * an operator read that as the replica being down.
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
import type { Cleanups } from '../helpers/app.ts';

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
      const json = JSON.parse((await cli(['status', '--json'], env)).stdout) as { replicas: { name: string; leads: boolean; election: boolean }[] };
      return json.replicas.filter((r) => r.name.endsWith(name)).map((r) => [r.leads, r.election]);
    };
    expect(await listed()).toEqual([[false, false]]);

    // What a server restart does to the replica's sessions: each ended by the server.
    const ended = await adminQuery(d.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1', [
      `goldratio pool % ${name}`,
    ]);
    expect(ended.rowCount).toBeGreaterThan(0);
    // Listed again within seconds (the pool opens its kept session again 2 s after it closed), with no command asked of it.
    let back: unknown[] = [];
    for (let i = 0; i < 100 && back.length === 0; i++) {
      await sleep(100);
      back = await listed();
    }
    expect(back).toEqual([[false, false]]);
  }, 90_000);
});
