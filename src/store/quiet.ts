/**
 * Quiet hours in the store: each chat's window (on its subscription row), and the outbox rows held
 * during it. The dispatcher holds an alert that is due inside its chat's window (status 'held',
 * next_at = the window's end); `release` turns a chat's held rows whose window ended into ONE
 * summary message (domain/quiet-summary.ts), queued like any other, and marks them 'merged', in
 * one transaction per RELEASE_BATCH held rows (a chat's rows never split between two). Held rows are outbox rows: a restart loses none of them. The same
 * statements run on SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreDb } from './engine.ts';
import type { Tables } from './tables.ts';
import { first, prepare, rows, run, runUnit, type Unit } from './unit.ts';
import type { Platform } from '../domain/platform.ts';
import { parseMessage } from '../domain/message.ts';
import { quietEnd, type QuietWindow } from '../domain/quiet-hours.ts';
import { quietSummary } from '../domain/quiet-summary.ts';
import { lockedSchedule } from './subscriptions.ts';
import { CORRECTION_KEY, outboxJoined, rowWatch, WATCH_SELECT, type WatchColumns } from './outbox.ts';
import { unfollowedSince } from '../domain/watches.ts';

export interface Released {
  /** Chats whose held alerts went out again (as one summary, or as the one alert itself). */
  readonly chats: number;
  /** Held rows folded into summaries. */
  readonly merged: number;
}

/** Chats asked at once by `windows` (bound parameters: SQLite allows 32,766, PostgreSQL 65,535). */
const WINDOWS_CHUNK = 1_000;

/** Held rows marked dead or pending per statement, and summaries written per statement (4 values each). */
const IDS_PER_STATEMENT = 1_000;
const SUMMARIES_PER_STATEMENT = 250;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Held rows read per release transaction. */
const RELEASE_BATCH = 2_000;

/** A change of a chat's window made from it (QuietStore.set): the new window, null for none, undefined to leave it. */
export type QuietChange = (current: QuietWindow | undefined, chatZone: string) => QuietWindow | null | undefined;

/** A row's quiet-hours columns as its window (none unless all three are set). */
export function windowOf(r: { quiet_start: string | null; quiet_end: string | null; quiet_zone: string | null }): QuietWindow | undefined {
  if (r.quiet_start == null || r.quiet_end == null || r.quiet_zone == null) return undefined;
  return { start: r.quiet_start, end: r.quiet_end, zone: r.quiet_zone };
}

interface HeldRow extends WatchColumns {
  id: number;
  subscription_id: number;
  body: string;
  dedupe_key: string | null;
  created_at: number;
  active: number;
  muted_until: number | null;
  quiet_zone: string | null;
  quiet_start: string | null;
  timezone: string;
  platform: string;
  chat_id: string;
}

export class QuietStore {
  readonly #db: StoreDb;
  readonly #k: Kysely<Tables>;
  readonly #window;
  readonly #anyDue;

  constructor(db: StoreDb) {
    this.#db = db;
    const k = (this.#k = db.k);
    // Both asked on every dispatch: compiled once.
    this.#window = prepare<{ id: number }, { quiet_start: string | null; quiet_end: string | null; quiet_zone: string | null }>((p) =>
      k.selectFrom('subscriptions').select(['quiet_start', 'quiet_end', 'quiet_zone']).where('id', '=', p('id')),
    );
    this.#anyDue = prepare<{ platform: string; now: number }, { one: number }>((p) =>
      k
        .selectFrom('outbox')
        .select(sql<number>`1`.as('one'))
        .where('status', '=', 'held')
        .where('platform', '=', p('platform'))
        .where('next_at', '<=', p('now'))
        .limit(1),
    );
  }

  /** The chat's quiet window, or undefined when it has none. */
  async window(subscriptionId: number): Promise<QuietWindow | undefined> {
    const q = this.#window;
    const r = await runUnit(
      this.#db,
      function* () {
        return yield* first(q({ id: subscriptionId }));
      },
      { transaction: false },
    );
    return r && windowOf(r);
  }

  /**
   * The windows of those of these chats that have one, in a query per WINDOWS_CHUNK of them: a
   * claimed batch (up to 2,048 rows) is looked up at once, not in one round trip per row.
   */
  async windows(subscriptionIds: readonly number[]): Promise<Map<number, QuietWindow>> {
    const found = new Map<number, QuietWindow>();
    const ids = [...new Set(subscriptionIds)];
    for (let i = 0; i < ids.length; i += WINDOWS_CHUNK) {
      const got = await this.#k
        .selectFrom('subscriptions')
        .select(['id', 'quiet_start', 'quiet_end', 'quiet_zone'])
        .where('id', 'in', ids.slice(i, i + WINDOWS_CHUNK))
        .where('quiet_start', 'is not', null)
        .where('quiet_end', 'is not', null)
        .where('quiet_zone', 'is not', null)
        .execute();
      for (const r of got) found.set(r.id, { start: r.quiet_start!, end: r.quiet_end!, zone: r.quiet_zone! });
    }
    return found;
  }

  /**
   * Of these chats, those with alerts held, each with the time its last held alert is released
   * (through the partial index of held rows), a query per WINDOWS_CHUNK of them.
   */
  async heldUntil(subscriptionIds: readonly number[]): Promise<Map<number, number>> {
    const found = new Map<number, number>();
    const ids = [...new Set(subscriptionIds)];
    for (let i = 0; i < ids.length; i += WINDOWS_CHUNK) {
      const got = await this.#k
        .selectFrom('outbox')
        .select((eb) => ['subscription_id', eb.fn.max('next_at').as('until')])
        .where('status', '=', 'held')
        .where('subscription_id', 'in', ids.slice(i, i + WINDOWS_CHUNK))
        .groupBy('subscription_id')
        .execute();
      for (const r of got) found.set(Number(r.subscription_id), Number(r.until));
    }
    return found;
  }

  /**
   * Sets (or with null, clears) the chat's window. Alerts already held follow the new setting: they
   * wait for the new window's end if `nowMs` is inside it, else go out at the next drain. A change
   * made from the window (`(current, zone) => window`: a zone alone moves the hours there; hours
   * alone keep the window's zone, else `zone`, the chat's) is made from it as this unit reads it,
   * locked on PostgreSQL: two changes at once are made one after the other, neither written over.
   * It returns undefined to write nothing. Returns the window before and after.
   */
  async set(subscriptionId: number, change: QuietWindow | null | QuietChange, nowMs: number): Promise<{ before?: QuietWindow; after?: QuietWindow }> {
    const k = this.#k;
    const db = this.#db;
    return runUnit(db, function* () {
      const row = yield* lockedSchedule(db, subscriptionId);
      if (row === undefined) return {};
      const before = windowOf(row);
      const w = typeof change === 'function' ? change(before, row.timezone) : change;
      if (w === undefined) return { ...(before && { before }), ...(before && { after: before }) };
      yield* run(
        k
          .updateTable('subscriptions')
          // Off keeps the zone (a window needs all three): the summary of what was held reads its times in it.
          .set((eb) => ({ quiet_start: w?.start ?? null, quiet_end: w?.end ?? null, quiet_zone: w?.zone ?? eb.ref('quiet_zone'), updated_at: nowMs }))
          .where('id', '=', subscriptionId),
      );
      yield* run(
        k
          .updateTable('outbox')
          .set({ next_at: (w && quietEnd(nowMs, w)) ?? nowMs })
          .where('subscription_id', '=', subscriptionId)
          .where('status', '=', 'held'),
      );
      return { ...(before && { before }), ...(w && { after: w }) };
    });
  }

  /** Holds pending rows, each until the end of its chat's window, in one transaction. */
  async hold(held: readonly { readonly id: number; readonly until: number }[]): Promise<void> {
    const k = this.#k;
    const holdQ = prepare<{ id: number; until: number }>((p) =>
      k
        .updateTable('outbox')
        .set({ status: 'held', next_at: p('until') })
        .where('id', '=', p('id'))
        .where('status', '=', 'pending'),
    );
    await runUnit(this.#db, function* () {
      for (const r of held) yield* run(holdQ({ id: r.id, until: r.until }));
    });
  }

  /**
   * The held rows of a platform whose window has ended: per chat, one summary message queued (or
   * the alert itself when it was the only one), the rows marked 'merged'. Chats are done in batches,
   * each batch one transaction read and written together, so a crash sends nothing twice and a
   * morning with 10,000 quiet chats is a handful of commits, not 10,000.
   */
  async release(platform: Platform, nowMs: number): Promise<Released> {
    let chats = 0;
    let merged = 0;
    // Read first: a drain with nothing to release takes no write lock (every dispatch tick asks).
    const anyDue = this.#anyDue;
    const due = await runUnit(
      this.#db,
      function* () {
        return yield* first(anyDue({ platform, now: nowMs }));
      },
      { transaction: false },
    );
    if (due === undefined) return { chats, merged };
    for (;;) {
      const r = await runUnit(this.#db, () => this.#releaseBatch(platform, nowMs));
      chats += r.chats;
      merged += r.merged;
      if (!r.more) return { chats, merged };
    }
  }

  *#releaseBatch(platform: Platform, nowMs: number): Unit<Released & { more: boolean }> {
    const k = this.#k;
    // Through the small partial index of held rows, already in chat order.
    const found = (yield* rows(
      // What the chat follows now, as the send-time check reads it (outbox.ts outboxRows).
      outboxJoined(k)
        .select([
          'o.id',
          'o.subscription_id',
          'm.body',
          'm.dedupe_key',
          'm.created_at',
          ...WATCH_SELECT,
          's.active',
          's.muted_until',
          's.quiet_zone',
          's.quiet_start',
          's.timezone',
          's.platform',
          's.chat_id',
        ])
        .where('o.status', '=', 'held')
        .where('o.platform', '=', platform)
        .where('o.next_at', '<=', nowMs)
        .orderBy('o.subscription_id')
        .orderBy('m.created_at')
        .orderBy('o.id')
        .limit(RELEASE_BATCH + 1),
    )) as HeldRow[];
    const more = found.length > RELEASE_BATCH;
    const groups = new Map<number, HeldRow[]>();
    for (const row of found) {
      const chat = groups.get(row.subscription_id);
      if (chat === undefined) groups.set(row.subscription_id, [row]);
      else chat.push(row);
    }
    // The last chat of a full batch may have rows beyond it: it waits for the next batch, whole.
    if (more && groups.size > 1) groups.delete(found.at(-1)!.subscription_id);
    // A few statements per batch, whatever its number of chats: one per chat would cost a round
    // trip each, which 1 ms away from PostgreSQL held 10,000 chats' alerts back for 80 s.
    const gone: number[] = [];
    // Muted when its window ended: what waited is dropped, as alerts decided during a mute are.
    const muted: number[] = [];
    const alone: number[] = [];
    // No longer followed (a pair left, a level turned off or removed, approach alerts off, a move
    // removed while they waited): dropped with the send-time check's reason (domain/watches.ts unfollowedSince).
    const unfollowed = new Map<string, number[]>();
    const summaries: { subId: number; held: HeldRow[]; dedupeKey: string; body: string }[] = [];
    for (const [subId, all] of groups) {
      const first0 = all[0]!;
      const correction = (r: HeldRow) => r.dedupe_key?.startsWith(CORRECTION_KEY) === true;
      if (first0.active !== 1) {
        gone.push(...all.map((r) => r.id));
        continue;
      }
      if (first0.muted_until !== null && Number(first0.muted_until) > nowMs) {
        // A correction of an alert the chat read goes all the same (never silence: alerts/dispatcher.ts stoppedSince).
        for (const r of all) (correction(r) ? alone : muted).push(r.id);
        continue;
      }
      const held = all.filter((r) => {
        const w = correction(r) ? null : rowWatch(r);
        const why = w === null ? undefined : unfollowedSince(w);
        if (why === undefined) return true;
        unfollowed.set(why, [...(unfollowed.get(why) ?? []), r.id]);
        return false;
      });
      if (held.length === 0) continue;
      if (held.length === 1) alone.push(held[0]!.id);
      else {
        const items = held.flatMap((row) => {
          const p = parseMessage(row.body);
          return p.ok ? [{ message: p.message, decidedAt: row.created_at }] : [];
        });
        // No window left: /quiet off let them out, and the summary says so rather than that the hours are over.
        const summary = quietSummary(items, first0.quiet_zone ?? first0.timezone, first0.quiet_start === null ? 'off' : 'over');
        summaries.push({ subId, held, dedupeKey: `quiet:${subId}:${held[0]!.id}`, body: JSON.stringify(summary) });
      }
    }
    for (const ids of chunks(gone, IDS_PER_STATEMENT)) {
      yield* run(
        k.updateTable('outbox').set({ status: 'dead', last_error: 'chat unsubscribed during quiet hours' }).where('id', 'in', ids).where('status', '=', 'held'),
      );
    }
    for (const ids of chunks(muted, IDS_PER_STATEMENT)) {
      yield* run(
        k
          .updateTable('outbox')
          .set({ status: 'dead', last_error: 'chat muted when its quiet hours ended' })
          .where('id', 'in', ids)
          .where('status', '=', 'held'),
      );
    }
    for (const [why, all] of unfollowed) {
      for (const ids of chunks(all, IDS_PER_STATEMENT)) {
        yield* run(k.updateTable('outbox').set({ status: 'dead', last_error: why }).where('id', 'in', ids).where('status', '=', 'held'));
      }
    }
    // A lone held alert goes out as itself. The chat may have moved (Telegram group → supergroup) while its rows were held.
    for (const ids of chunks(alone, IDS_PER_STATEMENT)) {
      yield* run(
        k
          .updateTable('outbox')
          .set((eb) => ({
            status: 'pending',
            next_at: nowMs,
            chat_id: eb.selectFrom('subscriptions').select('chat_id').whereRef('subscriptions.id', '=', 'outbox.subscription_id'),
          }))
          .where('id', 'in', ids)
          .where('status', '=', 'held'),
      );
    }
    const summaryMessages: number[] = [];
    for (const part of chunks(summaries, SUMMARIES_PER_STATEMENT)) {
      const added = yield* rows(
        k
          .insertInto('messages')
          .values(part.map((x) => ({ kind: 'alert', body: x.body, dedupe_key: x.dedupeKey, created_at: nowMs })))
          .returning(['id', 'dedupe_key']),
      );
      const messageOf = new Map(added.map((r) => [r.dedupe_key, Number(r.id)]));
      summaryMessages.push(...messageOf.values());
      // Each summary to its chat as the chat is now (read in this transaction: a moved chat's new id).
      yield* run(
        k.insertInto('outbox').values(
          part.map((x) => ({
            message_id: messageOf.get(x.dedupeKey)!,
            subscription_id: x.subId,
            platform: x.held[0]!.platform,
            chat_id: x.held[0]!.chat_id,
            created_at: nowMs,
          })),
        ),
      );
      // The held rows, marked as folded into their chat's summary (named in last_error).
      yield* run(
        k
          .updateTable('outbox')
          .set((eb) => {
            let c = eb
              .case('subscription_id')
              .when(part[0]!.subId)
              .then(`in quiet-hours summary ${messageOf.get(part[0]!.dedupeKey)}`);
            for (const x of part.slice(1)) c = c.when(x.subId).then(`in quiet-hours summary ${messageOf.get(x.dedupeKey)}`);
            return { status: 'merged', last_error: c.end() };
          })
          .where(
            'id',
            'in',
            part.flatMap((x) => x.held.map((r) => r.id)),
          )
          .where('status', '=', 'held'),
      );
    }
    // A summary is a new row, so it would come after what its chat had queued meanwhile (an alert
    // decided at the window's end, before this release): those rows, never tried, are queued
    // again behind it. A chat's messages arrive in order: what was held first, then what came after.
    for (const subIds of chunks(
      summaries.map((x) => x.subId),
      IDS_PER_STATEMENT,
    )) {
      let pick = k
        .selectFrom('outbox')
        .select(['id', 'message_id', 'subscription_id', 'platform', 'chat_id', 'next_at', 'created_at'])
        .where('subscription_id', 'in', subIds)
        .where('status', '=', 'pending')
        .where('attempts', '=', 0)
        .where('parts_sent', '=', 0)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', nowMs)]))
        .where('message_id', 'not in', summaryMessages)
        .orderBy('id');
      // A row a claimer has locked this moment is on its way out already: not taken from under it.
      if (this.#db.engine === 'postgres') pick = pick.forUpdate().skipLocked();
      const behind = yield* rows(pick);
      if (behind.length === 0) continue;
      yield* run(
        k.deleteFrom('outbox').where(
          'id',
          'in',
          behind.map((r) => r.id),
        ),
      );
      yield* run(k.insertInto('outbox').values(behind.map(({ id: _, ...r }) => r)));
    }
    const chats = alone.length + summaries.length;
    const merged = summaries.reduce((n, x) => n + x.held.length, 0);
    return { chats, merged, more };
  }

  /** Rows held now (all platforms, or one chat's). */
  async heldCount(subscriptionId?: number): Promise<number> {
    let q = this.#k
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '=', 'held');
    if (subscriptionId !== undefined) q = q.where('subscription_id', '=', subscriptionId);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}
