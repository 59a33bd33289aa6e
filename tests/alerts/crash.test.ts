import { onSqlite } from '../../src/store/engine.ts';
import { describe, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { HttpNotifier } from '../fakes/http-notifier.ts';
import { startNotifierServer, type NotifierServer } from '../fakes/notifier-server.ts';
import { childScript } from '../helpers/child-script.ts';
import { WAIT_MS } from '../fakes/wait.ts';

const CHILD = fileURLToPath(new URL('../fakes/drain-child.ts', import.meta.url));
/** Enough chats that the kill lands mid-broadcast with room on both sides; more only takes longer. */
const CHATS = 300;
const KILL_AT = 100;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly out: string;
  /** From the child's "ready" (its start-up done) to its end: the pace the restart's deadline is computed from. */
  readonly workMs: number;
}

interface Bound {
  /**
   * How long the child may take to say "ready" (a Node start and the database's open: over 20 s at a
   * load of 30), past which it is killed and the run fails.
   */
  readonly startMs: number;
  /**
   * How long the child may then go without progress (each delivery the server records); past it the
   * child is killed and the run fails. A bound on the whole run (20 s once) was missed at a load of
   * 15-20, by a child still delivering (88 of 100): the pace is the machine's, a stall is the code's.
   */
  readonly stallMs: number;
  /** What the bound expects, said when it fails. */
  readonly expected: string;
}

/**
 * Runs the child; with `killAt`, SIGKILLs it once the server has recorded that many deliveries. With
 * `bound`, a child that stalls is killed and the run rejected, naming what was expected.
 */
function runChild(dbPath: string, server: NotifierServer, concurrency: number, opts: { killAt?: number; bound?: Bound } = {}) {
  return new Promise<Run>((resolve, reject) => {
    let readyAt: number | undefined;
    const child = spawn(process.execPath, [childScript(CHILD), dbPath, server.url, String(concurrency)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let failure: string | undefined;
    const fail = (why: string) => {
      if (failure !== undefined) return;
      failure = why;
      child.kill('SIGKILL');
    };
    const { killAt, bound } = opts;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const since = performance.now();
    let last = 'its start';
    /** (Re)arms the bound: called at the spawn (its start's), at "ready" and at each delivery (its stall's). */
    const progressed = (what: string) => {
      if (bound === undefined) return;
      last = what;
      const ms = readyAt === undefined ? bound.startMs : bound.stallMs;
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          fail(
            `the drain had not ended, and had not progressed for ${Math.round(ms)} ms since ${last}, ${Math.round(performance.now() - since)} ms after its start (${bound.expected}); ${server.deliveries.length} deliveries recorded`,
          ),
        ms,
      );
    };
    progressed('its start');
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (readyAt === undefined && out.includes('ready\n')) {
        readyAt = performance.now();
        progressed('its "ready"');
      }
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    server.onDelivery = (count) => {
      progressed(`delivery ${count}`);
      if (killAt !== undefined && count >= killAt && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    };
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      server.onDelivery = undefined;
      const end = performance.now();
      if (failure !== undefined) reject(new Error(`${failure}\nchild output: ${out.slice(-1500)}`));
      else resolve({ code, signal, out, workMs: end - (readyAt ?? end) });
    });
  });
}

/**
 * The restart, in this process: a new dispatcher on the file drains what the killed child left (its
 * claims released as a restarted bot's first drain releases them; the killed child is the process
 * that matters here, its restart needs none of its own). Bounded from the killed run's own pace on
 * this machine now: at most every chat once more plus what was in flight, or the drain is stopped
 * and the run fails at once; and by four times what the killed run's time per delivery makes for
 * the deliveries left, plus a second (a pace measured over a short run is noisy; a loaded machine
 * slows both runs alike). A drain that never marks a row sent resends it after its claim runs out
 * and never ends: the test would otherwise wait out its timeout.
 */
async function restart(dbPath: string, server: NotifierServer, concurrency: number, first: Run, afterKill: number): Promise<void> {
  const left = CHATS - afterKill + concurrency;
  const perDelivery = first.workMs / afterKill;
  const most = CHATS + concurrency;
  const deadlineMs = 4 * perDelivery * left + 1_000;
  const expected = `the ${CHATS - afterKill} chats left and at most ${concurrency} in flight again, ${most} deliveries in all, at the killed run's ${perDelivery.toFixed(1)} ms each`;
  const db = openDatabase(dbPath);
  const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
  const dispatcher = new Dispatcher(new OutboxStore(onSqlite(db)), subs, { notifiers: [new HttpNotifier(server.url)], concurrency });
  const stop = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    const fail = (why: string) => {
      stop.abort();
      reject(new Error(why));
    };
    server.onDelivery = (count) => {
      if (count > most) fail(`the restarted drain delivered ${count} messages, more than the ${most} expected (${expected}): a sent row was sent again`);
    };
    timer = setTimeout(
      () =>
        fail(`the restarted drain had not ended ${Math.round(deadlineMs)} ms after its start (${expected}); ${server.deliveries.length} deliveries recorded`),
      deadlineMs,
    );
  });
  const drained = dispatcher.drain(stop.signal);
  let settled = false;
  void drained.then(
    () => (settled = true),
    () => (settled = true),
  );
  try {
    await Promise.race([drained, failed]);
  } finally {
    clearTimeout(timer);
    server.onDelivery = undefined;
    // A drain stuck past its bound (the failure above) keeps its handle: closing it under the drain would only add errors.
    if (settled) db.close();
  }
}

describe('crash during a broadcast', () => {
  // The two at once: each waits mostly on its killed child and its sends one by one, each on its own
  // database, server and child.
  test.for([1, 8])(
    'GIVEN %i send(s) in flight and a SIGKILL mid-broadcast THEN after a restart every chat has the alert, at most that many twice',
    // The timeout is the last resort only: each run has its own bound, which names what it waited for.
    { concurrent: true, timeout: 180_000 },
    async (concurrency, { expect, onTestFinished }) => {
      const dir = mkdtempSync(join(tmpdir(), 'goldratio-crash-'));
      const dbPath = join(dir, 'crash.db');
      const server = await startNotifierServer();
      onTestFinished(async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      });

      const db = openDatabase(dbPath);
      const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
      db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < CHATS; i++) await subs.upsert('telegram', `chat-${i}`);
      db.exec('COMMIT');
      const pipeline = new AlertPipeline(new DecisionStore(onSqlite(db)), subs, { approachPct: 3, hysteresisPct: 1 });
      await pipeline.tick('spx-gold', { date: '2024-01-02', value: 2.3 }, 'close');
      const r = await pipeline.tick('spx-gold', { date: '2024-01-03', value: 2.6 }, 'close');
      expect(r.queued).toBe(CHATS);
      db.close();

      // Nothing to measure a pace by yet: the fakes' bound for a call that never comes, between any two
      // deliveries; three of it for the child's start, as a replica's start is given 60 s (replicas.ts).
      const first = await runChild(dbPath, server, concurrency, {
        killAt: KILL_AT,
        bound: { startMs: 3 * WAIT_MS, stallMs: WAIT_MS, expected: `${KILL_AT} deliveries, then the kill` },
      });
      expect(first.signal).toBe('SIGKILL');
      const afterKill = server.deliveries.length;
      expect(afterKill).toBeGreaterThanOrEqual(KILL_AT);
      expect(afterKill).toBeLessThan(CHATS);

      await restart(dbPath, server, concurrency, first, afterKill);

      const perChat = new Map<string, number>();
      for (const d of server.deliveries) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
      expect(perChat.size).toBe(CHATS);
      const twice = [...perChat.values()].filter((n) => n > 1);
      expect(twice.every((n) => n === 2)).toBe(true);
      expect(twice.length).toBeLessThanOrEqual(concurrency);
      const check = openDatabase(dbPath);
      expect(await new OutboxStore(onSqlite(check)).pendingCount()).toBe(0);
      check.close();
    },
  );
});
