/**
 * The outbox: messages the bot sends on its own (alerts, digests), stored when they are decided
 * and drained by the dispatcher (src/alerts/dispatcher.ts).
 *
 * A message is stored once (kind + platform-neutral JSON body, see src/domain/message.ts); a row
 * per chat points at it and records that chat's delivery: status, attempts, when to try next, and
 * how many parts (photo, then text) already went out, so a crash resumes at the missing part.
 */
import type { Db } from './db.ts';
import type { Platform } from '../domain/platform.ts';
import type { Lang } from '../domain/i18n/index.ts';
import type { Message, MessageKind } from '../domain/message.ts';

export interface OutboxRow {
  readonly id: number;
  readonly messageId: number;
  readonly kind: MessageKind;
  /** The stored Message as JSON (domain/message.ts parseMessage reads it). */
  readonly body: string;
  readonly subscriptionId: number;
  readonly platform: Platform;
  readonly chatId: string;
  /** The chat's language now (texts are built at send time). */
  readonly lang: Lang;
  /** The chat's mention for messages that ask for one (a Discord role id), or null. */
  readonly mention: string | null;
  /** The chat's forum topic (Telegram message_thread_id), or null. */
  readonly threadId: number | null;
  readonly attempts: number;
  /** Parts of this message already delivered to this chat. */
  readonly partsSent: number;
}

/** An outbox row as SQL reads it (joined with its message and subscription), on either engine. */
export interface OutboxRowColumns {
  id: number;
  message_id: number;
  kind: string;
  body: string;
  subscription_id: number;
  platform: string;
  chat_id: string;
  lang: string;
  mention: string | null;
  thread_id: number | null;
  attempts: number;
  parts_sent: number;
}

/** The one mapping of those columns to an OutboxRow (the single-process queue and the replicas' claims). */
export function outboxRow(r: OutboxRowColumns): OutboxRow {
  return {
    id: r.id,
    messageId: r.message_id,
    kind: r.kind as MessageKind,
    body: r.body,
    subscriptionId: r.subscription_id,
    platform: r.platform as Platform,
    chatId: r.chat_id,
    lang: r.lang as Lang,
    mention: r.mention,
    threadId: r.thread_id,
    attempts: r.attempts,
    partsSent: r.parts_sent,
  };
}

export interface Enqueued {
  readonly messageId: number;
  /** Rows written (chats to send to); 0 when the message was queued before under the same key. */
  readonly queued: number;
}

export class OutboxStore {
  readonly #db: Db;
  readonly #addMessage;
  readonly #byKey;
  readonly #fanOut;
  readonly #fanOutApproach;
  readonly #toSub;
  readonly #due;
  readonly #part;
  readonly #sent;
  readonly #retry;
  readonly #defer;
  readonly #dead;

  constructor(db: Db) {
    this.#db = db;
    this.#addMessage = db.prepare('INSERT INTO messages (kind, body, dedupe_key, created_at) VALUES (?, ?, ?, ?)');
    this.#byKey = db.prepare<[string], { id: number }>('SELECT id FROM messages WHERE dedupe_key = ?');
    const base = `INSERT OR IGNORE INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
      SELECT ?, s.id, s.platform, s.chat_id, ?
        FROM sub_watches w JOIN subscriptions s ON s.id = w.subscription_id
       WHERE w.watch_key = ? AND s.active = 1 AND (s.muted_until IS NULL OR s.muted_until <= ?)`;
    this.#fanOut = db.prepare(`${base} AND w.approach_only = 0`);
    this.#fanOutApproach = db.prepare(`${base} AND w.wants_approach = 1`);
    this.#toSub = db.prepare(
      `INSERT OR IGNORE INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
       SELECT ?, s.id, s.platform, s.chat_id, ? FROM subscriptions s WHERE s.id = ? AND s.active = 1`,
    );
    this.#due = db.prepare<[string, number, number], OutboxRowColumns>(
      `SELECT o.id, o.message_id, m.kind, m.body, o.subscription_id, o.platform, o.chat_id, s.lang, s.mention, s.thread_id, o.attempts, o.parts_sent
         FROM outbox o JOIN subscriptions s ON s.id = o.subscription_id JOIN messages m ON m.id = o.message_id
        WHERE o.status = 'pending' AND o.platform = ? AND o.next_at <= ?
        ORDER BY o.next_at, o.id LIMIT ?`,
    );
    this.#part = db.prepare('UPDATE outbox SET parts_sent = ? WHERE id = ?');
    this.#sent = db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?");
    this.#retry = db.prepare('UPDATE outbox SET next_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?');
    this.#defer = db.prepare('UPDATE outbox SET next_at = ?, last_error = ? WHERE id = ?');
    this.#dead = db.prepare("UPDATE outbox SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?");
  }

  /**
   * Queues `message` for the chats of `subscriptionIds` (inactive chats are skipped), in one
   * transaction. With `dedupeKey`, a message already queued under that key is not queued again:
   * a job that crashed after enqueueing and runs again sends nothing twice.
   */
  enqueue(kind: MessageKind, message: Message, subscriptionIds: readonly number[], opts: { dedupeKey?: string; nowMs?: number } = {}): Enqueued {
    return this.#db
      .transaction(() => {
        const now = opts.nowMs ?? Date.now();
        if (opts.dedupeKey !== undefined) {
          const existing = this.#byKey.get(opts.dedupeKey);
          if (existing !== undefined) return { messageId: existing.id, queued: 0 };
        }
        const messageId = this.addMessage(kind, message, opts.dedupeKey ?? null, now);
        let queued = 0;
        for (const id of subscriptionIds) queued += this.#toSub.run(messageId, now, id).changes;
        return { messageId, queued };
      })
      .immediate();
  }

  /** Stores a message without recipients (the alert pipeline fans it out by watch). Call inside a unit of work. */
  addMessage(kind: MessageKind, message: Message, dedupeKey: string | null, nowMs: number): number {
    return Number(this.#addMessage.run(kind, JSON.stringify(message), dedupeKey, nowMs).lastInsertRowid);
  }

  /**
   * One row per chat that takes an event of this watch: active, watching it, not muted at `nowMs`.
   * Call inside a unit of work. Returns the number of rows written.
   */
  fanOut(messageId: number, watchKey: string, isApproach: boolean, nowMs: number): number {
    const stmt = isApproach ? this.#fanOutApproach : this.#fanOut;
    return stmt.run(messageId, nowMs, watchKey, nowMs).changes;
  }

  /** Pending rows of a platform due at `nowMs`, oldest first. */
  due(platform: Platform, nowMs: number, limit: number): OutboxRow[] {
    return this.#due.all(platform, nowMs, limit).map(outboxRow);
  }

  /** `parts` parts of the row's message are delivered: a resumed send starts after them. */
  markPartsSent(id: number, parts: number): void {
    this.#part.run(parts, id);
  }

  markSent(id: number, nowMs: number): void {
    this.#sent.run(nowMs, id);
  }

  /** A failed try: counts an attempt and waits until `atMs`. */
  reschedule(id: number, atMs: number, reason: string): void {
    this.#retry.run(atMs, reason, id);
  }

  /** Not tried (the platform is paused): waits until `atMs` without counting an attempt. */
  defer(id: number, atMs: number, reason: string): void {
    this.#defer.run(atMs, reason, id);
  }

  markDead(id: number, reason: string): void {
    this.#dead.run(reason, id);
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

  /** A row as stored (tests and the CLI read it): status, attempts, parts delivered, last error. */
  row(id: number): { status: 'pending' | 'sent' | 'dead'; attempts: number; partsSent: number; nextAt: number; lastError: string | null } | undefined {
    const r = this.#db
      .prepare<[number], { status: 'pending' | 'sent' | 'dead'; attempts: number; parts_sent: number; next_at: number; last_error: string | null }>(
        'SELECT status, attempts, parts_sent, next_at, last_error FROM outbox WHERE id = ?',
      )
      .get(id);
    return r && { status: r.status, attempts: r.attempts, partsSent: r.parts_sent, nextAt: r.next_at, lastError: r.last_error };
  }
}
