/**
 * Digest schedules. A chat's digest time and zone put it in a slot (migration 009: `digest_slots`,
 * one row per time and zone in use), and a slot is what the scheduler decides: the due slots are
 * found through the index on their next due instant, each is decided once (domain/digest-schedule
 * decideDue), and its chats get their outbox rows from one INSERT … SELECT before the slot's one
 * row moves on. So 100,000 chats at 08:00 Asia/Taipei cost one decision, one set-based insert and
 * a one-row update, in one transaction; nothing per chat but its outbox row.
 *
 * A chat's own `digest_next_due` is its "not before": it takes part in its slot's digests due at or
 * after it (a chat that moved its time after today's digest waits for tomorrow's). The message is
 * stored once per US close (dedupe key `digest:<close date>`), read in each chat's language when
 * sent; the outbox's unique key (chat, message) keeps a chat from being sent one close twice.
 *
 * The message is built (from the market view, which may ask the database) before the transaction,
 * only for the closes a due slot needs and the store has no message for yet; the same statements
 * then run on SQLite and PostgreSQL.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { assertDatabaseFile } from './file-identity.ts';
import type { StoreDb } from './engine.ts';
import type { Tables } from './tables.ts';
import { first, prepare, rows, run, runUnit, type Unit } from './unit.ts';
import { lockedSchedule } from './subscriptions.ts';
import { windowOf } from './quiet.ts';
import { chatZoneOf } from '../domain/quiet-hours.ts';
import type { Message } from '../domain/message.ts';
import { dateInZone } from '../domain/dates.ts';
import { decideDue, nextDue, nextSendingDue, previousDue, type DueDecision } from '../domain/digest-schedule.ts';

export interface DigestSetting {
  readonly subscriptionId: number;
  /** 'HH:MM', or null when the digest is off. */
  readonly time: string | null;
  readonly timezone: string;
  /** When the chat's next digest is due (its slot's next, or later if the chat waits for a later one). */
  readonly nextDue: number | null;
  /** The local date (in the chat's zone) of the chat's last digest, and the US close it spoke about. */
  readonly lastDate: string | null;
  readonly lastClose: string | null;
}

export interface DueReport {
  /** Outbox rows written (digests queued for sending). */
  readonly queued: number;
  /** Chats that already had the digest of that close (a second tick, a chat that moved its time). */
  readonly duplicates: number;
  /** No US close since the slot's previous digest time (or its data missing): nothing that day. */
  readonly noClose: number;
  /** Chats skipped for the day because the bot was down more than 6 hours past their time. */
  readonly tooLate: number;
  /** Slots decided (each with at least one chat). */
  readonly groups: number;
  /**
   * Of noClose, the chats whose slot came with no US close since their last digest (a weekend, an
   * NYSE holiday: decideDue's 'no-close'), and the earliest next digest of theirs; absent when none.
   */
  readonly closeless?: { readonly chats: number; readonly nextAt: number };
}

/** `soFar` with `chats` more whose next digest is at `nextAt`: their count, and the earliest next. */
function withCloseless(soFar: DueReport['closeless'], chats: number, nextAt: number): NonNullable<DueReport['closeless']> {
  return { chats: (soFar?.chats ?? 0) + chats, nextAt: Math.min(soFar?.nextAt ?? Number.POSITIVE_INFINITY, nextAt) };
}

interface Slot {
  digest_time: string;
  timezone: string;
  next_due: number;
  last_close: string | null;
  waiting_since: number | null;
}

/**
 * The chats a slot's digest due at `due` goes to: in the slot, not waiting for a later one, and not
 * found dead (blocked, kicked). One that only unsubscribed from alerts still gets its digest.
 */
// biome-ignore lint/suspicious/noExplicitAny: one condition on a count and on an insert's select.
function takers(slot: Pick<Slot, 'digest_time' | 'timezone'>, due: number): (eb: ExpressionBuilder<any, any>) => Expression<SqlBool> {
  return (eb) =>
    eb.and([
      eb('digest_time', '=', slot.digest_time),
      eb('timezone', '=', slot.timezone),
      eb('digest_next_due', '<=', due),
      eb.or([eb('active', '=', 1), eb('deactivated_reason', 'is', null), eb('deactivated_reason', '=', 'unsubscribed')]),
    ]);
}

/** A value in a SELECT list that PostgreSQL must see typed (an untyped parameter there is text). */
const bigint = (v: number) => sql<number>`CAST(${v} AS BIGINT)`;

const DIGEST_KEY = 'digest:';

/** What a slot due at `nowMs` does (domain/digest-schedule decideDue). */
function decide(s: Slot, nowMs: number, lastClose: string | undefined): DueDecision {
  return decideDue({
    dueMs: s.next_due,
    prevDueMs: previousDue(s.next_due, s.digest_time, s.timezone),
    nowMs,
    lastClose,
    lastSentClose: s.last_close,
    waiting: s.waiting_since !== null,
  });
}

/**
 * The message a decision sends, after `digest:` in its dedupe key: the close's, or for a digest that
 * waited in vain `<last close>:without:<missing close>` (its first line says which close is missing).
 */
function messageKey(d: DueDecision): string | undefined {
  if (d.kind === 'send') return d.closeDate;
  if (d.kind === 'without') return `${d.lastClose}:without:${d.closeDate}`;
  return undefined;
}

export class DigestStore {
  readonly #db: StoreDb;
  readonly #k: Kysely<Tables>;
  readonly #anyDue;

  constructor(db: StoreDb) {
    this.#db = db;
    const k = (this.#k = db.k);
    this.#anyDue = prepare<{ now: number }, { next_due: number }>((p) =>
      k.selectFrom('digest_slots').select('next_due').where('next_due', '<=', p('now')).limit(1),
    );
  }

  async get(subscriptionId: number): Promise<DigestSetting | undefined> {
    return runUnit(this.#db, () => this.#getOps(subscriptionId), { transaction: false });
  }

  *#getOps(subscriptionId: number): Unit<DigestSetting | undefined> {
    const k = this.#k;
    const r = yield* first(
      k
        .selectFrom('subscriptions as s')
        .leftJoin('digest_slots as d', (j) => j.onRef('d.digest_time', '=', 's.digest_time').onRef('d.timezone', '=', 's.timezone'))
        .select(['s.id', 's.digest_time', 's.timezone', 's.digest_next_due', 'd.next_due as slot_due'])
        .where('s.id', '=', subscriptionId),
    );
    if (r === undefined) return undefined;
    // The chat's newest digest (kept in the outbox until retention): what it was last sent, and when.
    const last = yield* first(
      k
        .selectFrom('outbox as o')
        .innerJoin('messages as m', 'm.id', 'o.message_id')
        .select(['m.dedupe_key', 'o.created_at'])
        .where('o.subscription_id', '=', subscriptionId)
        .where('m.kind', '=', 'digest')
        .orderBy('o.id', 'desc')
        .limit(1),
    );
    const notBefore = r.digest_next_due === null ? null : Number(r.digest_next_due);
    const slotDue = r.slot_due === null ? undefined : Number(r.slot_due);
    return {
      subscriptionId: r.id,
      time: r.digest_time,
      timezone: r.timezone,
      nextDue: r.digest_time === null || notBefore === null ? null : Math.max(notBefore, slotDue ?? notBefore),
      lastDate: last === undefined ? null : dateInZone(new Date(Number(last.created_at)), r.timezone),
      // `digest:<close>`, or `digest:<close>:without:<missing close>` (a digest that waited for a close in vain).
      lastClose: last?.dedupe_key?.startsWith(DIGEST_KEY) ? last.dedupe_key.slice(DIGEST_KEY.length, DIGEST_KEY.length + 10) : null,
    };
  }

  /**
   * Sets a chat's digest time and zone (the chat's zone too) and its next due instant after
   * `nowMs`; `time` null turns it off. A digest already sent today is not sent again today.
   * `time` undefined keeps the chat's time (none: nothing is written, `time` null returned);
   * `timezone` undefined takes the chat's zone (its digest's, else its quiet hours', else UTC).
   * Both are read in this unit, the row locked on PostgreSQL: a zone alone and a new time sent at
   * the same moment are made one after the other, neither written over.
   */
  async set(subscriptionId: number, time: string | null | undefined, timezone: string | undefined, nowMs: number): Promise<DigestSetting> {
    if (this.#db.sqlite !== undefined) assertDatabaseFile(this.#db.sqlite);
    return runUnit(this.#db, () => this.setOps(subscriptionId, time, timezone, nowMs));
  }

  /** `set` as part of a larger unit of work (store/webhooks.ts: a new hook's digest). */
  *setOps(subscriptionId: number, timeOrKeep: string | null | undefined, zoneOrChat: string | undefined, nowMs: number): Unit<DigestSetting> {
    const k = this.#k;
    const row = yield* lockedSchedule(this.#db, subscriptionId);
    const cur = yield* this.#getOps(subscriptionId);
    if (row === undefined || cur === undefined) throw new Error(`no subscription ${subscriptionId}`);
    const time = timeOrKeep === undefined ? row.digest_time : timeOrKeep;
    if (timeOrKeep === undefined && time === null) return cur;
    const timezone = zoneOrChat ?? chatZoneOf({ time: row.digest_time, timezone: row.timezone }, windowOf(row));
    let due: number | null = null;
    if (time !== null) {
      const slotNext = nextDue(nowMs, time, timezone);
      let next = slotNext;
      if (cur.lastDate !== null && next.localDate <= cur.lastDate) next = nextDue(next.at, time, timezone);
      due = next.at;
      // The slot: made at its next due instant if new; brought forward if it would only fire after
      // this chat's first digest (a slot whose chats had all waited for a later day).
      const slot = yield* first(k.selectFrom('digest_slots').select('next_due').where('digest_time', '=', time).where('timezone', '=', timezone));
      if (slot === undefined) {
        yield* run(
          k
            .insertInto('digest_slots')
            .values({ digest_time: time, timezone, next_due: slotNext.at, last_date: null, last_close: null })
            .onConflict((oc) => oc.doNothing()),
        );
      } else if (Number(slot.next_due) > due) {
        yield* run(k.updateTable('digest_slots').set({ next_due: due }).where('digest_time', '=', time).where('timezone', '=', timezone));
      }
    }
    yield* run(k.updateTable('subscriptions').set({ digest_time: time, timezone, digest_next_due: due, updated_at: nowMs }).where('id', '=', subscriptionId));
    return { ...cur, time, timezone, nextDue: due };
  }

  /**
   * Decides every slot due at `nowMs`, in one transaction. `lastClose` is the newest US close in
   * the store (both ratios' last date). Each decision moves the slot's next due instant on, so a
   * second tick in the same minute finds nothing; the outbox's unique (chat, message) holds even so.
   * `messageFor` builds the digest of the closes there are (asked with the message's key: a close,
   * or `<last close>:without:<missing close>`, whose digest says what it lacks: digestTick); it is
   * asked before the transaction, once per message that is not stored yet. A slot whose close is not
   * stored yet stays due and waits (`onWait` says so once); after MAX_LATE_MS it goes out with the
   * closes there are.
   */
  async enqueueDue(
    nowMs: number,
    lastClose: string | undefined,
    messageFor: (closeDate: string) => Message | undefined | Promise<Message | undefined>,
    onSkip?: (what: string) => void,
    onWait?: (what: string) => void,
  ): Promise<DueReport> {
    // Read first: a minute with nothing due takes no write lock (it is asked every minute), and
    // costs one prepared statement on the small slots table.
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
    // A close a slot needs that was not foreseen (another replica's chat made a slot in between) is
    // built and the minute decided again; the slots already written are not due any more.
    const total = { queued: 0, duplicates: 0, noClose: 0, tooLate: 0, groups: 0 };
    let closeless: DueReport['closeless'];
    for (let round = 0; round < 3; round++) {
      const needs = await this.#closesNeeded(nowMs, lastClose);
      for (const close of needs) if (!built.has(close)) built.set(close, await messageFor(close));
      const r = await runUnit(this.#db, () => this.#decideAll(nowMs, lastClose, built, onSkip, onWait));
      total.queued += r.queued;
      total.duplicates += r.duplicates;
      total.noClose += r.noClose;
      total.tooLate += r.tooLate;
      total.groups += r.groups;
      if (r.closeless !== undefined) closeless = withCloseless(closeless, r.closeless.chats, r.closeless.nextAt);
      if (r.unbuilt === 0) break;
    }
    return closeless === undefined ? total : { ...total, closeless };
  }

  *#slotsDue(nowMs: number): Unit<Slot[]> {
    const found = yield* rows(
      this.#k
        .selectFrom('digest_slots')
        .select(['digest_time', 'timezone', 'next_due', 'last_close', 'waiting_since'])
        .where('next_due', '<=', nowMs)
        .orderBy('next_due')
        .orderBy('digest_time')
        .orderBy('timezone'),
    );
    return found.map((s) => ({ ...s, next_due: Number(s.next_due), waiting_since: s.waiting_since === null ? null : Number(s.waiting_since) }));
  }

  /** The closes this minute's slots would send and the store has no message for. */
  async #closesNeeded(nowMs: number, lastClose: string | undefined): Promise<string[]> {
    const closes = new Set<string>();
    for (const s of await runUnit(this.#db, () => this.#slotsDue(nowMs), { transaction: false })) {
      const id = messageKey(decide(s, nowMs, lastClose));
      if (id !== undefined) closes.add(id);
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
                [...closes].map((c) => `${DIGEST_KEY}${c}`),
              )
              .execute()
          ).map((r) => r.dedupe_key),
    );
    return [...closes].filter((c) => !have.has(`${DIGEST_KEY}${c}`));
  }

  *#decideAll(
    nowMs: number,
    lastClose: string | undefined,
    built: ReadonlyMap<string, Message | undefined>,
    onSkip?: (what: string) => void,
    onWait?: (what: string) => void,
  ): Unit<DueReport & { unbuilt: number }> {
    const k = this.#k;
    // Each close's message, and whether this unit wrote it (then no chat can hold a row of it yet).
    const messages = new Map<string, { id: number; fresh: boolean } | undefined>();
    const self = this;
    function* messageId(id: string): Unit<{ id: number; fresh: boolean } | undefined | 'unbuilt'> {
      if (!messages.has(id)) {
        const key = `${DIGEST_KEY}${id}`;
        const stored = (yield* first(k.selectFrom('messages').select('id').where('dedupe_key', '=', key)))?.id;
        if (stored !== undefined) messages.set(id, { id: Number(stored), fresh: false });
        else {
          if (!built.has(id)) return 'unbuilt';
          const made = built.get(id);
          messages.set(id, made === undefined ? undefined : { id: yield* self.#addMessage(made, key, nowMs), fresh: true });
        }
      }
      return messages.get(id);
    }
    let queued = 0;
    let duplicates = 0;
    let noClose = 0;
    let tooLate = 0;
    let unbuilt = 0;
    let groups = 0;
    let closeless: DueReport['closeless'];
    for (const slot of yield* this.#slotsDue(nowMs)) {
      const ofSlot = (q: ExpressionBuilder<Tables, 'digest_slots'>) => q.and([q('digest_time', '=', slot.digest_time), q('timezone', '=', slot.timezone)]);
      // How many chats the slot holds, and how many take this digest. Asked only where the insert
      // below cannot tell: it reads the same chats, and a fresh message's rows are all of them.
      const count = function* (): Unit<{ held: number; takers: number }> {
        const c = yield* first(
          k
            .selectFrom('subscriptions')
            .select((eb) => [
              eb.fn.countAll<number>().as('n'),
              eb.fn.sum<number>(eb.case().when(takers(slot, slot.next_due)(eb)).then(1).else(0).end()).as('takers'),
            ])
            .where('digest_time', '=', slot.digest_time)
            .where('timezone', '=', slot.timezone),
        );
        return { held: Number(c?.n ?? 0), takers: Number(c?.takers ?? 0) };
      };
      const decision = decide(slot, nowMs, lastClose);
      // The next time after this one (and after now: a late start does not queue a backlog).
      const next = nextDue(Math.max(nowMs, slot.next_due), slot.digest_time, slot.timezone).at;
      const key = messageKey(decision);
      const message = key === undefined ? undefined : yield* messageId(key);
      if (message === 'unbuilt') {
        unbuilt++;
        continue;
      }
      if ((decision.kind === 'send' || decision.kind === 'without') && message !== undefined) {
        let chats = k
          .selectFrom('subscriptions as s')
          .select([bigint(message.id).as('message_id'), 's.id', 's.platform', 's.chat_id', bigint(nowMs).as('created_at')])
          .where(takers(slot, slot.next_due));
        // A chat that already has this close's digest (it moved here from a slot that sent it) keeps
        // its one row: asked of the outbox's unique key, chat first, rather than with ON CONFLICT,
        // whose speculative insertion costs PostgreSQL a fifth more per row. A message this unit
        // wrote has no rows yet, so nothing is asked.
        if (!message.fresh)
          chats = chats.where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom('outbox as o').select('o.id').whereRef('o.subscription_id', '=', 's.id').where('o.message_id', '=', message.id))),
          );
        const written = (yield* run(k.insertInto('outbox').columns(['message_id', 'subscription_id', 'platform', 'chat_id', 'created_at']).expression(chats)))
          .changes;
        let n = written;
        if (!message.fresh || written === 0) {
          const c = yield* count();
          // A slot nobody holds any more goes.
          if (c.held === 0) {
            yield* run(k.deleteFrom('digest_slots').where(ofSlot));
            continue;
          }
          n = c.takers;
        }
        groups++;
        queued += written;
        duplicates += n - written;
        const localDate = dateInZone(new Date(slot.next_due), slot.timezone);
        // The close it spoke about: without the missing one, the last there was.
        const spoke = decision.kind === 'without' ? decision.lastClose : decision.closeDate;
        yield* run(k.updateTable('digest_slots').set({ next_due: next, last_date: localDate, last_close: spoke, waiting_since: null }).where(ofSlot));
        continue;
      }
      if (decision.kind === 'wait') {
        // Stays due: each minute asks again until the close is stored, or until it has waited MAX_LATE_MS.
        if (slot.waiting_since === null) {
          yield* run(k.updateTable('digest_slots').set({ waiting_since: nowMs }).where(ofSlot));
          onWait?.(
            `digest(s) due ${new Date(slot.next_due).toISOString()} (${slot.digest_time} ${slot.timezone}) wait for the US close of ${decision.closeDate}, not in the store yet`,
          );
        }
        continue;
      }
      const c = yield* count();
      if (c.held === 0) {
        yield* run(k.deleteFrom('digest_slots').where(ofSlot));
        continue;
      }
      groups++;
      const n = c.takers;
      if (decision.kind === 'send' || decision.kind === 'without') {
        noClose += n;
        onSkip?.(`${n} digest(s) due ${new Date(slot.next_due).toISOString()} skipped: no digest could be built for the close of ${decision.closeDate}`);
      } else if (decision.kind === 'too-late') {
        tooLate += n;
        onSkip?.(
          `${n} digest(s) due ${new Date(slot.next_due).toISOString()} (${slot.digest_time} ${slot.timezone}) skipped for the day: ${Math.round(decision.lateMs / 60_000)} min late`,
        );
      } else {
        noClose += n;
        // Said once per tick for all such slots (digest-due.ts), with the first digest to come.
        const nextAt = nextSendingDue(next, slot.digest_time, slot.timezone, slot.last_close);
        closeless = withCloseless(closeless, n, nextAt);
      }
      yield* run(k.updateTable('digest_slots').set({ next_due: next, waiting_since: null }).where(ofSlot));
    }
    return { queued, duplicates, noClose, tooLate, groups, unbuilt, ...(closeless !== undefined && { closeless }) };
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

  /** Digests queued so far and still in the outbox (retention prunes the sent ones after RETENTION_DAYS). */
  async count(): Promise<number> {
    const r = await this.#k
      .selectFrom('outbox as o')
      .innerJoin('messages as m', 'm.id', 'o.message_id')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('m.kind', '=', 'digest')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
