/**
 * Replicas of the real bin on one PostgreSQL database, for tests/failover.test.ts and
 * bench/failover.ts: a seeded alert (2,000 Telegram chats by default), N replicas started as
 * `npm start` starts them (DATABASE_URL, Telegram in webhook mode against the fake), and their
 * roles read from /readyz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { FakeTelegram } from '../fakes/telegram.ts';
import { spawnBin, type Child } from './process.ts';
import { heldPort } from './held-port.ts';
import { opsPortOf } from './ops-port.ts';
import { synthetic } from './telegram-harness.ts';
import { openPostgres } from '../../src/store/postgres.ts';
import { onPostgres } from '../../src/store/engine.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { MarketView } from '../../src/store/market-view.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { AlertPipeline } from '../../src/alerts/pipeline.ts';
import { DecisionStore } from '../../src/store/decisions.ts';
import { sourcesAt } from './sources.ts';

/** The webhook's secret every replica is started with. */
export const SECRET = 'failover-secret';

export async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Replica {
  readonly name: string;
  readonly child: Child;
  readonly http: number;
  readonly webhook: number;
}

/**
 * The replica's role from /readyz ('leader', 'standby'), or undefined when it does not answer
 * (refused: not listening yet; or no answer within 10 s). /readyz answers within its 0.8 s probe
 * bound on an idle machine, but a replica on 2 cores loaded to 20 took over the 1 s this waited
 * once, and a test asserting both roles read "undefined" for a leader. A refused connection ends
 * the fetch at once, so polling with it costs no more.
 */
export async function roleOf(r: Replica): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${r.http}/readyz`, { signal: AbortSignal.timeout(10_000) });
    // A standby whose election cannot connect says "(standby, cannot lead)": a standby still.
    return /\((leader|standby)(?:, cannot lead)?\)/.exec(await res.text())?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Seeds closes, `chats` Telegram chats (2,000) and one level break on the database, as a leader
 * would have decided it: on the closes' last two dates, so that its chart has data and a
 * replica's catch-up finds nothing newer to decide (one broadcast, of photos).
 */
export async function seed(url: string, chats: number): Promise<number> {
  const pg = await openPostgres(url, { what: 'test', max: 4 });
  try {
    const store = onPostgres(pg);
    const quotes = new QuoteStore(store);
    const today = new Date().toISOString().slice(0, 10);
    const spx = synthetic(today, 400, 5600, 400, 40, 'test');
    const gold = synthetic(today, 400, 3000, 150, 55, 'test');
    // SPX/Gold at 2.3 on the second-to-last close and 2.6 on the last: the break of 2.5 is in the
    // closes themselves (a decision on other ratios would read as a corrected close to the next leader).
    const goldOn = (date: string) => gold.find((g) => g.date === date)!.close;
    for (const [i, ratio] of [
      [spx.length - 2, 2.3],
      [spx.length - 1, 2.6],
    ] as const) {
      spx[i] = { ...spx[i]!, close: Math.round(goldOn(spx[i]!.date) * ratio * 100) / 100 };
    }
    await quotes.upsertCloses('spx', spx);
    await quotes.upsertCloses('qqq', synthetic(today, 400, 480, 40, 35, 'test'));
    await quotes.upsertCloses('gold', gold);
    const subs = new SubscriptionStore(store, { approachPct: 3, lang: 'en' });
    await subs.ready();
    // The first chat as /start writes it (its row and its watches), the others copied from it.
    await subs.upsert('telegram', '100000');
    const columns = async (table: string, but: string) => {
      const { rows } = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ${table} AND column_name <> ${but} AND column_name <> 'id'`.execute(store.k);
      return rows.map((r) => `"${r.column_name}"`).join(', ');
    };
    const subCols = await columns('subscriptions', 'chat_id');
    await sql
      .raw(
        `INSERT INTO subscriptions (${subCols}, chat_id) SELECT ${subCols}, (100000 + g)::text FROM subscriptions, generate_series(1, ${chats - 1}) g WHERE chat_id = '100000'`,
      )
      .execute(store.k);
    const watchCols = await columns('sub_watches', 'subscription_id');
    await sql
      .raw(
        `INSERT INTO sub_watches (${watchCols}, subscription_id) SELECT ${watchCols
          .replaceAll('"', '')
          .split(', ')
          .map((c) => `w."${c}"`)
          .join(', ')}, s.id
         FROM sub_watches w JOIN subscriptions f ON f.id = w.subscription_id AND f.chat_id = '100000' JOIN subscriptions s ON s.chat_id <> '100000'`,
      )
      .execute(store.k);
    const pipeline = new AlertPipeline(new DecisionStore(store), subs, { approachPct: 3, hysteresisPct: 1 });
    const ratio = (await new MarketView(quotes).snapshot()).ratio('spx-gold');
    await pipeline.tick('spx-gold', ratio.at(-2)!, 'close');
    const r = await pipeline.tick('spx-gold', ratio.at(-1)!, 'close');
    return r.queued;
  } finally {
    await pg.close();
  }
}

/**
 * Started as `npm start` starts them, on ports no other process can take between their choice and
 * the replica's listen: the ops server on HTTP_PORT=0 (the kernel's free port at the listen, read
 * back from the replica's "ops server on" line), the webhook on a held port (TELEGRAM_WEBHOOK_PORT
 * takes no 0: the load balancer's configuration names it), held until the replica is gone.
 */
export async function startReplicas(
  url: string,
  fake: FakeTelegram,
  n: number,
  opts: { rate: number; cleanup: (f: () => unknown) => void; env?: Readonly<Record<string, string>> },
): Promise<Replica[]> {
  const launch = async (i: number): Promise<Omit<Replica, 'http'>> => {
    const held = await heldPort();
    const webhook = held.port;
    const dir = mkdtempSync(join(tmpdir(), `goldratio-replica-${i}-`));
    const child = spawnBin(['start'], {
      DATABASE_URL: url,
      DATA_DIR: dir,
      HTTP_PORT: '0',
      LOG_FORMAT: 'json',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      // The public address (TLS is the load balancer's); the replica listens on plain HTTP at the port.
      TELEGRAM_WEBHOOK_URL: `https://127.0.0.1:${webhook}/telegram`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_WEBHOOK_PORT: String(webhook),
      TELEGRAM_RATE: String(opts.rate),
      // The queue is drained every second; what a dead leader had claimed is free 10 s later.
      CRON_DISPATCH: '* * * * * *',
      OUTBOX_LEASE_SECONDS: '10',
      // No quote source: the seeded closes are the data.
      ...sourcesAt(),
      HTTP_RETRIES: '0',
      CHART_WARMUP: 'off',
      CHART_WORKERS: '0',
      ...opts.env,
    });
    opts.cleanup(async () => {
      if (child.child.exitCode === null) child.child.kill('SIGKILL');
      await child.exited;
      await held.release();
      rmSync(dir, { recursive: true, force: true });
    });
    return { name: `replica-${i}`, child, webhook };
  };
  const launched: Omit<Replica, 'http'>[] = [];
  for (let i = 0; i < n; i++) launched.push(await launch(i));
  const replicas = await Promise.all(launched.map(async (r) => ({ ...r, http: await opsPortOf(r.child, 60_000) })));
  // In webhook mode, Telegram POSTs to a replica only after its setWebhook (which the bot sends
  // once its server listens): a test that posts a command waits for that too. /readyz answers
  // earlier, and leadership can come before the platform's start under load (CI saw a refused
  // connection to the webhook of a replica that already led).
  const webhookMode = opts.env?.TELEGRAM_WEBHOOK_URL !== '';
  const told = (r: Omit<Replica, 'http'>) =>
    fake.calls.some((c) => c.method === 'setWebhook' && c.status === 200 && String(c.params.url).includes(`:${r.webhook}/`));
  try {
    await until('every replica answering /readyz', async () => (await Promise.all(replicas.map(roleOf))).every((x) => x !== undefined) || undefined, 60_000);
    if (webhookMode) await until("every replica's webhook set", () => replicas.every(told) || undefined, 60_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}; replicas said: ${replicas.map((r) => `${r.name}: ${r.child.stderr().slice(-600)}`).join(' | ')}`);
  }
  return replicas;
}
