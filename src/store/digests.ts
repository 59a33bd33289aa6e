/**
 * Digest schedules and sent digests. A minute's work is one transaction: the due chats are read
 * through the index on digest_next_due, grouped by what they share (time, zone, due instant, last
 * close), and each group is decided once (domain/digest-schedule decideDue) and written with two
 * set-based statements: its digest rows (INSERT OR IGNORE: unique per chat and local date) with
 * their outbox rows, and its next due instant. So 100,000 chats at 08:00 Asia/Taipei cost one
 * decision and three statements. The message itself is stored once per US close (dedupe key
 * `digest:<close date>`), read in each chat's language when sent.
 */
import { assertDatabaseFile } from './file-identity.ts';
import type { Db } from './db.ts';
import type { Message } from '../domain/message.ts';
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
  /** Outbox rows written (digests queued for sending). */
  readonly queued: number;
  /** Chats whose digest was already written for that local date (a second tick, a restart). */
  readonly duplicates: number;
  /** No US close since the chat's previous digest time (or its data missing): nothing that day. */
  readonly noClose: number;
  /** Chats skipped for the day because the bot was down more than 6 hours past their time. */
  readonly tooLate: number;
  readonly groups: number;
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
  readonly #outbox;
  readonly #messageByKey;
  readonly #queue;
  readonly #queueAll;
  readonly #forgetDead;

  constructor(db: Db) {
    this.#db = db;
    this.#groups = db.prepare<[number], Group>(
      `SELECT digest_time, timezone, digest_next_due, digest_last_close, count(*) AS n
         FROM subscriptions WHERE digest_next_due IS NOT NULL AND digest_next_due <= ?
        GROUP BY digest_next_due, digest_time, timezone, digest_last_close`,
    );
    this.#enqueue = db.prepare(
      `INSERT OR IGNORE INTO digests (subscription_id, local_date, close_date, message_id, created_at)
       SELECT id, ?, ?, ?, ? FROM subscriptions WHERE ${GROUP_WHERE}`,
    );
    // The adapter to the typed outbox: one row per chat whose digest row for this local date points
    // at this message (a chat that had it already keeps its one row: unique per message and chat).
    this.#queue = db.prepare(
      `INSERT OR IGNORE INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
       SELECT d.message_id, s.id, s.platform, s.chat_id, ?
         FROM subscriptions s JOIN digests d ON d.subscription_id = s.id AND d.local_date = ? AND d.message_id = ?
        WHERE ${GROUP_WHERE.replaceAll('digest_', 's.digest_').replace('timezone', 's.timezone')}`,
    );
    // When every chat of the group got its digest row just now (the usual case), their outbox rows
    // come straight from the same group: no join back to the digest rows.
    this.#queueAll = db.prepare(
      `INSERT OR IGNORE INTO outbox (message_id, subscription_id, platform, chat_id, created_at)
       SELECT ?, id, platform, chat_id, ? FROM subscriptions WHERE ${GROUP_WHERE}`,
    );
    // Until this store is on StoreDb (store/outbox.ts addMessage is a step of a unit of work there).
    this.#outbox = db.prepare('INSERT INTO messages (kind, body, dedupe_key, created_at) VALUES (?, ?, ?, ?)');
    this.#messageByKey = db.prepare<[string], { id: number }>('SELECT id FROM messages WHERE dedupe_key = ?');
    // A chat found dead (blocked, kicked) gets no more digests; one that only unsubscribed from alerts does.
    this.#forgetDead = db.prepare(
      `UPDATE subscriptions SET digest_next_due = NULL
        WHERE digest_next_due IS NOT NULL AND digest_next_due <= ? AND active = 0 AND deactivated_reason IS NOT NULL AND deactivated_reason <> 'unsubscribed'`,
    );
    this.#advance = db.prepare(`UPDATE subscriptions SET digest_next_due = ? WHERE ${GROUP_WHERE}`);
    this.#advanceSent = db.prepare(`UPDATE subscriptions SET digest_next_due = ?, digest_last_date = ?, digest_last_close = ? WHERE ${GROUP_WHERE}`);
  }

  get(subscriptionId: number): DigestSetting | undefined {
    const r = this.#db
      .prepare<
        [number],
        {
          id: number;
          digest_time: string | null;
          timezone: string;
          digest_next_due: number | null;
          digest_last_date: string | null;
          digest_last_close: string | null;
        }
      >('SELECT id, digest_time, timezone, digest_next_due, digest_last_date, digest_last_close FROM subscriptions WHERE id = ?')
      .get(subscriptionId);
    return (
      r && {
        subscriptionId: r.id,
        time: r.digest_time,
        timezone: r.timezone,
        nextDue: r.digest_next_due,
        lastDate: r.digest_last_date,
        lastClose: r.digest_last_close,
      }
    );
  }

  /**
   * Sets a chat's digest time and zone (the chat's zone too) and its next due instant after
   * `nowMs`; `time` null turns it off. A digest already sent today is not sent again today.
   */
  set(subscriptionId: number, time: string | null, timezone: string, nowMs: number): DigestSetting {
    assertDatabaseFile(this.#db);
    return this.#db
      .transaction(() => {
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
      })
      .immediate();
  }

  /**
   * Decides every chat due at `nowMs`, in one transaction. `lastClose` is the newest US close in
   * the store (both ratios' last date). Each decision moves the chat's next due instant on, so a
   * second tick in the same minute finds nothing; the unique (chat, local date) holds even so.
   */
  enqueueDue(nowMs: number, lastClose: string | undefined, messageFor: (closeDate: string) => Message | undefined, onSkip?: (what: string) => void): DueReport {
    return this.#db
      .transaction(() => {
        this.#forgetDead.run(nowMs);
        const messages = new Map<string, number | undefined>();
        const messageId = (closeDate: string): number | undefined => {
          if (!messages.has(closeDate)) {
            const key = `digest:${closeDate}`;
            const m =
              this.#messageByKey.get(key)?.id ??
              ((msg) => (msg === undefined ? undefined : Number(this.#outbox.run('digest', JSON.stringify(msg), key, nowMs).lastInsertRowid)))(
                messageFor(closeDate),
              );
            messages.set(closeDate, m);
          }
          return messages.get(closeDate);
        };
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
          const message = decision.kind === 'send' ? messageId(decision.closeDate) : undefined;
          if (decision.kind === 'send' && message !== undefined) {
            const localDate = dateInZone(new Date(g.digest_next_due), g.timezone);
            const fresh = this.#enqueue.run(localDate, decision.closeDate, message, nowMs, ...key).changes;
            const n = (fresh === g.n ? this.#queueAll.run(message, nowMs, ...key) : this.#queue.run(nowMs, localDate, message, ...key)).changes;
            queued += n;
            duplicates += g.n - n;
            this.#advanceSent.run(next, localDate, decision.closeDate, ...key);
          } else if (decision.kind === 'send') {
            noClose += g.n;
            onSkip?.(
              `${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} skipped: no digest could be built for the close of ${decision.closeDate}`,
            );
            this.#advance.run(next, ...key);
          } else {
            if (decision.kind === 'too-late') {
              tooLate += g.n;
              onSkip?.(
                `${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} (${g.digest_time} ${g.timezone}) skipped for the day: ${Math.round(decision.lateMs / 60_000)} min late`,
              );
            } else {
              noClose += g.n;
              if (decision.kind === 'no-data')
                onSkip?.(
                  `${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} skipped: the US close of ${decision.closeDate} is not in the store`,
                );
            }
            this.#advance.run(next, ...key);
          }
        }
        return { queued, duplicates, noClose, tooLate, groups: groups.length };
      })
      .immediate();
  }

  /** Digests queued so far (all chats, all days). */
  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM digests').get() as { n: number }).n;
  }
}
