/**
 * The outbox: messages the bot sends on its own (alerts, digests), stored when they are decided
 * and drained by the dispatcher (src/alerts/dispatcher.ts), on either engine (one set of queries,
 * through ./unit.ts).
 *
 * A message is stored once (kind + platform-neutral JSON body, see src/domain/message.ts); a row
 * per chat points at it and records that chat's delivery: status, attempts, when to try next, and
 * how many parts (photo, then text) already went out, so a crash resumes at the missing part.
 * Senders take rows by claiming them (./outbox-claims.ts: a lease per row, so replicas never send
 * the same row at once); recording an outcome ends the claim.
 */
import { sql, type Kysely } from 'kysely';
import type { Tables } from './tables.ts';
import type { StoreDb } from './engine.ts';
import { first, prepare, rows, run, runUnit, type Op } from './unit.ts';
import { claimDue, inChatOrder } from './outbox-claims.ts';
import { isBusy, withoutBusyWait } from './busy.ts';
import { assertDatabaseFile } from './file-identity.ts';
import type { Platform } from '../domain/platform.ts';
import type { PairId } from '../domain/instruments.ts';
import type { AlertWatch, AlertWatchNow, WatchTakes } from '../domain/watches.ts';
import type { Lang } from '../domain/i18n/index.ts';
import type { Message, MessageKind } from '../domain/message.ts';
import { chatZoneOf } from '../domain/quiet-hours.ts';

export interface OutboxRow {
  readonly id: number;
  readonly messageId: number;
  readonly kind: MessageKind;
  /** The stored Message as JSON (domain/message.ts parseMessage reads it). */
  readonly body: string;
  readonly subscriptionId: number;
  readonly platform: Platform;
  readonly chatId: string;
  /** The chat's language now (texts are built at send time); for a message a part of which went out, that part's. */
  readonly lang: Lang;
  /** The chat's mention for messages that ask for one (a Discord role id), or null. */
  readonly mention: string | null;
  /** The chat's forum topic (Telegram message_thread_id), or null. */
  readonly threadId: number | null;
  readonly attempts: number;
  /** Parts of this message already delivered to this chat. */
  readonly partsSent: number;
  /**
   * The chat's day the first delivered part was read on (YYYY-MM-DD, migration 021), else null: the
   * rest of the message counts its "(N days ago)" to it, so it reads as the part before it did.
   */
  readonly partsDay: string | null;
  /**
   * Whether the first delivered part said the alert's value "then" (true) or "now" (false), migration
   * 022; null while none went out (or went out before it was recorded): the rest says it the same way.
   */
  readonly partsThen: boolean | null;
  /** The chat's zone (domain/quiet-hours.ts chatZoneOf: its digest's, else its quiet hours', else UTC): its day, which ages count to. */
  readonly zone: string;
  /**
   * The chat's alerts stopped since the row was queued (/unsubscribe; a chat found gone has its rows
   * given up with it), or muted until this instant, else null: read when the row is taken, so an
   * alert queued before a /unsubscribe or /mute is not sent after it (alerts/dispatcher.ts).
   */
  readonly stopped: boolean;
  readonly mutedUntil: number | null;
  /** The correction of an alert the chat got (store/decisions.ts revise): sent whatever the chat did since. */
  readonly correction: boolean;
  /** The alert's watch and what the chat follows now (RowWatch), or null. */
  readonly watch: RowWatch | null;
  /** When the message was decided (queued): an alert sent much later says its value "then", not "now". */
  readonly decidedAt: number;
  /** When its first failed try was (a retry span counts from it: domain/retry-span.ts), or null while none failed. */
  readonly failingSince: number | null;
  /** Why its last try failed (the platform's answer, as its notifier said it), or null while none failed. */
  readonly lastError: string | null;
  /** When it was due (queued, or its next try): a send much later than that tells the sender was stopped. */
  readonly dueAt: number;
}

/** How the first delivered part of a message was read: the chat's day its ages counted to, and whether it said its value "then". */
export interface PartsRead {
  readonly day?: string | null;
  readonly saidThen?: boolean;
}

/** The watch an alert's message was fanned out by (domain/watches.ts). */
export type MessageWatch = AlertWatch;

/**
 * What the send-time check reads of an alert's watch and of the chat now (outboxRows): what the chat
 * follows and, for a move, whether it still has the move's watch. Null for a message that records no
 * watch (digests, corrections, summaries, older rows).
 */
export type RowWatch = AlertWatchNow;

/** The dedupe key's start of a correction's message (store/decisions.ts revise). */
export const CORRECTION_KEY = 'correction:';

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
  parts_day: string | null;
  parts_then: number | null;
  digest_time: string | null;
  timezone: string;
  quiet_start: string | null;
  quiet_end: string | null;
  quiet_zone: string | null;
  active: number;
  muted_until: number | null;
  dedupe_key: string | null;
  decided_at: number | string;
  failing_since: number | string | null;
  last_error: string | null;
  next_at: number | string;
  watch_key: string | null;
  watch_takes: string | null;
  watch_pair: string | null;
  watch_level: string | null;
  pairs: string;
  level_ids: string;
  custom_levels: string;
  approach_pct: number;
  mw_key: string | null;
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
    partsDay: r.parts_day,
    partsThen: r.parts_then === null ? null : Number(r.parts_then) === 1,
    zone: chatZoneOf(
      { time: r.digest_time, timezone: r.timezone },
      r.quiet_start !== null && r.quiet_end !== null && r.quiet_zone !== null ? { start: r.quiet_start, end: r.quiet_end, zone: r.quiet_zone } : undefined,
    ),
    stopped: Number(r.active) !== 1,
    mutedUntil: r.muted_until === null ? null : Number(r.muted_until),
    correction: r.dedupe_key?.startsWith(CORRECTION_KEY) === true,
    watch: rowWatch(r),
    decidedAt: Number(r.decided_at),
    failingSince: r.failing_since === null ? null : Number(r.failing_since),
    lastError: r.last_error,
    dueAt: Number(r.next_at),
  };
}

/** The columns rowWatch reads. */
export type WatchColumns = Pick<
  OutboxRowColumns,
  'watch_key' | 'watch_takes' | 'watch_pair' | 'watch_level' | 'pairs' | 'level_ids' | 'custom_levels' | 'approach_pct' | 'mw_key'
>;

/**
 * The WatchColumns as a select list, over `messages as m`, `subscriptions as s` and the left join of
 * `move_watches as mw` on the message's watch and the row's chat: read by the claim (outboxRows) and
 * by quiet hours' release (store/quiet.ts), which decide with rowWatch.
 */
export const WATCH_SELECT = [
  'm.watch_key',
  'm.watch_takes',
  'm.watch_pair',
  'm.watch_level',
  's.pairs',
  's.level_ids',
  's.custom_levels',
  's.approach_pct',
  'mw.watch_key as mw_key',
] as const;

/** The alert's watch and what the chat follows now, as a join read them (the claim's, quiet hours' release). */
export function rowWatch(r: WatchColumns): RowWatch | null {
  if (r.watch_key === null || r.watch_takes === null || r.watch_pair === null) return null;
  return {
    key: r.watch_key,
    takes: r.watch_takes as WatchTakes,
    pair: r.watch_pair as PairId,
    ...(r.watch_level !== null && { level: r.watch_level }),
    spec: {
      pairs: JSON.parse(r.pairs) as PairId[],
      levelIds: r.level_ids === 'all' ? 'all' : (JSON.parse(r.level_ids) as string[]),
      customLevels: JSON.parse(r.custom_levels) as { pair: PairId; value: number }[],
      approachPct: Number(r.approach_pct),
    },
    moveKept: r.mw_key !== null,
  };
}

/**
 * The outbox joined with each row's message, its chat and the chat's move watch of that message
 * (what WATCH_SELECT reads): the claim's rows (outboxRows) and quiet hours' release (store/quiet.ts).
 */
export function outboxJoined(k: Kysely<Tables>) {
  return (
    k
      .selectFrom('outbox as o')
      .innerJoin('subscriptions as s', 's.id', 'o.subscription_id')
      .innerJoin('messages as m', 'm.id', 'o.message_id')
      // Whether the chat still has a move alert's watch: a primary-key lookup, (watch_key, subscription_id).
      .leftJoin('move_watches as mw', (j) => j.onRef('mw.watch_key', '=', 'm.watch_key').onRef('mw.subscription_id', '=', 'o.subscription_id'))
  );
}

/** The outbox rows joined with their message and chat, as OutboxRowColumns: narrowed by the caller (the queue's due rows, the claimed ones). */
export function outboxRows(db: StoreDb) {
  return outboxJoined(db.k).select([
    'o.id',
    'o.message_id',
    'm.kind',
    'm.body',
    'o.subscription_id',
    'o.platform',
    'o.chat_id',
    // A message a part of which went out goes on in the language that part went out in.
    sql<string>`coalesce(o.parts_lang, s.lang)`.as('lang'),
    's.mention',
    's.thread_id',
    'o.attempts',
    'o.parts_sent',
    'o.parts_day',
    'o.parts_then',
    's.digest_time',
    's.timezone',
    's.quiet_start',
    's.quiet_end',
    's.quiet_zone',
    's.active',
    's.muted_until',
    'm.dedupe_key',
    'm.created_at as decided_at',
    'o.failing_since',
    'o.last_error',
    'o.next_at',
    ...WATCH_SELECT,
  ]);
}

export interface Enqueued {
  readonly messageId: number;
  /** Rows written (chats to send to); 0 when the message was queued before under the same key. */
  readonly queued: number;
}

export interface StoredOutboxRow {
  readonly status: 'pending' | 'sent' | 'dead' | 'held' | 'merged';
  readonly attempts: number;
  readonly partsSent: number;
  readonly nextAt: number;
  readonly lastError: string | null;
  /** Who holds the row's claim while it is being sent (a replica's name), else null. */
  readonly claimedBy: string | null;
  readonly failingSince: number | null;
}

/** Who claims rows, and for how long (./outbox-claims.ts). */
export interface ClaimLease {
  readonly owner: string;
  readonly leaseMs: number;
}

/** Chats per INSERT … SELECT when a message goes to a list of chats: well under either engine's parameter limit. */
const CHUNK = 500;

export class OutboxStore {
  /**
   * This database has one sender at most: SQLite, which one process holds (the instance lock).
   * A sole sender ends the claims a dead process left at once, and sends without a claim when
   * the database is busy, as it did before claims; on PostgreSQL replicas share the outbox.
   */
  readonly soleSender: boolean;
  readonly #db: StoreDb;
  // Built once: the per-row statements of a drain run once per send (the hot path).
  readonly #part;
  readonly #sent;
  readonly #retry;
  readonly #defer;
  readonly #dead;
  readonly #failing;

  constructor(db: StoreDb) {
    this.#db = db;
    this.soleSender = db.engine === 'sqlite';
    const k = db.k;
    // Recording an outcome ends the claim: a rescheduled row is claimable again once it is due.
    const unclaimed = { claimed_until: null, claimed_by: null } as const;
    // The first part's record keeps the language it went out in, and the chat's day then: the rest of the message follows them.
    // A part delivered ends a failing spell: the platform answered, so a later failure starts its own span (failing_since).
    this.#part = prepare<{ id: number; parts: number; lang: string; day: string | null; then: number | null }>((p) =>
      k
        .updateTable('outbox')
        .set({
          parts_sent: p('parts'),
          parts_lang: sql<string>`coalesce(parts_lang, ${p('lang')})`,
          parts_day: sql<string | null>`coalesce(parts_day, ${p('day')})`,
          parts_then: sql<number | null>`coalesce(parts_then, ${p('then')})`,
          failing_since: null,
        })
        .where('id', '=', p('id')),
    );
    this.#sent = prepare<{ id: number; at: number }>((p) =>
      k
        .updateTable('outbox')
        .set({ status: 'sent', sent_at: p('at'), attempts: sql`attempts + 1`, ...unclaimed })
        .where('id', '=', p('id')),
    );
    // The platform answered (the chat's own failure): an outage's failing spell, if any, is over.
    this.#retry = prepare<{ id: number; at: number; reason: string }>((p) =>
      k
        .updateTable('outbox')
        .set({ next_at: p('at'), attempts: sql`attempts + 1`, last_error: p('reason'), failing_since: null, ...unclaimed })
        .where('id', '=', p('id')),
    );
    this.#defer = prepare<{ id: number; at: number; reason: string }>((p) =>
      k
        .updateTable('outbox')
        .set({ next_at: p('at'), last_error: p('reason'), ...unclaimed })
        .where('id', '=', p('id')),
    );
    // A failed try of a span's schedule: its first failure kept (coalesce), an attempt counted or not (a 429).
    this.#failing = prepare<{ id: number; at: number; reason: string; since: number; counted: number }>((p) =>
      k
        .updateTable('outbox')
        .set({
          next_at: p('at'),
          attempts: sql`attempts + ${p('counted')}`,
          last_error: p('reason'),
          failing_since: sql`coalesce(failing_since, ${p('since')})`,
          ...unclaimed,
        })
        .where('id', '=', p('id')),
    );
    this.#dead = prepare<{ id: number; reason: string; kept: number }>((p) =>
      k
        .updateTable('outbox')
        .set({ status: 'dead', attempts: sql`attempts + 1`, last_error: p('reason'), kept: p('kept'), ...unclaimed })
        .where('id', '=', p('id')),
    );
  }

  /**
   * Queues `message` for the chats of `subscriptionIds` (inactive chats are skipped), in one
   * transaction. With `dedupeKey`, a message already queued under that key is not queued again:
   * a job that crashed after enqueueing and runs again sends nothing twice.
   */
  enqueue(kind: MessageKind, message: Message, subscriptionIds: readonly number[], opts: { dedupeKey?: string; nowMs?: number } = {}): Promise<Enqueued> {
    const self = this;
    return runUnit(this.#db, function* () {
      const now = opts.nowMs ?? Date.now();
      if (opts.dedupeKey !== undefined) {
        const existing = yield* self.messageByKey(opts.dedupeKey);
        if (existing !== undefined) return { messageId: existing.id, queued: 0 };
      }
      const messageId = yield* self.addMessage(kind, message, opts.dedupeKey ?? null, now);
      return { messageId, queued: yield* self.queueTo(messageId, subscriptionIds, now) };
    });
  }

  /** A step of a unit of work: the id of the message stored under `dedupeKey`, if any. */
  *messageByKey(dedupeKey: string): Generator<Op, { id: number; body: string } | undefined, unknown> {
    return yield* first(this.#db.k.selectFrom('messages').select(['id', 'body']).where('dedupe_key', '=', dedupeKey));
  }

  /**
   * A step of a unit of work: takes a message back from every chat that cannot have seen it yet
   * (pending or held, no part delivered, not claimed by a sender at `nowMs`), and returns the chats
   * that got it or may have (sent, merged into a quiet-hours summary, a part delivered, a send in
   * flight). One DELETE with the condition in it: a sender that claims a row meanwhile keeps it.
   */
  *withdraw(messageId: number, nowMs: number): Generator<Op, number[], unknown> {
    const k = this.#db.k;
    yield* run(
      k
        .deleteFrom('outbox')
        .where('message_id', '=', messageId)
        .where('status', 'in', ['pending', 'held'])
        .where('parts_sent', '=', 0)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', nowMs)])),
    );
    const left = yield* rows(k.selectFrom('outbox').select('subscription_id').where('message_id', '=', messageId).where('status', '!=', 'dead'));
    return left.map((r) => r.subscription_id);
  }

  /**
   * A step of a unit of work: the chats that got `messageId` or may have (what `withdraw` would
   * leave), without taking anything back.
   */
  *reached(messageId: number, nowMs: number): Generator<Op, number[], unknown> {
    const found = yield* rows(
      this.#db.k
        .selectFrom('outbox')
        .select('subscription_id')
        .where('message_id', '=', messageId)
        .where((eb) =>
          eb.or([
            eb('status', 'in', ['sent', 'merged']),
            eb.and([eb('status', 'in', ['pending', 'held']), eb.or([eb('parts_sent', '>', 0), eb('claimed_until', '>', nowMs)])]),
          ]),
        ),
    );
    return found.map((r) => r.subscription_id);
  }

  /** A step of a unit of work: one row of `messageId` for each of these chats that is still active. */
  *queueTo(messageId: number, subscriptionIds: readonly number[], nowMs: number): Generator<Op, number, unknown> {
    const k = this.#db.k;
    let queued = 0;
    for (let i = 0; i < subscriptionIds.length; i += CHUNK) {
      const ids = subscriptionIds.slice(i, i + CHUNK);
      const r = yield* run(
        k
          .insertInto('outbox')
          .columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at'])
          .expression(
            k
              .selectFrom('subscriptions as s')
              .select([sql<number>`cast(${messageId} as bigint)`.as('m'), 's.id', 's.platform', 's.chat_id', sql<number>`cast(${nowMs} as bigint)`.as('t')])
              .where('s.id', 'in', ids)
              .where('s.active', '=', 1)
              // Rows numbered in the chats' order, on PostgreSQL too (whose scan order is its own):
              // the chats of one message are sent in the order they subscribed, every run alike.
              .orderBy('s.id'),
          )
          .onConflict((oc) => oc.doNothing()),
      );
      queued += r.changes;
    }
    return queued;
  }

  /**
   * Stores a message without recipients (the alert pipeline fans it out by watch): a step of a unit
   * of work (`yield*`). `watch`: the watch it is fanned out by, kept so that a chat that stops
   * following it before the send does not get it (alerts/dispatcher.ts stoppedSince).
   */
  *addMessage(kind: MessageKind, message: Message, dedupeKey: string | null, nowMs: number, watch?: MessageWatch): Generator<Op, number, unknown> {
    const [r] = yield* rows(
      this.#db.k
        .insertInto('messages')
        .values({
          kind,
          body: JSON.stringify(message),
          dedupe_key: dedupeKey,
          created_at: nowMs,
          ...(watch && { watch_key: watch.key, watch_takes: watch.takes, watch_pair: watch.pair, watch_level: watch.level ?? null }),
        })
        .returning('id'),
    );
    return r!.id;
  }

  /**
   * One row per chat that takes an event of this watch: active, watching it, not muted at `nowMs`,
   * written by one INSERT … SELECT whatever the number of chats. A step of a unit of work
   * (`yield*`); returns the number of rows written. `messageId` was written by the same unit, so
   * no chat can hold a row of it yet: no ON CONFLICT (PostgreSQL's speculative insertion costs a
   * fifth of a 100,000-row fan-out), and a duplicate would fail the unit on the unique key.
   */
  *fanOut(messageId: number, watchKey: string, isApproach: boolean, nowMs: number): Generator<Op, number, unknown> {
    const k = this.#db.k;
    const r = yield* run(
      k
        .insertInto('outbox')
        .columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at'])
        .expression(
          k
            .selectFrom('sub_watches as w')
            .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
            .select([sql<number>`cast(${messageId} as bigint)`.as('m'), 's.id', 's.platform', 's.chat_id', sql<number>`cast(${nowMs} as bigint)`.as('t')])
            .where('w.watch_key', '=', watchKey)
            .where('s.active', '=', 1)
            .where((eb) => eb.or([eb('s.muted_until', 'is', null), eb('s.muted_until', '<=', nowMs)]))
            .where(isApproach ? 'w.wants_approach' : 'w.approach_only', '=', isApproach ? 1 : 0),
        ),
    );
    return r.changes;
  }

  /** Pending rows of a platform due at `nowMs`, oldest first, claimed or not (what is waiting; senders use `claim`). */
  async due(platform: Platform, nowMs: number, limit: number, except: readonly number[] = []): Promise<OutboxRow[]> {
    let q = outboxRows(this.#db).where('o.status', '=', 'pending').where('o.platform', '=', platform).where('o.next_at', '<=', nowMs);
    if (except.length > 0) q = q.where('o.id', 'not in', except);
    const r = await q.orderBy('o.next_at').orderBy('o.id').limit(limit).execute();
    return r.map(outboxRow);
  }

  /**
   * Claims up to `limit` due rows of a platform for `lease.owner` to send (./outbox-claims.ts). A
   * sole sender never waits for another process's write lock to claim (an import, a backup): it
   * reads the due rows instead, as before claims, since nobody else sends them. `except`: rows this
   * sender is still sending (an earlier batch's): never taken again, and their chats' later rows wait.
   */
  async claim(platform: Platform, nowMs: number, limit: number, lease: ClaimLease, except: readonly number[] = []): Promise<OutboxRow[]> {
    // A database file deleted or replaced under the running bot: what would be sent is recorded in
    // a file nobody opens again, and a restored backup would send it a second time. Nothing is taken
    // (DatabaseFileGoneError) until the bot is restarted on the file at DATABASE_PATH.
    if (this.#db.sqlite !== undefined) assertDatabaseFile(this.#db.sqlite);
    const claim = () => claimDue(this.#db, { platform, nowMs, limit, leaseMs: lease.leaseMs, owner: lease.owner, except });
    if (!this.soleSender) return claim();
    try {
      return await withoutBusyWait(this.#db.sqlite, claim);
    } catch (e) {
      if (!isBusy(e)) throw e;
      // Read, not claimed (nobody else sends), in each chat's queue order as a claim keeps it.
      const due = await this.due(platform, nowMs, limit, except);
      const kept = new Set(
        await runUnit(
          this.#db,
          () =>
            inChatOrder(
              this.#db,
              due.map((r) => ({ id: r.id, subscription_id: r.subscriptionId })),
            ),
          { transaction: false },
        ),
      );
      return due.filter((r) => kept.has(r.id));
    }
  }

  /**
   * Ends claims without an outcome: rows a drain claimed and then did not send (it was stopped,
   * the platform paused), so another sender may take them at once instead of after the lease.
   * With `owner`, only the rows it still holds: a row another sender took once this one's lease ran
   * out keeps that sender's claim (ending it would let a third take the row while it is sent).
   */
  async release(ids: readonly number[], owner?: string): Promise<void> {
    for (let i = 0; i < ids.length; i += CHUNK) {
      let q = this.#db.k
        .updateTable('outbox')
        .set({ claimed_until: null, claimed_by: null })
        .where('id', 'in', ids.slice(i, i + CHUNK));
      if (owner !== undefined) q = q.where('claimed_by', '=', owner);
      await q.execute();
    }
  }

  /**
   * Moves the lease of these rows to `untilMs` where `owner` still holds them (pending, claimed by
   * it): a batch that takes longer than its lease keeps its rows. Returns the ids still `owner`'s;
   * one missing was taken by another sender (or finished) and must not be sent by this one. One
   * UPDATE (a batch is at most a few thousand ids); on SQLite it never waits for another process's
   * write lock (isBusy at once: the caller tries again at its next interval, the event loop free).
   */
  async extendClaims(ids: readonly number[], owner: string, untilMs: number): Promise<number[]> {
    if (ids.length === 0) return [];
    const extended = await withoutBusyWait(this.#db.sqlite, () =>
      runUnit(
        this.#db,
        () =>
          rows(
            this.#db.k
              .updateTable('outbox')
              .set({ claimed_until: untilMs })
              .where('id', 'in', ids)
              .where('claimed_by', '=', owner)
              .where('status', '=', 'pending')
              .returning('id'),
          ),
        { transaction: false },
      ),
    );
    return extended.map((r) => r.id);
  }

  /**
   * Ends every claim on pending rows but `owner`'s: for a sender that knows it is the only one
   * (SQLite, where one process holds the file): the claims of a process that died are not waited
   * out, so a restart resends at once what was in flight.
   */
  async releaseOthers(owner: string): Promise<number> {
    const k = this.#db.k;
    const r = await withoutBusyWait(this.#db.sqlite, () =>
      runUnit(
        this.#db,
        () =>
          run(
            k
              .updateTable('outbox')
              .set({ claimed_until: null, claimed_by: null })
              .where('status', '=', 'pending')
              .where('claimed_by', 'is not', null)
              .where('claimed_by', '<>', owner),
          ),
        { transaction: false },
      ),
    );
    return r.changes;
  }

  /**
   * `parts` parts of the row's message, in `lang`, are delivered: a resumed send starts after them,
   * in the language the first of them went out in (the row's `lang` from then on, whatever /lang
   * the chat runs meanwhile), read on the chat's day `day` then (the row's `partsDay` from then on,
   * whatever day the rest goes out on), saying the alert's value then or now as `read.saidThen` says (the
   * row's `partsThen` from then on, however late the rest goes). Its failing spell ends
   * (`failing_since` cleared): the platform took a part, so a failure of the next counts from
   * itself, not from before.
   */
  async markPartsSent(id: number, parts: number, lang: Lang, read: PartsRead = {}): Promise<void> {
    const then = read.saidThen === undefined ? null : read.saidThen ? 1 : 0;
    await runUnit(this.#db, () => run(this.#part({ id, parts, lang, day: read.day ?? null, then })), { transaction: false });
  }

  async markSent(id: number, nowMs: number): Promise<void> {
    await runUnit(this.#db, () => run(this.#sent({ id, at: nowMs })), { transaction: false });
  }

  /** A failed try the platform answered (the chat's own): counts an attempt, waits until `atMs`, and ends an outage's failing spell. */
  async reschedule(id: number, atMs: number, reason: string): Promise<void> {
    await runUnit(this.#db, () => run(this.#retry({ id, at: atMs, reason })), { transaction: false });
  }

  /** Not tried (the platform is paused): waits until `atMs` without counting an attempt. */
  async defer(id: number, atMs: number, reason: string): Promise<void> {
    await runUnit(this.#db, () => run(this.#defer({ id, at: atMs, reason })), { transaction: false });
  }

  /**
   * A failed try of a platform whose retries span a time (domain/retry-span.ts): waits until `atMs`,
   * its first failure kept as `sinceMs` unless one is already stored, an attempt counted unless the
   * receiver only asked to wait (`counted` false: a 429).
   */
  async failedTry(id: number, atMs: number, reason: string, sinceMs: number, counted: boolean): Promise<void> {
    await runUnit(this.#db, () => run(this.#failing({ id, at: atMs, reason, since: sinceMs, counted: counted ? 1 : 0 })), { transaction: false });
  }

  /** `kept`: given up with a hook its receiver refused, sent again by a passing `webhook test` (store/webhooks.ts). */
  async markDead(id: number, reason: string, kept = false): Promise<void> {
    await runUnit(this.#db, () => run(this.#dead({ id, reason, kept: kept ? 1 : 0 })), { transaction: false });
  }

  async pendingCount(platform?: Platform): Promise<number> {
    let q = this.#db.k
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending');
    if (platform !== undefined) q = q.where('platform', '=', platform);
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Pending rows per platform (platforms with none are left out). */
  async pendingByPlatform(): Promise<{ platform: Platform; pending: number }[]> {
    const r = await this.#db.k
      .selectFrom('outbox')
      .select(['platform', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'pending')
      .groupBy('platform')
      .orderBy('platform')
      .execute();
    return r.map((x) => ({ platform: x.platform as Platform, pending: Number(x.n) }));
  }

  /** Platforms with pending rows. */
  async pendingPlatforms(): Promise<Platform[]> {
    const r = await this.#db.k.selectFrom('outbox').select('platform').distinct().where('status', '=', 'pending').execute();
    return r.map((x) => x.platform as Platform);
  }

  /** The earliest next_at of a platform's pending rows, if any. */
  async nextDue(platform: Platform): Promise<number | undefined> {
    const r = await this.#db.k
      .selectFrom('outbox')
      .select((eb) => eb.fn.min('next_at').as('t'))
      .where('status', '=', 'pending')
      .where('platform', '=', platform)
      .executeTakeFirst();
    return r?.t == null ? undefined : Number(r.t);
  }

  /** A row as stored (tests and the CLI read it): status, attempts, parts delivered, last error, claim. */
  async row(id: number): Promise<StoredOutboxRow | undefined> {
    const r = await this.#db.k
      .selectFrom('outbox')
      .select(['status', 'attempts', 'parts_sent', 'next_at', 'last_error', 'claimed_by', 'failing_since'])
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      r && {
        status: r.status,
        attempts: r.attempts,
        partsSent: r.parts_sent,
        nextAt: r.next_at,
        lastError: r.last_error,
        claimedBy: r.claimed_by,
        failingSince: r.failing_since === null ? null : Number(r.failing_since),
      }
    );
  }
}
