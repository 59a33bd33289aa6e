/**
 * One leader among replicas, on a real PostgreSQL: the advisory lock on its own session. A
 * standby takes over when the leader stops or its process is SIGKILLed; a leader whose session
 * is ended under it (pg_terminate_backend) stops leading before anyone else starts.
 */
import { test } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { electLeader, type LeaderElection, sessionEnded } from '../../src/store/leader.ts';
import { adminQuery, describeWithPostgres, freshPgDatabase, PG } from '../helpers/postgres.ts';
import { openPostgres, postgresProblem } from '../../src/store/postgres.ts';
import { latestVersion, MIGRATIONS } from '../../src/store/migrations/index.ts';
import { childScript } from '../helpers/child-script.ts';
import { pgProxy } from '../helpers/pg-proxy.ts';
import { sleep } from '../../src/sleep.ts';
import { eventually } from '../helpers/eventually.ts';
import { cleanupsOf, type Later } from '../helpers/test-cleanups.ts';

/** Each test its own lock key: tests in parallel never see each other's leaders. */
let nextKey = 0x7e57_0000 + (process.pid % 0x1000) * 16;

interface Replica {
  readonly name: string;
  readonly election: LeaderElection;
  /** What happened to this replica, in order, with the time (performance.now()). */
  readonly log: { what: 'lead' | 'lose'; at: number; reason?: string }[];
}

function replica(later: Later, name: string, key: number, retryMs = 200, url = PG.url!): Replica {
  const log: Replica['log'] = [];
  const election = electLeader(url, {
    key,
    retryMs,
    heartbeatMs: 200,
    heartbeatTimeoutMs: 1000,
    onLead: () => log.push({ what: 'lead', at: performance.now() }),
    onLose: (reason) => {
      log.push({ what: 'lose', at: performance.now(), reason });
    },
  });
  later(() => election.stop());
  return { name, election, log };
}

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
  return performance.now() - t0;
}

/** A fresh database behind a pgProxy (tests/helpers/pg-proxy.ts), both gone when the test ends. */
async function proxied(later: Later, o: { migrated?: boolean } = {}) {
  const d = await freshPgDatabase(o);
  later(() => d.drop());
  const proxy = await pgProxy(d.url);
  later(() => proxy.close());
  return { d, proxy };
}

const leaders = (rs: readonly Replica[]) => rs.filter((r) => r.election.leading);

describeWithPostgres('leader election', () => {
  test.concurrent('GIVEN three replicas THEN exactly one leads; when it stops, another leads within a retry', async ({ expect, onTestFinished }) => {
    const later = cleanupsOf(onTestFinished);
    const key = nextKey++;
    const rs = [replica(later, 'a', key), replica(later, 'b', key), replica(later, 'c', key)];
    await until('a leader', () => leaders(rs).length === 1);
    // Several tries later, still exactly one.
    await sleep(700);
    expect(leaders(rs)).toHaveLength(1);
    const first = leaders(rs)[0]!;
    await first.election.stop();
    expect(first.log.map((e) => e.what)).toEqual(['lead', 'lose']);
    const waited = await until('a new leader', () => leaders(rs).length === 1);
    // A retry or a few (200 ms each), not a heartbeat timeout's worth of waiting: bounded loosely for a loaded machine.
    expect(waited).toBeLessThan(5000);
    expect(leaders(rs)[0]).not.toBe(first);
  });

  test.concurrent('GIVEN a newer goldratio migrates the database under a running leader (a rolling upgrade) THEN the old one lets go, stands by saying why once, the new one leads, and /readyz names it', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const d = await freshPgDatabase({ migrated: true });
    later(() => d.drop());
    const store = await openPostgres(d.url, { what: 'DATABASE_URL', max: 1 });
    later(() => store.close());
    const known = latestVersion(MIGRATIONS);
    const key = nextKey++;
    const said: string[] = [];
    const at = (name: string, knownSchema: number): Replica => {
      const log: Replica['log'] = [];
      const election = electLeader(d.url, {
        key,
        retryMs: 100,
        heartbeatMs: 100,
        heartbeatTimeoutMs: 1000,
        knownSchema,
        onLead: () => log.push({ what: 'lead', at: performance.now() }),
        onLose: (reason) => {
          log.push({ what: 'lose', at: performance.now(), reason });
        },
        onError: (message) => said.push(`${name}: ${message}`),
      });
      later(() => election.stop());
      return { name, election, log };
    };
    const old = at('old', known);
    await until('the old version leads', () => old.election.leading);
    const oldStandby = at('old standby', known);
    await sleep(300);
    expect(await postgresProblem(store)).toBeUndefined();

    await adminQuery(d.url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'next', 'now')", [known + 1]);
    const next = at('next', known + 1);
    await until('the new version leads', () => next.election.leading);
    const lost = old.log.find((e) => e.what === 'lose');
    expect(lost?.reason).toMatch(new RegExp(`was migrated by a newer goldratio \\(schema version ${known + 1}; this replica knows up to ${known}\\)`));
    // Many tries later: still standing by, said once.
    await sleep(600);
    expect(old.log.map((e) => e.what)).toEqual(['lead', 'lose']);
    expect(oldStandby.log).toEqual([]);
    expect(said).toEqual([
      expect.stringMatching(/^old standby: standing by: database postgres:\/\/[^ ]+ was migrated by a newer goldratio .*replace this replica/),
    ]);
    expect(await postgresProblem(store)).toMatch(
      /^postgres:\/\/[^ ]+ was migrated by a newer goldratio \(schema version \d+; this replica knows up to \d+\): replace this replica with the new version$/,
    );
  });

  test.concurrent('GIVEN a standby whose lock try is slow while a newer goldratio migrates and the old leader lets go THEN the standby, checking again under the lock, stands by and never leads', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    // The window: the standby finds the schema its own, the database is migrated and the old
    // leader lets go, then the standby's lock query arrives and finds the lock free.
    const { d, proxy } = await proxied(later, { migrated: true });
    const known = latestVersion(MIGRATIONS);
    const key = nextKey++;
    const holder = new pg.Client({ connectionString: d.url });
    await holder.connect();
    later(() => holder.end().catch(() => {}));
    expect((await holder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0]!.ok).toBe(true);
    const log: Replica['log'] = [];
    const said: string[] = [];
    const standby = electLeader(proxy.url, {
      key,
      retryMs: 100,
      heartbeatMs: 100,
      heartbeatTimeoutMs: 5000,
      knownSchema: known,
      onLead: () => log.push({ what: 'lead', at: performance.now() }),
      onLose: (reason) => log.push({ what: 'lose', at: performance.now(), reason }),
      onError: (message) => said.push(message),
    });
    later(() => standby.stop());
    await sleep(300);
    const slow = proxy.hold('pg_try_advisory_lock');
    await slow.seen;
    await adminQuery(d.url, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'next', 'now')", [known + 1]);
    await holder.query('SELECT pg_advisory_unlock($1)', [key]);
    slow.release();
    await until('the standby says why it stands by', () => said.length > 0);
    await sleep(500);
    expect(log).toEqual([]);
    expect(standby.leading).toBe(false);
    expect(said).toEqual([
      expect.stringMatching(/^standing by: database postgres:\/\/[^ ]+ was migrated by a newer goldratio \(schema version \d+; this replica knows up to \d+\)/),
    ]);
    // It let the lock go again: a replica of the new version can take it.
    expect((await holder.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key])).rows[0]!.ok).toBe(true);
  });

  test.concurrent('GIVEN a network that goes silent right after the connect (the session setup unanswered) THEN the try fails within the heartbeat deadline, that session is closed, and the next try leads', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const { d, proxy } = await proxied(later);
    const slow = proxy.hold('pg_backend_pid');
    later(() => slow.release());
    const said: string[] = [];
    let led = false;
    const election = electLeader(proxy.url, {
      key: nextKey++,
      retryMs: 100,
      heartbeatMs: 200,
      heartbeatTimeoutMs: 800,
      onLead: () => {
        led = true;
      },
      onLose: () => {},
      onError: (message) => said.push(message),
    });
    later(() => election.stop());
    await slow.seen;
    await until('the next try leads', () => led);
    expect(said).toEqual([expect.stringMatching(/^leader election: .*the session setup did not answer within 800 ms$/)]);
    // The held session is gone server side: only the leader's two (the lock's and the duties') remain.
    const sessions = async () =>
      Number((await adminQuery(d.url, 'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows[0].n);
    let n = await sessions();
    for (let i = 0; i < 100 && n !== 2; i++) {
      await sleep(50);
      n = await sessions();
    }
    expect(n).toBe(2);
  });

  // Alone: it counts the process's timers, which the others' elections would change.
  test('GIVEN a leader WHEN it stops THEN it leaves no timer running (the stopped process ends at once, not a heartbeat deadline later)', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const d = await freshPgDatabase({ migrated: true });
    later(() => d.drop());
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const r = replica(later, 'a', nextKey++, 100, d.url);
    await until('it leads', () => r.election.leading);
    await r.election.stop();
    // At most as many as before: the process's other timers (a pool's idle timer, one left by an
    // earlier file of this worker) may end meanwhile; the election's must not be among those left.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  test.concurrent.for([
    ['its session setup', 'pg_backend_pid'],
    ['its duties lock', 'pg_try_advisory_lock($1, $2)'],
  ] as const)(
    'GIVEN a replica stopped while waiting for %s THEN the answer that comes after leads nothing and its sessions are closed (else the stopped process would stay up)',
    async ([, query], { expect, onTestFinished }) => {
      const later = cleanupsOf(onTestFinished);
      const { d, proxy } = await proxied(later);
      const slow = proxy.hold(query);
      later(() => slow.release());
      let led = false;
      const election = electLeader(proxy.url, {
        key: nextKey++,
        retryMs: 100,
        heartbeatMs: 200,
        heartbeatTimeoutMs: 60_000,
        onLead: () => {
          led = true;
        },
        onLose: () => {},
      });
      await slow.seen;
      await election.stop();
      slow.release();
      const sessions = async () =>
        Number(
          (await adminQuery(d.url, 'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows[0].n,
        );
      let n = await sessions();
      for (let i = 0; i < 100 && n !== 0; i++) {
        await sleep(50);
        n = await sessions();
      }
      expect(n).toBe(0);
      expect(led).toBe(false);
      expect(election.leading).toBe(false);
    },
  );

  test.concurrent('GIVEN a leader whose session is terminated (pg_terminate_backend) THEN it stops leading before the standby starts', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const key = nextKey++;
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    const a = replica(later, 'a', key, 200, proxy.url);
    await until('a leads', () => a.election.leading);
    const b = replica(later, 'b', key);
    await sleep(500);
    expect(b.election.leading).toBe(false);
    // a tries again too once its session is gone, and on a loaded machine its try can reach the
    // freed lock before b's (then it leads again, rightly): its next try waits until b leads.
    const aBack = proxy.hold('pg_try_advisory_lock');
    await adminQuery(PG.url!, 'SELECT pg_terminate_backend($1)', [a.election.backendPid]);
    await until('b leads', () => b.election.leading);
    aBack.release();
    const lost = a.log.find((e) => e.what === 'lose');
    const led = b.log.find((e) => e.what === 'lead');
    expect(lost?.reason).toMatch(/connection .* (lost|closed)/);
    expect(lost!.at).toBeLessThan(led!.at);
    // The old leader comes back as a standby, not as a second leader.
    await sleep(800);
    expect(a.election.leading).toBe(false);
    expect(b.election.leading).toBe(true);
  });

  test.concurrent('GIVEN a query in flight when its session is terminated THEN its error reads as a lost session, and a failed statement does not', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    // The heartbeat can be the first to hear of a terminated session (its query fails before the
    // socket's own error event): the leader must then say "connection … lost", as it does on the event.
    const c = new pg.Client({ connectionString: PG.url! });
    c.on('error', () => {});
    await c.connect();
    later(() => c.end().catch(() => {}));
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const bad = await c.query('SELECT nope FROM nowhere').catch((e: unknown) => e);
    expect(sessionEnded(bad)).toBe(false);
    const sleeping = c.query('SELECT pg_sleep(10)').catch((e: unknown) => e);
    // Terminated once the server runs it (a fixed 100 ms could end the session before the query had
    // arrived, and the client then reads "Connection terminated unexpectedly", not the server's words).
    await eventually(
      async () =>
        (await adminQuery(PG.url!, "SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'", [pid])).rows.length >
        0,
    );
    await adminQuery(PG.url!, 'SELECT pg_terminate_backend($1)', [pid]);
    const ended = await sleeping;
    expect((ended as Error).message).toMatch(/terminating connection/);
    expect(sessionEnded(ended)).toBe(true);
    expect(sessionEnded(new Error('the heartbeat did not answer within 1000 ms'))).toBe(false);
  });

  test.concurrent('GIVEN a leader process SIGKILLed THEN a standby leads within 15 s (here: within a few retries)', async ({ expect, onTestFinished }) => {
    const later = cleanupsOf(onTestFinished);
    const key = nextKey++;
    const child = spawn(process.execPath, [childScript(fileURLToPath(new URL('../fakes/leader-child.ts', import.meta.url))), String(key)], {
      env: { ...process.env, URL: PG.url! },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    later(() => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('leading') && resolve());
      child.on('exit', () => reject(new Error('the child ended before leading')));
    });
    const b = replica(later, 'b', key, 500);
    await sleep(800);
    expect(b.election.leading).toBe(false);
    const t0 = performance.now();
    child.kill('SIGKILL');
    await until('b leads', () => b.election.leading, 15_000);
    const seconds = (performance.now() - t0) / 1000;
    expect(seconds).toBeLessThan(15);
  });

  test.concurrent('GIVEN an unreachable server THEN the election keeps trying, says why, and never leads', async ({ expect, onTestFinished }) => {
    const later = cleanupsOf(onTestFinished);
    const errors: string[] = [];
    const e = electLeader('postgres://u:pw-secret@127.0.0.1:1/db', {
      retryMs: 100,
      onLead: () => errors.push('LED'),
      onLose: () => {},
      onError: (m) => errors.push(m),
    });
    later(() => e.stop());
    await until('two failed tries', () => errors.length >= 2);
    expect(e.leading).toBe(false);
    expect(errors).not.toContain('LED');
    expect(errors[0]).toMatch(/^leader election: postgres:\/\/u@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    expect(errors.join()).not.toContain('pw-secret');
  });

  test.concurrent("GIVEN connect_timeout=2 in the URL and a server that never answers THEN a try gives up after about 2 s, not the election's own bound", async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const { proxy } = await proxied(later);
    proxy.silenceAll();
    const url = new URL(proxy.url);
    url.searchParams.set('connect_timeout', '2');
    let failed!: (message: string) => void;
    const first = new Promise<string>((resolve) => (failed = resolve));
    const t0 = performance.now();
    const election = electLeader(url.toString(), {
      key: nextKey++,
      retryMs: 60_000,
      // The election's own bound, far beyond the URL's: the try must end at the URL's.
      connectTimeoutMs: 60_000,
      onLead: () => {},
      onLose: () => {},
      onError: (message) => failed(message),
    });
    later(() => election.stop());
    const message = await first;
    const took = performance.now() - t0;
    expect(message).toMatch(/^leader election: postgres:\/\/\S+: .*timeout/);
    // Loose: a try may end late on a loaded machine, never before its 2 s, never near 60 s.
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(20_000);
  });
});
