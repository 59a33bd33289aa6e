/**
 * The leader's duties follow the lock: started when a replica leads, stopped when it stops, one
 * transition at a time, and never two replicas' duties up at once, on a real PostgreSQL.
 */
import { expect, test } from 'vitest';
import { type AddressInfo, createServer } from 'node:net';
import { electedLeadership, soleLeader, type Duties, type Leadership } from '../src/leadership.ts';
import { createLogger, memoryLogger, type Logger } from '../src/log.ts';
import { createMetrics } from '../src/ops/metrics.ts';
import { adminQuery, describeWithPostgres, PG } from './helpers/postgres.ts';
import { pgProxy } from './helpers/pg-proxy.ts';
import { cleanupsOf, type Later } from './helpers/test-cleanups.ts';

let nextKey = 0x1ead_0000 + (process.pid % 0x1000) * 16;
const log = createLogger('silent');

/** Every replica's duties write here: who is up, and whether two ever were at once. */
class Timeline {
  readonly up = new Set<string>();
  readonly events: string[] = [];
  overlap = false;
  duties(name: string, startMs = 0, stopMs = 0): Duties {
    return {
      start: async () => {
        await new Promise((r) => setTimeout(r, startMs));
        if (this.up.size > 0) this.overlap = true;
        this.up.add(name);
        this.events.push(`${name} up`);
      },
      stop: async (reason) => {
        await new Promise((r) => setTimeout(r, stopMs));
        this.up.delete(name);
        this.events.push(`${name} down (${reason})`);
      },
    };
  }
}

/** Waits for `ok`; how long it took (ms). */
async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<number> {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - t0;
}

/**
 * The old leader's next try for the lock (`proxy`: the old leader's way to the server), kept back
 * until `release()`. Once its session has ended, the old leader tries again as well, every retry:
 * on a loaded machine its try can reach the freed lock before the standby's, and it then leads
 * again (rightly: any replica may) while the test waits for the standby. Held back, the standby is
 * the one to take over, however slow the machine.
 */
function oldLeaderHeldBack(proxy: Awaited<ReturnType<typeof pgProxy>>): { release(): void } {
  return proxy.hold('pg_try_advisory_lock');
}

/** Ends the session holding the leader lock `key` (the one-bigint form: objsubid 1), as an operator or a failover of PostgreSQL would. */
async function endLockSession(key: number): Promise<void> {
  const held = await adminQuery(PG.url!, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND objsubid = 1 AND granted", [key]);
  expect(held.rows).toHaveLength(1);
  await adminQuery(PG.url!, 'SELECT pg_terminate_backend($1)', [held.rows[0].pid]);
}

function replica(later: Later, t: Timeline, name: string, key: number, stopMs = 0, said: Logger = log, url = PG.url!): Leadership {
  const l = electedLeadership(url, {
    log: said,
    duties: t.duties(name, 0, stopMs),
    election: { key, retryMs: 100, heartbeatMs: 200, heartbeatTimeoutMs: 1000 },
  });
  later(() => l.stop());
  return l;
}

test('GIVEN SQLite THEN the one process leads from the start, its duties up, and stop takes them down', async () => {
  const t = new Timeline();
  const metrics = createMetrics({ defaults: false });
  const l = await soleLeader({ log, duties: t.duties('only'), onChange: (r) => metrics.leader(r === 'leader') });
  expect([l.role(), l.leading(), [...t.up]]).toEqual(['leader', true, ['only']]);
  expect(await metrics.scrape()).toMatch(/^goldratio_leader 1$/m);
  await l.stop();
  expect(t.events).toEqual(['only up', 'only down (stopping)']);
});

/**
 * One replica electing through a pg proxy, leading once this resolves: the proxy to cut, and the
 * "leader election: …" records its log has said so far.
 */
async function leadingBehindProxy(later: Later) {
  const proxy = await pgProxy(PG.url!);
  later(() => proxy.close());
  const said = memoryLogger('info');
  const l = electedLeadership(proxy.url, {
    log: said,
    duties: new Timeline().duties('a'),
    election: { key: nextKey++, retryMs: 50, heartbeatMs: 100, heartbeatTimeoutMs: 1000 },
  });
  later(() => l.stop());
  await until('leading', () => l.leading());
  const unreachable = () => said.records.filter((r) => /^leader election: /.test(String(r.msg)));
  return { proxy, l, unreachable };
}

describeWithPostgres('leadership on PostgreSQL', () => {
  test.concurrent('GIVEN the server unreachable for many tries THEN the log says so once per outage, not once per try, and again after the server came back and went', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const { proxy, l, unreachable } = await leadingBehindProxy(later);
    // Said once the loss is noticed (within the heartbeat's timeout, later on a loaded machine);
    // then many more tries (every 50 ms) say nothing more.
    proxy.cut();
    await until('the outage said', () => unreachable().length > 0);
    await new Promise((r) => setTimeout(r, 600));
    expect(unreachable()).toHaveLength(1);
    expect(unreachable()[0]?.level).toBe('warn');
    proxy.restore();
    await until('leading again', () => l.leading());
    proxy.cut();
    await until('the second outage said', () => unreachable().length > 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(unreachable()).toHaveLength(2);
  });

  test.concurrent('GIVEN a server that takes each connection and drops it, now with a reset, now with a close THEN the outage is said once: one reason, however the socket heard it', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    // As a loaded machine's proxy or a balancer in front of a stopped server does: the client reads
    // "read ECONNRESET" or "Connection terminated unexpectedly" by the timing, and each change of
    // text was said as a new reason, a line every other try.
    let tries = 0;
    const dropper = createServer((s) => {
      s.on('error', () => {});
      s.once('data', () => (tries++ % 2 === 0 ? s.resetAndDestroy() : s.end()));
    });
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', () => r()));
    later(() => new Promise<void>((r) => dropper.close(() => r())));
    const said = memoryLogger('info');
    const l = electedLeadership(`postgres://u:pw@127.0.0.1:${(dropper.address() as AddressInfo).port}/db`, {
      log: said,
      duties: new Timeline().duties('a'),
      election: { key: nextKey++, retryMs: 20, heartbeatMs: 100, heartbeatTimeoutMs: 1000 },
    });
    later(() => l.stop());
    await until('six tries', () => tries >= 6);
    const lines = said.records.filter((r) => /^leader election: /.test(String(r.msg))).map((r) => String(r.msg));
    expect(lines).toEqual([
      expect.stringMatching(/^leader election: postgres:\/\/u@127\.0\.0\.1:\d+\/db: (read ECONNRESET|Connection terminated unexpectedly)$/),
    ]);
    expect(l.leading()).toBe(false);
  });

  test.concurrent('GIVEN the connection lost while a heartbeat is on its way THEN the outage is said once, not once for that heartbeat and again for the tries after it', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const { proxy, unreachable } = await leadingBehindProxy(later);
    // The heartbeat (it reads the schema's version) held on its way when the connection dies: it
    // fails after the session was dropped for the lost connection, and it was once said as a try of
    // its own ("Connection terminated"), then the next try's failure as a second line (a loaded
    // machine's heartbeat is often on its way).
    const beat = proxy.hold('schema_migrations');
    await beat.seen;
    proxy.cut();
    await until('the outage said', () => unreachable().length > 0);
    await new Promise((r) => setTimeout(r, 600));
    expect(unreachable().map((r) => r.msg)).toEqual([expect.stringMatching(/^leader election: postgres:\/\/\S+: (?!.*\(since )/)]);
  });

  test.concurrent('GIVEN two replicas THEN the logs say what is true: the first "leading" and never "standing by" before it, the second "standing by" once over many tries, then "leading" when it takes over', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const t = new Timeline();
    const key = nextKey++;
    const logs = { a: memoryLogger('info'), b: memoryLogger('info') };
    const a = replica(later, t, 'a', key, 0, logs.a);
    await until('a leads', () => a.leading());
    const b = replica(later, t, 'b', key, 0, logs.b);
    const said = (name: 'a' | 'b') => logs[name].lines.map((l) => l.replace(/^\S+ +\w+ +test: /, ''));
    // Its first try, whenever a loaded machine gets to it (a fixed 500 ms once saw none), then five
    // or so more, each finding the lock held.
    await until('b standing by', () => said('b').some((l) => /standing by/.test(l)));
    await new Promise((r) => setTimeout(r, 500));
    expect(said('a').filter((l) => /standing by|leading/.test(l))).toEqual([expect.stringMatching(/^leading: /)]);
    expect(said('b').filter((l) => /standing by|leading/.test(l))).toEqual(['standing by: another replica leads']);
    await a.stop();
    await until('b leads', () => b.leading());
    expect(said('b').filter((l) => /standing by|leading/.test(l))).toEqual(['standing by: another replica leads', expect.stringMatching(/^leading: /)]);
  });

  test.concurrent('GIVEN a standby that loses the server and reaches it again THEN it is told it reached it (its pruned notes written again): at its first try, and once after the outage', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const key = nextKey++;
    const t = new Timeline();
    const a = replica(later, t, 'a', key);
    await until('a leads', () => a.leading());
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    let reached = 0;
    const said = memoryLogger('info');
    const b = electedLeadership(proxy.url, {
      log: said,
      duties: t.duties('b'),
      election: { key, retryMs: 50, heartbeatMs: 100, heartbeatTimeoutMs: 1000 },
      onReached: () => reached++,
    });
    later(() => b.stop());
    await until('b reached the server', () => reached === 1);
    proxy.cut();
    await until('the outage said', () => said.lines.some((l) => l.includes('leader election: ')));
    expect(reached).toBe(1);
    proxy.restore();
    await until('b reached it again', () => reached === 2);
    expect(b.leading()).toBe(false);
  });

  test.concurrent('GIVEN two replicas THEN one runs the duties, the other stands by; when the leader stops, its duties end before the other starts', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const t = new Timeline();
    const key = nextKey++;
    // The leader takes 300 ms to stop its duties: the standby must not start in the meantime.
    const a = replica(later, t, 'a', key, 300);
    await until('a leads', () => a.leading() && t.up.has('a'));
    const b = replica(later, t, 'b', key);
    await new Promise((r) => setTimeout(r, 500));
    expect([a.role(), b.role()]).toEqual(['leader', 'standby']);
    await a.stop();
    await until('b leads', () => b.leading() && t.up.has('b'));
    expect(t.overlap).toBe(false);
    expect(t.events).toEqual(['a up', 'a down (stopping)', 'b up']);
  });

  test.concurrent('GIVEN the leader’s session is terminated THEN leading() turns false at once and its duties stop; a standby takes over; metrics count both changes', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const t = new Timeline();
    const key = nextKey++;
    const metrics = createMetrics({ defaults: false });
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    const a = electedLeadership(proxy.url, {
      log,
      duties: t.duties('a'),
      onChange: (r) => metrics.leader(r === 'leader'),
      election: { key, retryMs: 100, heartbeatMs: 200, heartbeatTimeoutMs: 1000 },
    });
    later(() => a.stop());
    await until('a leads', () => t.up.has('a'));
    expect(await metrics.scrape()).toMatch(/^goldratio_leader 1$/m);
    const b = replica(later, t, 'b', key);
    const aBack = oldLeaderHeldBack(proxy);
    await endLockSession(key);
    await until('a stops', () => !a.leading());
    await until('b leads', () => t.up.has('b'));
    aBack.release();
    expect(t.events.slice(0, 2)).toEqual(['a up', expect.stringMatching(/^a down \(/)]);
    expect(t.overlap).toBe(false);
    const text = await metrics.scrape();
    expect(text).toMatch(/^goldratio_leader_changes_total 2$/m);
    expect(text).toMatch(/^goldratio_leader 0$/m);
    expect(b.role()).toBe('leader');
  });
  test.concurrent('GIVEN the leader’s session is ended while its duties take a while to stop THEN the standby starts its own only after they have stopped', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const t = new Timeline();
    const key = nextKey++;
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    const a = replica(later, t, 'a', key, 600, log, proxy.url);
    await until('a leads', () => t.up.has('a'));
    replica(later, t, 'b', key);
    const aBack = oldLeaderHeldBack(proxy);
    await endLockSession(key);
    await until('b leads', () => t.up.has('b'));
    aBack.release();
    expect(t.events).toEqual(['a up', expect.stringMatching(/^a down \(connection .* (lost|closed)/), 'b up']);
    expect(t.overlap).toBe(false);
    expect(a.leading()).toBe(false);
  });

  test.concurrent('GIVEN the leader never hears that its session ended (the network lost the server’s goodbye) THEN the standby waits for its heartbeat to fail and its duties to stop before starting its own', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    const t = new Timeline();
    const key = nextKey++;
    const a = replica(later, t, 'a', key, 0, log, proxy.url);
    await until('a leads', () => t.up.has('a'));
    replica(later, t, 'b', key);
    const aBack = oldLeaderHeldBack(proxy);
    // a's first connection is its lock's session: the server ends it (and frees the lock), a is not told.
    proxy.silence(0);
    await until('b leads', () => t.up.has('b'));
    aBack.release();
    expect(t.events).toEqual(['a up', expect.stringMatching(/^a down \(.*heartbeat did not answer/), 'b up']);
    expect(t.overlap).toBe(false);
    expect(a.leading()).toBe(false);
  });

  test.concurrent('GIVEN an old leader whose duties never finish stopping THEN the standby leads anyway after a heartbeat and its timeout, ends the old duties’ session and says so', async ({
    expect,
    onTestFinished,
  }) => {
    const later = cleanupsOf(onTestFinished);
    const t = new Timeline();
    const key = nextKey++;
    const said = memoryLogger();
    const proxy = await pgProxy(PG.url!);
    later(() => proxy.close());
    // a’s duties take 2.5 s to stop: far longer than b’s wait (heartbeat 200 ms + timeout 1,000 ms).
    replica(later, t, 'a', key, 2500, log, proxy.url);
    await until('a leads', () => t.up.has('a'));
    const b = replica(later, t, 'b', key, 0, said);
    const aBack = oldLeaderHeldBack(proxy);
    await endLockSession(key);
    const waited = await until('b leads', () => t.up.has('b'));
    aBack.release();
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(b.leading()).toBe(true);
    expect(said.records.map((r) => `${r.level} ${r.msg}`)).toContainEqual(
      expect.stringMatching(/^warn taking over: the previous leader’s duties did not stop within 1200 ms; ended its session \(pid \d+\)$/),
    );
    // Nobody holds the duties lock but b: the old one's session is gone.
    const duty = await adminQuery(PG.url!, "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND objsubid = 2 AND granted", [
      key,
    ]);
    expect(duty.rows[0].n).toBe(1);
  });
});
