/**
 * goldratio pointed at a hot standby (a read replica of the operator's database, or a former primary
 * after a failover): its pg_stat_activity holds its own sessions only, so `status` cannot see the
 * replicas, which run on the primary, and says so instead of "none connected"; a writing command is
 * refused in one line before any migration. On a real server in recovery, a cluster of the test's own.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess as cli } from '../helpers/cli.ts';
import { describeWithPgCluster, startCluster, type Cluster } from '../helpers/pg-cluster.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { STANDBY_LINE } from '../../src/cli/status.ts';

describeWithPgCluster('goldratio on a standby server', () => {
  let cluster: Cluster;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-standby-'));
    cluster = await startCluster();
    // The primary's life before the standby: migrated, as a goldratio start leaves it.
    await (await openPostgres(cluster.url, { what: 'test' })).close();
    cluster.restartAsStandby();
  }, 120_000);
  afterAll(() => {
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ DATABASE_URL: cluster.url, DATA_DIR: dir });

  test('GIVEN status on a standby THEN its replicas line says they are not seen from here and to point at the primary, in text and JSON, exit 0', async () => {
    const r = await cli(['status'], env());
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(STANDBY_LINE);
    expect(r.stdout).not.toMatch(/none connected/);
    const j = await cli(['status', '--json'], env());
    expect([j.code, j.stderr]).toEqual([0, '']);
    const doc = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(doc.standbyServer).toBe(true);
    expect(doc).not.toHaveProperty('replicas');
  });

  test('GIVEN a writing command on a standby THEN one line naming it as a standby and saying to point at the primary, exit 2', async () => {
    const r = await cli(['webhook', 'add', 'https://example.com/hook'], env());
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(
      /^goldratio webhook: DATABASE_URL: \S+ takes no writes \(a standby server, in recovery: a read replica, or a former primary after a failover\): point DATABASE_URL at the primary server\n$/,
    );
  });
});
