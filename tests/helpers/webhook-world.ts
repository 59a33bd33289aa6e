/** A world with a local webhook receiver: `webhook add` through the CLI, a real notifier and dispatcher on its SQLite file. */
import { expect } from 'vitest';
import { onSqlite } from '../../src/store/engine.ts';
import { WebhookNotifier } from '../../src/platforms/webhook/notifier.ts';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { MetaStore } from '../../src/store/meta.ts';
import { WebhookStore } from '../../src/store/webhooks.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { makeWorld, type World } from './telegram-harness.ts';
import { runCliInProcess } from './cli.ts';
import { WebhookReceiver } from '../fakes/webhook-receiver.ts';
import type { RetrySpan } from '../../src/domain/retry-span.ts';

/**
 * A clock the test moves: a hook's retries are minutes and hours apart (domain/retry-span.ts), so
 * the dispatcher and notifier read this, and `toNextTry` moves it to the next pending row's due time.
 */
export class TestClock {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Drains at the clock's time, then moves it to the next pending webhook row's try, `steps` times or until `done`. */
export async function drainOnClock(world: World, d: Dispatcher, clock: TestClock, done: () => boolean | Promise<boolean>, steps = 200): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await d.drain();
    await d.settled();
    if (await done()) return;
    // Rows due already wait behind a chat's earlier row: the next try is the first one to come.
    const next = world.db.prepare("SELECT min(next_at) t FROM outbox WHERE status = 'pending' AND platform = 'webhook' AND next_at > ?").get(clock.ms) as {
      t: number | null;
    };
    if (next.t === null) return;
    clock.ms = next.t;
  }
  throw new Error(`not done after ${steps} drains`);
}

export interface HookWorld {
  readonly world: World;
  readonly rx: WebhookReceiver;
  readonly hooks: WebhookStore;
  cli(...args: string[]): ReturnType<typeof runCliInProcess>;
  /** `webhook add` of the receiver's `path`; the hook's id and (json) secret as printed. */
  add(path: string, ...opts: string[]): Promise<{ id: string; secret: string | undefined }>;
  notifier(o?: { timeoutMs?: number; now?: () => number; retrySpan?: RetrySpan }): WebhookNotifier;
  /**
   * `now`: a clock of the test's (the notifier's should be the same), for retries hours apart; the
   * subscriptions it deactivates are stamped by it too, as main.ts gives every part one clock.
   */
  dispatcher(notifier: WebhookNotifier, backoffMs?: number, now?: () => number): Dispatcher;
  close(): Promise<void>;
}

export async function hookWorld(): Promise<HookWorld> {
  const world = makeWorld();
  const rx = await WebhookReceiver.start();
  const env = { DATABASE_PATH: world.config.databasePath, DATA_DIR: world.config.dataDir };
  const hooks = new WebhookStore(new MetaStore(onSqlite(world.db)));
  const cli = (...args: string[]) => runCliInProcess(args, env);
  return {
    world,
    rx,
    hooks,
    cli,
    async add(path, ...opts) {
      const r = await cli('webhook', 'add', rx.url(path), ...opts);
      expect(r.code, r.stderr).toBe(0);
      return { id: /added webhook (wh_[0-9a-f]+)/.exec(r.stdout)?.[1] ?? '', secret: /^([0-9a-f]{64})$/m.exec(r.stdout)?.[1] };
    },
    // The receiver answers in this process, beside the test's own work (a digest's charts drawn, a
    // CLI child waited on): at load 20-30 a 5 s deadline ran out on a POST it had not yet read, and
    // the retry made "5 sent of 6". A test about the deadline gives its own.
    notifier: (o = {}) => new WebhookNotifier({ store: hooks, log: world.log, rate: 1000, timeoutMs: o.timeoutMs ?? 30_000, ...o }),
    dispatcher: (notifier, backoffMs = 1, now) =>
      new Dispatcher(
        new OutboxStore(onSqlite(world.db)),
        now === undefined
          ? world.deps.subs
          : new SubscriptionStore(onSqlite(world.db), { approachPct: world.config.approachPct, lang: world.config.defaultLang, now }),
        {
          notifiers: [notifier],
          charts: world.charts,
          log: world.log,
          backoffMs,
          ...(now !== undefined && { now }),
        },
      ),
    async close() {
      await rx.close();
      world.cleanup();
    },
  };
}
