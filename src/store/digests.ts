/**
 * Digest schedules and sent digests. A minute's work is one transaction: the due chats are read
 * through the index on digest_next_due, grouped by what they share (time, zone, due instant, last
 * close), and each group is decided once (domain/digest-schedule decideDue) and written with two
 * set-based statements: its digest rows (INSERT OR IGNORE: unique per chat and local date) and its
 * next due instant. So 100,000 chats at 08:00 Asia/Taipei cost one decision and two statements.
 */
import type { Db } from './db.ts';
import type { Platform } from '../alerts/notifier.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { dateInZone } from '../domain/dates.ts';
import { decideDue, nextDue, previousDue } from '../domain/digest-schedule.ts';

export interface DigestSetting {
  readonly subscriptionId: number;
  /** 'HH:MM', or null when the digest is off. */
  readonly time: string | null;
  readonly timezone: string;
  readonly nextDue: number | null;
  readonly lastDate: string | null;
  readonly lastClose: string | null;
}

export interface DueReport {
  /** Digest rows written (queued for sending). */
  readonly queued: number;
  /** Chats whose digest was already written for that local date (a second tick, a restart). */
  readonly duplicates: number;
  /** No US close since the chat's previous digest time (or its data missing): nothing that day. */
  readonly noClose: number;
  /** Chats skipped for the day because the bot was down more than 6 hours past their time. */
  readonly tooLate: number;
  readonly groups: number;
}

export interface PendingDigest {
  readonly id: number;
  readonly subscriptionId: number;
  readonly platform: Platform;
  readonly chatId: string;
  readonly lang: Lang;
  readonly localDate: string;
  readonly closeDate: string;
  readonly attempts: number;
}

interface Group {
  digest_time: string;
  timezone: string;
  digest_next_due: number;
  digest_last_close: string | null;
  n: number;
}

const GROUP_WHERE = 'digest_next_due = ? AND digest_time = ? AND timezone = ? AND digest_last_close IS ?';

export class DigestStore {
  readonly #db: Db;
  readonly #groups;
  readonly #enqueue;
  readonly #advance;
  readonly #advanceSent;
  readonly #pending;

  constructor(db: Db) {
    this.#db = db;
    this.#groups = db.prepare<[number], Group>(
      `SELECT digest_time, timezone, digest_next_due, digest_last_close, count(*) AS n
         FROM subscriptions WHERE digest_next_due IS NOT NULL AND digest_next_due <= ?
        GROUP BY digest_next_due, digest_time, timezone, digest_last_close`,
    );
    // The one place a digest enters a queue. When the typed outbox carries digests, this becomes
    // its insert (kind 'digest', keyed by this row) in the same transaction.
    this.#enqueue = db.prepare(
      `INSERT OR IGNORE INTO digests (subscription_id, local_date, close_date, platform, chat_id, created_at, next_at)
       SELECT id, ?, ?, platform, chat_id, ?, ? FROM subscriptions WHERE ${GROUP_WHERE}`,
    );
    this.#advance = db.prepare(`UPDATE subscriptions SET digest_next_due = ? WHERE ${GROUP_WHERE}`);
    this.#advanceSent = db.prepare(
      `UPDATE subscriptions SET digest_next_due = ?, digest_last_date = ?, digest_last_close = ? WHERE ${GROUP_WHERE}`,
    );
    this.#pending = db.prepare<[string, number, number], { id: number; subscription_id: number; platform: string; chat_id: string; lang: string; local_date: string; close_date: string; attempts: number }>(
      `SELECT d.id, d.subscription_id, d.platform, d.chat_id, s.lang, d.local_date, d.close_date, d.attempts
         FROM digests d JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.status = 'pending' AND d.platform = ? AND d.next_at <= ?
        ORDER BY d.next_at, d.id LIMIT ?`,
    );
  }

  get(subscriptionId: number): DigestSetting | undefined {
    const r = this.#db
      .prepare<[number], { id: number; digest_time: string | null; timezone: string; digest_next_due: number | null; digest_last_date: string | null; digest_last_close: string | null }>(
        'SELECT id, digest_time, timezone, digest_next_due, digest_last_date, digest_last_close FROM subscriptions WHERE id = ?',
      )
      .get(subscriptionId);
    return r && { subscriptionId: r.id, time: r.digest_time, timezone: r.timezone, nextDue: r.digest_next_due, lastDate: r.digest_last_date, lastClose: r.digest_last_close };
  }

  /**
   * Sets a chat's digest time and zone (the chat's zone too) and its next due instant after
   * `nowMs`; `time` null turns it off. A digest already sent today is not sent again today.
   */
  set(subscriptionId: number, time: string | null, timezone: string, nowMs: number): DigestSetting {
    return this.#db.transaction(() => {
      const cur = this.get(subscriptionId);
      if (cur === undefined) throw new Error(`no subscription ${subscriptionId}`);
      let due: number | null = null;
      if (time !== null) {
        let next = nextDue(nowMs, time, timezone);
        if (cur.lastDate !== null && next.localDate <= cur.lastDate) next = nextDue(next.at, time, timezone);
        due = next.at;
      }
      this.#db
        .prepare('UPDATE subscriptions SET digest_time = ?, timezone = ?, digest_next_due = ?, updated_at = ? WHERE id = ?')
        .run(time, timezone, due, nowMs, subscriptionId);
      return { ...cur, time, timezone, nextDue: due };
    })();
  }

  /**
   * Decides every chat due at `nowMs`, in one transaction. `lastClose` is the newest US close in
   * the store (both ratios' last date). Each decision moves the chat's next due instant on, so a
   * second tick in the same minute finds nothing; the unique (chat, local date) holds even so.
   */
  enqueueDue(nowMs: number, lastClose: string | undefined, onSkip?: (what: string) => void): DueReport {
    return this.#db.transaction(() => {
      let queued = 0;
      let duplicates = 0;
      let noClose = 0;
      let tooLate = 0;
      const groups = this.#groups.all(nowMs);
      for (const g of groups) {
        const key = [g.digest_next_due, g.digest_time, g.timezone, g.digest_last_close] as const;
        const prevDueMs = previousDue(g.digest_next_due, g.digest_time, g.timezone);
        const decision = decideDue({ dueMs: g.digest_next_due, prevDueMs, nowMs, lastClose, lastSentClose: g.digest_last_close });
        // The next time after this one (and after now: a late start does not queue a backlog).
        const next = nextDue(Math.max(nowMs, g.digest_next_due), g.digest_time, g.timezone).at;
        if (decision.kind === 'send') {
          const localDate = dateInZone(new Date(g.digest_next_due), g.timezone);
          const n = this.#enqueue.run(localDate, decision.closeDate, nowMs, nowMs, ...key).changes;
          queued += n;
          duplicates += g.n - n;
          this.#advanceSent.run(next, localDate, decision.closeDate, ...key);
        } else {
          if (decision.kind === 'too-late') {
            tooLate += g.n;
            onSkip?.(`${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} (${g.digest_time} ${g.timezone}) skipped for the day: ${Math.round(decision.lateMs / 60_000)} min late`);
          } else {
            noClose += g.n;
            if (decision.kind === 'no-data') onSkip?.(`${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} skipped: the US close of ${decision.closeDate} is not in the store`);
          }
          this.#advance.run(next, ...key);
        }
      }
      return { queued, duplicates, noClose, tooLate, groups: groups.length };
    })();
  }

  pending(platform: Platform, nowMs: number, limit: number): PendingDigest[] {
    return this.#pending.all(platform, nowMs, limit).map((r) => ({
      id: r.id, subscriptionId: r.subscription_id, platform: r.platform as Platform, chatId: r.chat_id, lang: r.lang as Lang,
      localDate: r.local_date, closeDate: r.close_date, attempts: r.attempts,
    }));
  }

  pendingPlatforms(): Platform[] {
    return (this.#db.prepare("SELECT DISTINCT platform FROM digests WHERE status = 'pending'").all() as { platform: string }[]).map((r) => r.platform as Platform);
  }

  markSent(id: number, nowMs: number): void {
    this.#db.prepare("UPDATE digests SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?").run(nowMs, id);
  }

  reschedule(id: number, atMs: number, reason: string): void {
    this.#db.prepare('UPDATE digests SET next_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?').run(atMs, reason, id);
  }

  /** The chat is gone: this digest is dead and the chat's digest is off. */
  markDead(id: number, subscriptionId: number, reason: string): void {
    this.#db.transaction(() => {
      this.#db.prepare("UPDATE digests SET status = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?").run(reason, id);
      this.#db.prepare('UPDATE subscriptions SET digest_next_due = NULL WHERE id = ?').run(subscriptionId);
    })();
  }

  /** The chat moved (Telegram group → supergroup): its pending digests follow. */
  move(id: number, chatId: string): void {
    this.#db.prepare('UPDATE digests SET chat_id = ? WHERE id = ?').run(chatId, id);
  }

  count(status?: 'pending' | 'sent' | 'dead'): number {
    const r = status === undefined
      ? this.#db.prepare('SELECT count(*) AS n FROM digests').get()
      : this.#db.prepare('SELECT count(*) AS n FROM digests WHERE status = ?').get(status);
    return (r as { n: number }).n;
  }
}
