/**
 * Quiet hours in SQLite: each chat's window (on its subscription row), and the outbox rows held
 * during it. The dispatcher holds an alert that is due inside its chat's window (status 'held',
 * next_at = the window's end); `release` turns a chat's held rows whose window ended into ONE
 * summary message (domain/quiet-summary.ts), queued like any other, and marks them 'merged', in
 * one transaction per chat. Held rows are outbox rows: a restart loses none of them.
 */
import type { Db } from './db.ts';
import type { Platform } from '../domain/platform.ts';
import { parseMessage } from '../domain/message.ts';
import { quietEnd, type QuietWindow } from '../domain/quiet-hours.ts';
import { quietSummary } from '../domain/quiet-summary.ts';

export interface Released {
  /** Chats whose held alerts went out again (as one summary, or as the one alert itself). */
  readonly chats: number;
  /** Held rows folded into summaries. */
  readonly merged: number;
}

/** Held rows read per release transaction. */
const RELEASE_BATCH = 2_000;

interface HeldRow {
  id: number;
  subscription_id: number;
  body: string;
  created_at: number;
  active: number;
  quiet_zone: string | null;
  timezone: string;
}

export class QuietStore {
  readonly #db: Db;
  readonly #window;
  readonly #set;
  readonly #retime;
  readonly #hold;
  readonly #dueHeld;
  readonly #anyDue;
  readonly #addMessage;
  readonly #toSub;
  readonly #merge;
  readonly #unhold;
  readonly #dead;

  constructor(db: Db) {
    this.#db = db;
    this.#window = db.prepare<[number], { quiet_start: string | null; quiet_end: string | null; quiet_zone: string | null }>(
      'SELECT quiet_start, quiet_end, quiet_zone FROM subscriptions WHERE id = ?',
    );
    this.#set = db.prepare('UPDATE subscriptions SET quiet_start = ?, quiet_end = ?, quiet_zone = ?, updated_at = ? WHERE id = ?');
    this.#retime = db.prepare("UPDATE outbox SET next_at = ? WHERE subscription_id = ? AND status = 'held'");
    this.#hold = db.prepare("UPDATE outbox SET status = 'held', next_at = ? WHERE id = ? AND status = 'pending'");
    // Through the small partial index of held rows, already in chat order.
    this.#dueHeld = db.prepare<[string, number, number], HeldRow>(
      `SELECT o.id, o.subscription_id, m.body, m.created_at, s.active, s.quiet_zone, s.timezone
         FROM outbox o JOIN messages m ON m.id = o.message_id JOIN subscriptions s ON s.id = o.subscription_id
        WHERE o.status = 'held' AND o.platform = ? AND o.next_at <= ?
        ORDER BY o.subscription_id, m.created_at, o.id LIMIT ?`,
    );
    this.#anyDue = db.prepare<[string, number], { one: number }>("SELECT 1 AS one FROM outbox WHERE status = 'held' AND platform = ? AND next_at <= ? LIMIT 1");
    this.#addMessage = db.prepare("INSERT INTO messages (kind, body, dedupe_key, created_at) VALUES ('alert', ?, ?, ?)");
    this.#toSub = db.prepare(
      `INSERT INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
       SELECT ?, s.id, s.platform, s.chat_id, ? FROM subscriptions s WHERE s.id = ?`,
    );
    this.#merge = db.prepare("UPDATE outbox SET status = 'merged', last_error = ? WHERE id = ? AND status = 'held'");
    // The chat may have moved (Telegram group → supergroup) while its rows were held.
    this.#unhold = db.prepare(
      "UPDATE outbox SET status = 'pending', next_at = ?, chat_id = (SELECT chat_id FROM subscriptions WHERE id = outbox.subscription_id) WHERE id = ? AND status = 'held'",
    );
    this.#dead = db.prepare("UPDATE outbox SET status = 'dead', last_error = 'chat unsubscribed during quiet hours' WHERE id = ? AND status = 'held'");
  }

  /** The chat's quiet window, or undefined when it has none. */
  window(subscriptionId: number): QuietWindow | undefined {
    const r = this.#window.get(subscriptionId);
    if (r?.quiet_start == null || r.quiet_end == null || r.quiet_zone == null) return undefined;
    return { start: r.quiet_start, end: r.quiet_end, zone: r.quiet_zone };
  }

  /**
   * Sets (or with null, clears) the chat's window. Alerts already held follow the new setting: they
   * wait for the new window's end if `nowMs` is inside it, else go out at the next drain.
   */
  set(subscriptionId: number, w: QuietWindow | null, nowMs: number): void {
    this.#db
      .transaction(() => {
        this.#set.run(w?.start ?? null, w?.end ?? null, w?.zone ?? null, nowMs, subscriptionId);
        this.#retime.run((w && quietEnd(nowMs, w)) ?? nowMs, subscriptionId);
      })
      .immediate();
  }

  /** Holds pending rows, each until the end of its chat's window, in one transaction. */
  hold(rows: readonly { readonly id: number; readonly until: number }[]): void {
    this.#db
      .transaction(() => {
        for (const r of rows) this.#hold.run(r.until, r.id);
      })
      .immediate();
  }

  /**
   * The held rows of a platform whose window has ended: per chat, one summary message queued (or
   * the alert itself when it was the only one), the rows marked 'merged'. Chats are done in batches,
   * each batch one transaction read and written together, so a crash sends nothing twice and a
   * morning with 10,000 quiet chats is a handful of commits, not 10,000.
   */
  release(platform: Platform, nowMs: number): Released {
    let chats = 0;
    let merged = 0;
    // Read first: a drain with nothing to release takes no write lock (every dispatch tick asks).
    if (this.#anyDue.get(platform, nowMs) === undefined) return { chats, merged };
    for (;;) {
      const r = this.#db.transaction(() => this.#releaseBatch(platform, nowMs)).immediate();
      chats += r.chats;
      merged += r.merged;
      if (!r.more) return { chats, merged };
    }
  }

  #releaseBatch(platform: Platform, nowMs: number): Released & { more: boolean } {
    const rows = this.#dueHeld.all(platform, nowMs, RELEASE_BATCH + 1);
    const more = rows.length > RELEASE_BATCH;
    const groups = new Map<number, HeldRow[]>();
    for (const row of rows) groups.set(row.subscription_id, [...(groups.get(row.subscription_id) ?? []), row]);
    // The last chat of a full batch may have rows beyond it: it waits for the next batch, whole.
    if (more && groups.size > 1) groups.delete(rows.at(-1)!.subscription_id);
    let chats = 0;
    let merged = 0;
    for (const [subId, held] of groups) {
      const first = held[0]!;
      if (first.active !== 1) {
        for (const row of held) this.#dead.run(row.id);
        continue;
      }
      chats++;
      if (held.length === 1) {
        this.#unhold.run(nowMs, first.id);
        continue;
      }
      const items = held.flatMap((row) => {
        const p = parseMessage(row.body);
        return p.ok ? [{ message: p.message, decidedAt: row.created_at }] : [];
      });
      const summary = quietSummary(items, first.quiet_zone ?? first.timezone);
      const messageId = Number(this.#addMessage.run(JSON.stringify(summary), `quiet:${subId}:${first.id}`, nowMs).lastInsertRowid);
      this.#toSub.run(messageId, nowMs, subId);
      for (const row of held) this.#merge.run(`in quiet-hours summary ${messageId}`, row.id);
      merged += held.length;
    }
    return { chats, merged, more };
  }

  /** Rows held now (all platforms, or one chat's). */
  heldCount(subscriptionId?: number): number {
    const r =
      subscriptionId === undefined
        ? this.#db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'held'").get()
        : this.#db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'held' AND subscription_id = ?").get(subscriptionId);
    return (r as { n: number }).n;
  }
}
