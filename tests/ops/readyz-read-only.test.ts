/**
 * A running replica whose server stops taking writes: a former primary rejoining at its address as a
 * standby after a failover (a server in recovery), or a database set default_transaction_read_only.
 * The replica leads and answers reads as before while every write fails "in a read-only
 * transaction"; /readyz says so (503, naming which and what to do), and is ready again once the
 * server takes writes. On a real standby (a cluster of the test's own) and on the shared server.
 */
import { afterEach, expect, test } from 'vitest';
import { bootApp, type Cleanups } from '../helpers/app.ts';
import { until } from '../helpers/replicas.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase, PG } from '../helpers/postgres.ts';
import { describeWithPgCluster, startCluster } from '../helpers/pg-cluster.ts';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function readyz(base: string): Promise<{ status: number; lines: string[] }> {
  const r = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: r.status, lines: (await r.text()).trim().split('\n') };
}

describeWithPgCluster('a replica whose server turns standby under it', () => {
  test('GIVEN a leading replica WHEN its server restarts in recovery (a former primary rejoining as a standby) THEN /readyz is 503 naming a standby and saying to point at the primary', async () => {
    const cluster = await startCluster();
    cleanups.push(() => cluster.stop());
    const { base } = await bootApp(cleanups, { databaseUrl: cluster.url });
    await until('ready', async () => ((await readyz(base)).status === 200 ? true : undefined), 30_000);
    cluster.restartAsStandby();
    const said = await until(
      'not ready',
      async () => {
        const r = await readyz(base);
        // Past the restart's own moment of "unavailable": the line of a server that answers and takes no writes.
        return r.status === 503 && r.lines.some((l) => /^database: .* takes no writes/.test(l)) ? r : undefined;
      },
      60_000,
    );
    expect(said.lines).toContain(
      `database: ${cluster.url} takes no writes (a standby server, in recovery: a read replica, or a former primary after a failover): point DATABASE_URL at the primary server`,
    );
  }, 120_000);
});

describeWithPostgres('a replica whose database is set read-only under it', () => {
  test('GIVEN a leading replica WHEN its database is set default_transaction_read_only and its sessions renewed THEN /readyz is 503 saying so and how to undo it; set back THEN ready again', async () => {
    const db = await freshPgDatabase({ migrated: true });
    cleanups.push(() => db.drop());
    const { base } = await bootApp(cleanups, { databaseUrl: db.url });
    await until('ready', async () => ((await readyz(base)).status === 200 ? true : undefined), 30_000);
    // From the server's own database: a session of the read-only one could not set it back.
    const admin = PG.url!;
    // Existing sessions keep what they started with: the pool's are ended, as a restart of the server would.
    const renew = () => adminQuery(admin, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [db.name]);
    await adminQuery(admin, `ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
    await renew();
    const said = await until(
      'not ready',
      async () => {
        const r = await readyz(base);
        return r.status === 503 && r.lines.some((l) => /takes no writes/.test(l)) ? r : undefined;
      },
      60_000,
    );
    expect(said.lines).toContainEqual(
      expect.stringMatching(
        /^database: postgres:\/\/\S+ takes no writes \(default_transaction_read_only is on\): turn it off \(ALTER DATABASE … SET default_transaction_read_only = off\), or point DATABASE_URL at a database that takes writes$/,
      ),
    );
    await adminQuery(admin, `ALTER DATABASE "${db.name}" SET default_transaction_read_only = off`);
    await renew();
    await until('ready again', async () => ((await readyz(base)).status === 200 ? true : undefined), 60_000);
  }, 120_000);
});
