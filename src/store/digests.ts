/**
 * Digest schedules and sent digests. A minute's work is one transaction: the due chats are read
 * through the index on digest_next_due, grouped by what they share (time, zone, due instant, last
 * close), and each group is decided once (domain/digest-schedule decideDue) and written with two
 * set-based statements: its digest rows (INSERT OR IGNORE: unique per chat and local date) with
 * their outbox rows, and its next due instant. So 100,000 chats at 08:00 Asia/Taipei cost one
 * decision and three statements. The message itself is stored once per US close (dedupe key
 * `digest:<close date>`), read in each chat's language when sent.
 *
 * The message is built (from the market view, which may ask the database) before the transaction,
 * only for the closes a due group needs and the store has no message for yet; the same statements
 * then run on SQLite and PostgreSQL.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { assertDatabaseFile } from './file-identity.ts';
import type { StoreDb } from './engine.ts';
import type { Tables } from './tables.ts';
import { first, prepare, rows, run, runUnit, type Unit } from './unit.ts';
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

type GroupKey = readonly [due: number, time: string, timezone: string, lastClose: string | null];

/** The chats of one group (`s.` prefixed when the query joins). */
// biome-ignore lint/suspicious/noExplicitAny: the same condition on a select, an update and a join.
function inGroup([due, time, zone, lastClose]: GroupKey, p = ''): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool> {
  return (eb) =>
    eb.and([
      eb(`${p}digest_next_due`, '=', due),
      eb(`${p}digest_time`, '=', time),
      eb(`${p}timezone`, '=', zone),
      // `IS ?` is SQLite's null-safe equality and not PostgreSQL's: the null case is its own condition.
      lastClose === null ? eb(`${p}digest_last_close`, 'is', null) : eb(`${p}digest_last_close`, '=', lastClose),
    ]);
}

/** A value in a SELECT list that PostgreSQL must see typed (an untyped parameter there is text). */
const bigint = (v: number) => sql<number>`CAST(${v} AS BIGINT)`;

export class DigestStore {
  readonly #db: StoreDb;
  readonly #k: Kysely<Tables>;
  readonly #anyDue;

  constructor(db: StoreDb) {
    this.#db = db;
    const k = (this.#k = db.k);
    this.#anyDue = prepare<{ now: number }, { id: number }>((p) =>
      k.selectFrom('subscriptions').select('id').where('digest_next_due', 'is not', null).where('digest_next_due', '<=', p('now')).limit(1),
    );
  }

  async get(subscriptionId: number): Promise<DigestSetting | undefined> {
    return runUnit(this.#db, () => this.#getOps(subscriptionId), { transaction: false });
  }

  *#getOps(subscriptionId: number): Unit<DigestSetting | undefined> {
    const r = yield* first(
      this.#k
        .selectFrom('subscriptions')
        .select(['id', 'digest_time', 'timezone', 'digest_next_due', 'digest_last_date', 'digest_last_close'])
        .where('id', '=', subscriptionId),
    );
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
  async set(subscriptionId: number, time: string | null, timezone: string, nowMs: number): Promise<DigestSetting> {
    if (this.#db.sqlite !== undefined) assertDatabaseFile(this.#db.sqlite);
    return runUnit(this.#db, () => this.setOps(subscriptionId, time, timezone, nowMs));
  }

  /** `set` as part of a larger unit of work (store/webhooks.ts: a new hook's digest). */
  *setOps(subscriptionId: number, time: string | null, timezone: string, nowMs: number): Unit<DigestSetting> {
    const cur = yield* this.#getOps(subscriptionId);
    if (cur === undefined) throw new Error(`no subscription ${subscriptionId}`);
    let due: number | null = null;
    if (time !== null) {
      let next = nextDue(nowMs, time, timezone);
      if (cur.lastDate !== null && next.localDate <= cur.lastDate) next = nextDue(next.at, time, timezone);
      due = next.at;
    }
    yield* run(
      this.#k.updateTable('subscriptions').set({ digest_time: time, timezone, digest_next_due: due, updated_at: nowMs }).where('id', '=', subscriptionId),
    );
    return { ...cur, time, timezone, nextDue: due };
  }

  /**
   * Decides every chat due at `nowMs`, in one transaction. `lastClose` is the newest US close in
   * the store (both ratios' last date). Each decision moves the chat's next due instant on, so a
   * second tick in the same minute finds nothing; the unique (chat, local date) holds even so.
   * `messageFor` builds the digest of a close; it is asked before the transaction, once per close
   * that has no stored message yet.
   */
  async enqueueDue(
    nowMs: number,
    lastClose: string | undefined,
    messageFor: (closeDate: string) => Message | undefined | Promise<Message | undefined>,
    onSkip?: (what: string) => void,
  ): Promise<DueReport> {
    // Read first: a minute with nobody due takes no write lock (it is asked every minute), and
    // costs one prepared statement.
    const anyDue = this.#anyDue;
    const due = await runUnit(
      this.#db,
      function* () {
        return yield* first(anyDue({ now: nowMs }));
      },
      { transaction: false },
    );
    if (due === undefined) return { queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 };
    const built = new Map<string, Message | undefined>();
    // A close a group needs that was not foreseen (a chat changed its time in between) is built
    // and the minute decided again; the groups already written are not due any more.
    const total = { queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 };
    for (let round = 0; round < 3; round++) {
      const needs = await this.#closesNeeded(nowMs, lastClose);
      for (const close of needs) if (!built.has(close)) built.set(close, await messageFor(close));
      const r = await runUnit(this.#db, () => this.#decideAll(nowMs, lastClose, built, onSkip));
      total.queued += r.queued;
      total.duplicates += r.duplicates;
      total.noClose += r.noClose;
      total.tooLate += r.tooLate;
      total.groups += r.groups;
      if (r.unbuilt === 0) break;
    }
    return total;
  }

  async #groups(nowMs: number): Promise<Group[]> {
    return runUnit(this.#db, () => this.#groupsOps(nowMs), { transaction: false });
  }

  *#groupsOps(nowMs: number): Unit<Group[]> {
    const found = yield* rows(
      this.#k
        .selectFrom('subscriptions')
        .select(['digest_time', 'timezone', 'digest_next_due', 'digest_last_close', (eb) => eb.fn.countAll().as('n')])
        .where('digest_next_due', 'is not', null)
        .where('digest_next_due', '<=', nowMs)
        .groupBy(['digest_next_due', 'digest_time', 'timezone', 'digest_last_close']),
    );
    return found.map((g) => ({ ...g, n: Number(g.n) }) as Group);
  }

  /** The closes whose digest this minute's groups would send and the store has no message for. */
  async #closesNeeded(nowMs: number, lastClose: string | undefined): Promise<string[]> {
    const closes = new Set<string>();
    for (const g of await this.#groups(nowMs)) {
      const prevDueMs = previousDue(g.digest_next_due, g.digest_time, g.timezone);
      const d = decideDue({ dueMs: g.digest_next_due, prevDueMs, nowMs, lastClose, lastSentClose: g.digest_last_close });
      if (d.kind === 'send') closes.add(d.closeDate);
    }
    const have = new Set(
      closes.size === 0
        ? []
        : (
            await this.#k
              .selectFrom('messages')
              .select('dedupe_key')
              .where(
                'dedupe_key',
                'in',
                [...closes].map((c) => `digest:${c}`),
              )
              .execute()
          ).map((r) => r.dedupe_key),
    );
    return [...closes].filter((c) => !have.has(`digest:${c}`));
  }

  *#decideAll(
    nowMs: number,
    lastClose: string | undefined,
    built: ReadonlyMap<string, Message | undefined>,
    onSkip?: (what: string) => void,
  ): Unit<DueReport & { unbuilt: number }> {
    const k = this.#k;
    // A chat found dead (blocked, kicked) gets no more digests; one that only unsubscribed from alerts does.
    yield* run(
      k
        .updateTable('subscriptions')
        .set({ digest_next_due: null })
        .where('digest_next_due', 'is not', null)
        .where('digest_next_due', '<=', nowMs)
        .where('active', '=', 0)
        .where('deactivated_reason', 'is not', null)
        .where('deactivated_reason', '<>', 'unsubscribed'),
    );
    const messages = new Map<string, number | undefined>();
    const self = this;
    function* messageId(closeDate: string): Unit<number | undefined | 'unbuilt'> {
      if (!messages.has(closeDate)) {
        const key = `digest:${closeDate}`;
        let id = (yield* first(k.selectFrom('messages').select('id').where('dedupe_key', '=', key)))?.id;
        if (id === undefined) {
          if (!built.has(closeDate)) return 'unbuilt';
          const msg = built.get(closeDate);
          if (msg !== undefined) id = yield* self.#addMessage(msg, key, nowMs);
        }
        messages.set(closeDate, id);
      }
      return messages.get(closeDate);
    }
    let queued = 0;
    let duplicates = 0;
    let noClose = 0;
    let tooLate = 0;
    let unbuilt = 0;
    const groups = yield* this.#groupsOps(nowMs);
    for (const g of groups) {
      const key: GroupKey = [g.digest_next_due, g.digest_time, g.timezone, g.digest_last_close];
      const prevDueMs = previousDue(g.digest_next_due, g.digest_time, g.timezone);
      const decision = decideDue({ dueMs: g.digest_next_due, prevDueMs, nowMs, lastClose, lastSentClose: g.digest_last_close });
      // The next time after this one (and after now: a late start does not queue a backlog).
      const next = nextDue(Math.max(nowMs, g.digest_next_due), g.digest_time, g.timezone).at;
      const message = decision.kind === 'send' ? yield* messageId(decision.closeDate) : undefined;
      if (message === 'unbuilt') {
        unbuilt++;
        continue;
      }
      const advance = (set: { digest_next_due: number; digest_last_date?: string; digest_last_close?: string }) =>
        run(k.updateTable('subscriptions').set(set).where(inGroup(key)));
      if (decision.kind === 'send' && message !== undefined) {
        const localDate = dateInZone(new Date(g.digest_next_due), g.timezone);
        const fresh = (yield* run(
          k
            .insertInto('digests')
            .columns(['subscription_id', 'local_date', 'close_date', 'message_id', 'created_at'])
            .expression(
              k
                .selectFrom('subscriptions')
                .select((eb) => [
                  'id',
                  eb.val(localDate).as('local_date'),
                  eb.val(decision.closeDate).as('close_date'),
                  bigint(message).as('message_id'),
                  bigint(nowMs).as('created_at'),
                ])
                .where(inGroup(key)),
            )
            .onConflict((oc) => oc.doNothing()),
        )).changes;
        // The adapter to the typed outbox. When every chat of the group got its digest row just
        // now (the usual case), their outbox rows come straight from the same group; otherwise one
        // row per chat whose digest row for this local date points at this message (a chat that
        // had it already keeps its one row: unique per message and chat).
        const outboxRows =
          fresh === g.n
            ? k
                .selectFrom('subscriptions')
                .select([bigint(message).as('message_id'), 'id', 'platform', 'chat_id', bigint(nowMs).as('created_at')])
                .where(inGroup(key))
            : k
                .selectFrom('subscriptions as s')
                .innerJoin('digests as d', (j) => j.onRef('d.subscription_id', '=', 's.id').on('d.local_date', '=', localDate).on('d.message_id', '=', message))
                .select(['d.message_id', 's.id', 's.platform', 's.chat_id', bigint(nowMs).as('created_at')])
                .where(inGroup(key, 's.'));
        const n = (yield* run(
          k
            .insertInto('outbox')
            .columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at'])
            .expression(outboxRows)
            .onConflict((oc) => oc.doNothing()),
        )).changes;
        queued += n;
        duplicates += g.n - n;
        yield* advance({ digest_next_due: next, digest_last_date: localDate, digest_last_close: decision.closeDate });
      } else if (decision.kind === 'send') {
        noClose += g.n;
        onSkip?.(`${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} skipped: no digest could be built for the close of ${decision.closeDate}`);
        yield* advance({ digest_next_due: next });
      } else {
        if (decision.kind === 'too-late') {
          tooLate += g.n;
          onSkip?.(
            `${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} (${g.digest_time} ${g.timezone}) skipped for the day: ${Math.round(decision.lateMs / 60_000)} min late`,
          );
        } else {
          noClose += g.n;
          if (decision.kind === 'no-data')
            onSkip?.(`${g.n} digest(s) due ${new Date(g.digest_next_due).toISOString()} skipped: the US close of ${decision.closeDate} is not in the store`);
        }
        yield* advance({ digest_next_due: next });
      }
    }
    return { queued, duplicates, noClose, tooLate, groups: groups.length - unbuilt, unbuilt };
  }

  /** The digest's one stored message per close (read in each chat's language when sent). */
  *#addMessage(message: Message, dedupeKey: string, nowMs: number): Unit<number> {
    const r = yield* first(
      this.#k
        .insertInto('messages')
        .values({ kind: 'digest', body: JSON.stringify(message), dedupe_key: dedupeKey, created_at: nowMs })
        .returning('id'),
    );
    return Number(r!.id);
  }

  /** Digests queued so far (all chats, all days). */
  async count(): Promise<number> {
    const r = await this.#k
      .selectFrom('digests')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
