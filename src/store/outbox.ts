/**
 * The outbox: one row per (event, chat), written in the same transaction as the event.
 * A row stays 'pending' until its send is decided; after a crash, pending rows are simply sent
 * (only a send in flight at the moment of the crash can repeat).
 */
import type { Db } from './db.ts';
import type { Platform } from '../domain/platform.ts';
import type { Lang } from '../domain/i18n/index.ts';

export interface OutboxRow {
  readonly id: number;
  readonly eventId: number;
  readonly subscriptionId: number;
  readonly platform: Platform;
  readonly chatId: string;
  /** The chat's language now (texts are built at send time). */
  readonly lang: Lang;
  readonly attempts: number;
}

export class OutboxStore {
  readonly #db: Db;
  readonly #fanOut;
  readonly #fanOutApproach;
  readonly #due;
  readonly #sent;
  readonly #retry;
  readonly #dead;

  constructor(db: Db) {
    this.#db = db;
    const base = `INSERT INTO outbox (event_id, subscription_id, platform, chat_id, created_at)
      SELECT ?, s.id, s.platform, s.chat_id, ?
        FROM sub_watches w JOIN subscriptions s ON s.id = w.subscription_id
       WHERE w.watch_key = ? AND s.active = 1 AND (s.muted_until IS NULL OR s.muted_until <= ?)`;
    this.#fanOut = db.prepare(`${base} AND w.approach_only = 0`);
    this.#fanOutApproach = db.prepare(`${base} AND w.wants_approach = 1`);
    this.#due = db.prepare<[string, number, number], { id: number; event_id: number; subscription_id: number; platform: string; chat_id: string; lang: string; attempts: number }>(
      `SELECT o.id, o.event_id, o.subscription_id, o.platform, o.chat_id, s.lang, o.attempts
         FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id
        WHERE o.status = 'pending' AND o.platform = ? AND o.next_at <= ?
        ORDER BY o.next_at, o.id LIMIT ?`,
    );
    this.#sent = db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?");
    this.#retry = db.prepare('UPDATE outbox SET next_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.#dead = db.prepare("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?");
  }

  /**
   * One row per chat that takes this event: active, watching it, not muted at `nowMs`.
   * Call inside the pipeline's transaction. Returns the number of rows written.
   */
  fanOut(eventId: number, watchKey: string, isApproach: boolean, nowMs: number): number {
    const stmt = isApproach ? this.#fanOutApproach : this.#fanOut;
    return stmt.run(eventId, nowMs, watchKey, nowMs).changes;
  }

  /** Pending rows of a platform due at `nowMs`, oldest first. */
  due(platform: Platform, nowMs: number, limit: number): OutboxRow[] {
    return this.#due.all(platform, nowMs, limit).map((r) => ({
      id: r.id, eventId: r.event_id, subscriptionId: r.subscription_id, platform: r.platform as Platform,
      chatId: r.chat_id, lang: r.lang as Lang, attempts: r.attempts,
    }));
  }

  markSent(id: number, nowMs: number): void {
    this.#sent.run(nowMs, id);
  }

  reschedule(id: number, atMs: number, reason: string): void {
    this.#retry.run(atMs, reason, id);
  }

  markDead(id: number, reason: string): void {
    this.#dead.run(reason, id);
  }

  /** Pushes every pending row of a platform to no earlier than `atMs` (a global 429). */
  pausePlatform(platform: Platform, atMs: number): void {
    this.#db.prepare("UPDATE outbox SET next_at = max(next_at, ?) WHERE platform = ? AND status = 'pending'").run(atMs, platform);
  }

  /** A dead chat's other pending rows will never be delivered either. */
  dropPendingOf(subscriptionId: number, reason: string): void {
    this.#db.prepare("UPDATE outbox SET status = 'dead', last_error = ? WHERE subscription_id = ? AND status = 'pending'").run(reason, subscriptionId);
  }

  pendingCount(platform?: Platform): number {
    const r =
      platform === undefined
        ? this.#db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending'").get()
        : this.#db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND platform = ?").get(platform);
    return (r as { n: number }).n;
  }

  /** Platforms with pending rows. */
  pendingPlatforms(): Platform[] {
    return (this.#db.prepare("SELECT DISTINCT platform FROM outbox WHERE status = 'pending'").all() as { platform: string }[]).map(
      (r) => r.platform as Platform,
    );
  }

  /** The earliest next_at of a platform's pending rows, if any. */
  nextDue(platform: Platform): number | undefined {
    const r = this.#db.prepare("SELECT min(next_at) AS t FROM outbox WHERE status = 'pending' AND platform = ?").get(platform) as { t: number | null };
    return r.t ?? undefined;
  }
}
