/**
 * Subscriptions: one row per (platform, chat), plus the derived `sub_watches` rows that fan-out
 * and the crossing engine read (rewritten with the row, in the same transaction).
 *
 * Every change bumps `subs_version` in `meta` in the same transaction, so whoever caches what the
 * subscriptions imply (the alert pipeline's extra watches, the move watches) asks that one row per
 * tick and re-reads only when it moved: on PostgreSQL a /subscribe answered by another replica is
 * seen by the leader's next tick.
 */
import { sql } from 'kysely';
import { assertDatabaseFile } from './file-identity.ts';
import type { StoreDb } from './engine.ts';
import { first, prepare, rows, run, runUnit, type Unit } from './unit.ts';
import type { Platform } from '../domain/platform.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import { watchesOf, type Watch } from '../domain/watches.ts';
import { customLevel, levelById } from '../domain/levels.ts';
import type { Tables } from './tables.ts';
import { stopCause, stopHadAlerts, stopHadOf, stopReason, type Refusal, type StopCause, type StopHad } from '../domain/stop-cause.ts';

/**
 * A stop reason (the column `column`) that says the bot lost its rights in the chat
 * (domain/stop-cause.ts 'rights'): the filter of SubscriptionStore and DiscordStore stoppedForRights.
 */
export function stoppedForRightsReason(column: 'deactivated_reason' | 's.deactivated_reason') {
  return stoppedForReason(column, 'rights');
}

/** A stop reason (the column `column`) that names `cause` (domain/stop-cause.ts). */
export function stoppedForReason(column: 'deactivated_reason' | 's.deactivated_reason', cause: StopCause) {
  const head = stopReason(cause, '');
  return sql<boolean>`substr(${sql.ref(column)}, 1, ${sql.lit(head.length)}) = ${head}`;
}

export interface Subscription {
  readonly id: number;
  readonly platform: Platform;
  readonly chatId: string;
  readonly active: boolean;
  /** Default: both pairs. */
  readonly pairs: readonly PairId[];
  /** Which essay levels; default 'all'. */
  readonly levelIds: readonly string[] | 'all';
  readonly customLevels: readonly { pair: PairId; value: number }[];
  /** Default: config.approachPct. 0 turns approach alerts off. */
  readonly approachPct: number;
  /** ms since epoch. */
  readonly mutedUntil: number | null;
  readonly lang: Lang;
  /** 'HH:MM' (the digest itself comes in a later issue). */
  readonly digestTime: string | null;
  /** IANA zone, default 'UTC'. */
  readonly timezone: string;
  readonly deactivatedReason: string | null;
  /** A webhook deactivated with its messages kept (domain/stop-cause.ts Refusal); null for every other chat and stop. */
  readonly refusal: Refusal | null;
  /**
   * When the chat's alerts stopped, or the platform stopped its digest (ms since epoch): set by the
   * store when an active chat is deactivated, or a chat with a digest is stopped, kept while it stays
   * stopped, cleared when it is active again or its digest stop lifted. Null while active, for a row
   * that never had either, and for a stop older than the column (migration 015).
   */
  readonly deactivatedAt: number | null;
  /**
   * What was on when the platform stopped the chat (alerts, its digest, both): set by the store with
   * the stop, kept while it lasts, cleared with it. Null for a chat not stopped so (active, never
   * subscribed, unsubscribed) and for a stop of a chat that had nothing on.
   */
  readonly stopHad: StopHad | null;
  /** Who to ping with alerts in this chat (a Discord role id), or null. */
  readonly mention: string | null;
  /** Telegram forum topic (message_thread_id) the chat's alerts and digests go to; null: the chat itself (General). */
  readonly threadId: number | null;
}

/** `deactivatedAt` and `stopHad` are no settings: the store keeps them with `active` and the stop. */
export type SubscriptionPatch = Partial<Omit<Subscription, 'id' | 'platform' | 'chatId' | 'deactivatedAt' | 'stopHad'>>;
/**
 * A patch made from the chat's row as the writing unit reads it (undefined: none yet). It returns
 * undefined to write nothing (the change is already there, or no longer applies).
 */
export type PatchOf = (current: Subscription | undefined) => SubscriptionPatch | undefined;

interface Row {
  id: number;
  platform: string;
  chat_id: string;
  active: number;
  pairs: string;
  level_ids: string;
  custom_levels: string;
  approach_pct: number;
  muted_until: number | null;
  lang: string;
  digest_time: string | null;
  timezone: string;
  deactivated_reason: string | null;
  refusal: string | null;
  deactivated_at: number | string | null;
  stop_had: string | null;
  mention: string | null;
  thread_id: number | null;
}

function fromRow(r: Row): Subscription {
  return {
    id: r.id,
    platform: r.platform as Platform,
    chatId: r.chat_id,
    active: r.active === 1,
    pairs: JSON.parse(r.pairs) as PairId[],
    levelIds: r.level_ids === 'all' ? 'all' : (JSON.parse(r.level_ids) as string[]),
    customLevels: JSON.parse(r.custom_levels) as { pair: PairId; value: number }[],
    approachPct: r.approach_pct,
    mutedUntil: r.muted_until,
    lang: r.lang as Lang,
    digestTime: r.digest_time,
    timezone: r.timezone,
    deactivatedReason: r.deactivated_reason,
    refusal: r.refusal === 'gone' || r.refusal === 'blocked' ? r.refusal : null,
    // A BIGINT comes back from PostgreSQL as text.
    deactivatedAt: r.deactivated_at === null || r.deactivated_at === undefined ? null : Number(r.deactivated_at),
    stopHad: r.stop_had === 'alerts' || r.stop_had === 'digest' || r.stop_had === 'both' ? r.stop_had : null,
    mention: r.mention,
    threadId: r.thread_id ?? null,
  };
}

/** A watch some active chat asked for, beyond the essay's default ones. */
export interface WatchRow {
  readonly key: string;
  readonly pair: PairId;
  readonly levelId: string;
  readonly low: number;
  readonly high: number;
  readonly approachPct: number;
  readonly approachOnly: boolean;
}

export function watchFromRow(r: WatchRow): Watch {
  const essay = levelById(r.levelId);
  const level = essay ?? customLevel(r.pair, r.low);
  return { key: r.key, level, approachPct: r.approachPct, approachOnly: r.approachOnly };
}

/** `#upsertOnce`: another unit inserted the chat's row after this one looked. */
const RACED = Symbol('raced');

export class SubscriptionStore {
  readonly #db: StoreDb;
  readonly #defaults: { approachPct: number; lang: Lang };
  /** The app's clock (main.ts's `now`, a CLI's `ctx.now`): a stop's `deactivated_at` is what `webhook list` and /status count "ago" from. */
  readonly #now: () => number;
  #ready: Promise<void> | undefined;
  readonly #getQ;
  readonly #versionQ;

  constructor(db: StoreDb, defaults: { approachPct: number; lang: Lang; now?: () => number }) {
    this.#db = db;
    this.#defaults = { approachPct: defaults.approachPct, lang: defaults.lang };
    // Read at each call, not captured: a test moving the global clock (vi.setSystemTime) moves it too.
    this.#now = defaults.now ?? (() => Date.now());
    const k = db.k;
    this.#getQ = prepare<{ platform: string; chatId: string }, Row>((p) =>
      k.selectFrom('subscriptions').selectAll().where('platform', '=', p('platform')).where('chat_id', '=', p('chatId')),
    );
    // Asked once per alert tick: compiled once.
    this.#versionQ = prepare<Record<string, never>, { value: string }>(() => k.selectFrom('meta').select('value').where('key', '=', 'subs_version'));
  }

  /**
   * A chat's row, as stored. It does not wait for `ready()`: the row does not depend on the watches,
   * and every command reads it first (for the chat's language), so on a new database a command
   * would otherwise wait for that first write, and answer "busy" while another process holds the
   * write lock (an import, a backup).
   */
  async get(platform: Platform, chatId: string): Promise<Subscription | undefined> {
    const getQ = this.#getQ;
    const r = await runUnit(
      this.#db,
      function* () {
        return yield* first(getQ({ platform, chatId }));
      },
      { transaction: false },
    );
    return r && fromRow(r);
  }

  /** A row by its id; like `get`, without waiting for `ready()`. */
  async byId(id: number): Promise<Subscription | undefined> {
    const r = await this.#db.k.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    return r && fromRow(r as Row);
  }

  /** Whether the chat's row was never changed after it was created (its settings are its defaults). */
  async unchangedSinceCreated(platform: Platform, chatId: string): Promise<boolean> {
    const r = await this.#db.k
      .selectFrom('subscriptions')
      .select(['created_at', 'updated_at'])
      .where('platform', '=', platform)
      .where('chat_id', '=', chatId)
      .executeTakeFirst();
    return r !== undefined && Number(r.created_at) === Number(r.updated_at);
  }

  /**
   * Creates (active) if missing, else applies the patch. A patch made from the row (`(current) =>
   * patch`: a level's button sets it) is made from the row as this unit reads it, locked on
   * PostgreSQL: two such changes at the same moment both land, neither written over the other. It
   * may return undefined to write nothing: then the row as it is comes back (undefined: none).
   */
  upsert(platform: Platform, chatId: string, patch?: SubscriptionPatch): Promise<Subscription>;
  upsert(platform: Platform, chatId: string, patch: PatchOf): Promise<Subscription | undefined>;
  async upsert(platform: Platform, chatId: string, patch: SubscriptionPatch | PatchOf = {}): Promise<Subscription | undefined> {
    await this.ready();
    this.#assertFile();
    return runUnit(this.#db, () => this.#changeOps(platform, chatId, patch));
  }

  /** `upsert` as part of a larger unit of work (store/webhooks.ts: a hook and its subscription together). */
  *upsertOps(platform: Platform, chatId: string, patch: SubscriptionPatch = {}): Unit<Subscription> {
    return (yield* this.#changeOps(platform, chatId, patch))!;
  }

  *#changeOps(platform: Platform, chatId: string, patchOrOf: SubscriptionPatch | PatchOf): Unit<Subscription | undefined> {
    // A new chat's row inserted by another unit meanwhile (PostgreSQL): the change is made again from it.
    for (let attempt = 0; ; attempt++) {
      const sub = yield* this.#upsertOnce(platform, chatId, patchOrOf);
      if (sub !== RACED) return sub;
      if (attempt > 0) throw new Error(`subscription ${platform}:${chatId} neither inserted nor found`);
    }
  }

  /**
   * The chat's row, made with `patchIfNew` when it has none; an existing row is left as it is (no
   * write: its settings, and whether it is active, are whatever another command made them).
   */
  async ensure(platform: Platform, chatId: string, patchIfNew: SubscriptionPatch): Promise<Subscription> {
    return (await this.upsert(platform, chatId, (current) => (current === undefined ? patchIfNew : undefined)))!;
  }

  /** The chat's row read for a change: on PostgreSQL (units side by side, READ COMMITTED) locked until this unit ends. */
  *#lockedRow(platform: Platform, chatId: string): Unit<Row | undefined> {
    const k = this.#db.k;
    if (this.#db.engine !== 'postgres') return yield* first(this.#getQ({ platform, chatId }));
    return (yield* first(k.selectFrom('subscriptions').selectAll().where('platform', '=', platform).where('chat_id', '=', chatId).forUpdate())) as
      | Row
      | undefined;
  }

  *#upsertOnce(platform: Platform, chatId: string, patchOrOf: SubscriptionPatch | PatchOf): Unit<Subscription | undefined | typeof RACED> {
    const k = this.#db.k;
    const now = this.#now();
    const found = yield* this.#lockedRow(platform, chatId);
    const existing = found && fromRow(found);
    const made = typeof patchOrOf === 'function' ? patchOrOf(existing) : patchOrOf;
    if (made === undefined) return existing;
    const patch = made;
    const base: Omit<Subscription, 'id'> = existing ?? {
      platform,
      chatId,
      active: true,
      pairs: [...PAIR_IDS],
      levelIds: 'all',
      customLevels: [],
      approachPct: this.#defaults.approachPct,
      mutedUntil: null,
      lang: this.#defaults.lang,
      digestTime: null,
      timezone: 'UTC',
      deactivatedReason: null,
      refusal: null,
      deactivatedAt: null,
      stopHad: null,
      mention: null,
      threadId: null,
    };
    // Alerts stop when an active chat is made inactive; a stopped chat keeps when it stopped; a row
    // made inactive from the start (settings only: a /lang before any /subscribe) never had alerts.
    const deactivatedAt = (patch.active ?? base.active) ? null : existing?.active === true ? now : (existing?.deactivatedAt ?? null);
    const next = { ...base, ...stripUndefined(patch), deactivatedAt };
    // What the stop took goes with the stop: gone once active again, or its reason cleared.
    const stopHad = next.active || next.deactivatedReason === null ? null : next.stopHad;
    const cols = {
      active: next.active ? 1 : 0,
      pairs: JSON.stringify(next.pairs),
      level_ids: next.levelIds === 'all' ? 'all' : JSON.stringify(next.levelIds),
      custom_levels: JSON.stringify(next.customLevels),
      approach_pct: next.approachPct,
      muted_until: next.mutedUntil,
      lang: next.lang,
      digest_time: next.digestTime,
      timezone: next.timezone,
      deactivated_reason: next.deactivatedReason,
      // Only a chat stopped keeps why: one active again (a passing `webhook test`) has none.
      refusal: next.active ? null : next.refusal,
      deactivated_at: next.deactivatedAt,
      stop_had: stopHad,
      mention: next.mention,
      thread_id: next.threadId,
      updated_at: now,
    };
    let id: number;
    if (existing === undefined) {
      const r = yield* first(
        k
          .insertInto('subscriptions')
          .values({ ...cols, platform, chat_id: chatId, created_at: now })
          // Two new chats' first commands at once (PostgreSQL): the second finds the first's row.
          .onConflict((oc) => oc.columns(['platform', 'chat_id']).doNothing())
          .returning('id'),
      );
      if (r === undefined) return RACED;
      id = Number(r.id);
    } else {
      id = existing.id;
      yield* run(k.updateTable('subscriptions').set(cols).where('id', '=', id));
    }
    const sub: Subscription = { id, ...next, stopHad };
    yield* this.#writeWatches(sub);
    return sub;
  }

  async deactivate(platform: Platform, chatId: string, reason: string): Promise<void> {
    this.#assertFile();
    await runUnit(this.#db, () => this.#deactivateOps(platform, chatId, reason));
  }

  *#deactivateOps(platform: Platform, chatId: string, reason: string, refusal: Refusal | null = null): Unit<void> {
    const now = this.#now();
    const row = yield* this.#lockedRow(platform, chatId);
    if (row === undefined) return;
    const stoppedAlready = row.active === 0 && stopCause(row.deactivated_reason) !== undefined;
    // What a stop takes: what was on, or what a stop already there took (a chat stopped again keeps
    // its first stop's). A chat's own choice (/unsubscribe, a move, a hook removed) is no stop.
    const had = stopCause(reason) === undefined ? null : stoppedAlready ? row.stop_had : (stopHadOf(row.active === 1, row.digest_time !== null) ?? null);
    // When it stopped: now for an active chat, or one whose digest this stop takes; a chat stopped
    // already keeps its moment (a stopped chat's /unsubscribe, a removed hook that had stopped).
    const startsNow = row.active === 1 || (!stoppedAlready && had !== null);
    yield* run(
      this.#db.k
        .updateTable('subscriptions')
        .set({ active: 0, deactivated_reason: reason, refusal, updated_at: now, stop_had: had, ...(startsNow ? { deactivated_at: now } : {}) })
        .where('id', '=', row.id),
    );
    yield* bump(this.#db);
  }

  /**
   * A chat that had only its digest when the platform stopped it, and sets its digest again where
   * the bot may post: the stop is lifted, its alerts left off (they were). False, and nothing
   * written, for any other chat (alerts stopped too: /subscribe brings both back).
   */
  async liftDigestStop(platform: Platform, chatId: string): Promise<boolean> {
    this.#assertFile();
    return runUnit(this.#db, () => this.#liftDigestStopOps(platform, chatId));
  }

  *#liftDigestStopOps(platform: Platform, chatId: string): Unit<boolean> {
    const row = yield* this.#lockedRow(platform, chatId);
    if (row === undefined || row.active === 1 || row.stop_had !== 'digest' || stopCause(row.deactivated_reason) === undefined) return false;
    yield* run(
      this.#db.k
        .updateTable('subscriptions')
        .set({ deactivated_reason: null, refusal: null, deactivated_at: null, stop_had: null, updated_at: this.#now() })
        .where('id', '=', row.id),
    );
    yield* bump(this.#db);
    return true;
  }

  /**
   * The chat's own choice ends one part of what a platform stop holds: /unsubscribe its alerts,
   * /digest off its digest. The stop keeps the rest, its cause and moment (a digest set while
   * stopped counts as held: none goes while the stop lasts, and /unsubscribe must not send it), or
   * ends when nothing is left: `unsubscribed` after /unsubscribe (a later /subscribe starts afresh),
   * no reason after /digest off (a chat of settings only). The row as written; undefined, and
   * nothing written, for a chat the platform did not stop.
   */
  async endStopPart(platform: Platform, chatId: string, part: 'alerts' | 'digest'): Promise<Subscription | undefined> {
    this.#assertFile();
    const getQ = this.#getQ;
    const self = this;
    return runUnit(this.#db, function* () {
      const row = yield* self.#lockedRow(platform, chatId);
      if (row === undefined || row.active === 1 || stopCause(row.deactivated_reason) === undefined) return undefined;
      const had = fromRow(row).stopHad;
      const left = stopHadOf(part !== 'alerts' && stopHadAlerts(had), part !== 'digest' && row.digest_time !== null);
      const ended =
        part === 'alerts'
          ? { deactivated_reason: 'unsubscribed', refusal: null, stop_had: null }
          : { deactivated_reason: null, refusal: null, stop_had: null, deactivated_at: null };
      yield* run(
        self.#db.k
          .updateTable('subscriptions')
          .set({ ...(left === undefined ? ended : { stop_had: left }), updated_at: self.#now() })
          .where('id', '=', row.id),
      );
      yield* bump(self.#db);
      const after = yield* first(getQ({ platform, chatId }));
      return after && fromRow(after);
    });
  }

  /**
   * The chat is gone for good (blocked, kicked, deleted): deactivated, and its pending outbox rows
   * given up, in one transaction.
   */
  async chatGone(platform: Platform, chatId: string, reason: string, refusal: Refusal | null = null): Promise<void> {
    await runUnit(this.#db, () => this.chatGoneOps(platform, chatId, reason, refusal));
  }

  /** `chatGone` as part of a larger unit of work (store/webhooks.ts: removing a hook). */
  *chatGoneOps(platform: Platform, chatId: string, reason: string, refusal: Refusal | null = null): Unit<boolean> {
    const sub = yield* first(this.#getQ({ platform, chatId }));
    if (sub === undefined) return false;
    yield* this.#deactivateOps(platform, chatId, reason, refusal);
    yield* run(
      this.#db.k
        .updateTable('outbox')
        // A hook its receiver refused keeps them for a passing `webhook test` (store/webhooks.ts).
        .set({ status: 'dead', last_error: `chat gone: ${reason}`, kept: refusal === null ? 0 : 1 })
        .where('subscription_id', '=', sub.id)
        .where('status', '=', 'pending'),
    );
    return true;
  }

  /**
   * Telegram group → supergroup: the subscription and its pending outbox rows move to the new id.
   * If the new id already has an active subscription, that one wins and the old one is deactivated.
   * A row there of settings only (a /lang, /digest or /quiet typed in the supergroup before the
   * move was seen) takes the old subscription in, as it was: an active one's alerts carry on there, a
   * stopped one stays stopped with its cause and moment (told when the bot may post again), its
   * levels, watches and quiet hours kept; the new chat's own settings kept (its language; its digest
   * and quiet hours when it set them, else the old ones). The chat's type (store/chat-types.ts) goes
   * along where the new id has none yet: a group that became a supergroup is still named a group.
   */
  async move(platform: Platform, fromChatId: string, toChatId: string): Promise<void> {
    const db = this.#db;
    const k = db.k;
    const getQ = this.#getQ;
    const self = this;
    await runUnit(db, function* () {
      const from = yield* first(getQ({ platform, chatId: fromChatId }));
      if (from === undefined) return;
      // Telegram's move is a group's upgrade: the new chat is a supergroup, still named a group.
      yield* run(
        k
          .insertInto('chat_types')
          .columns(['platform', 'chat_id', 'type', 'updated_at'])
          .expression(
            k
              .selectFrom('chat_types')
              .select((eb) => [
                'platform',
                eb.val(toChatId).as('chat_id'),
                eb.case().when('type', '=', 'group').then('supergroup').else(eb.ref('type')).end().as('type'),
                eb.val(self.#now()).as('updated_at'),
              ])
              .where('platform', '=', platform)
              .where('chat_id', '=', fromChatId),
          )
          .onConflict((oc) => oc.doNothing()),
      );
      const to = yield* first(getQ({ platform, chatId: toChatId }));
      if (to === undefined) {
        yield* run(k.updateTable('subscriptions').set({ chat_id: toChatId, updated_at: self.#now() }).where('id', '=', from.id));
        // A message half-sent to the old chat is sent whole to the new one.
        yield* run(
          k
            .updateTable('outbox')
            .set({ chat_id: toChatId, parts_sent: 0, parts_lang: null, parts_day: null, parts_then: null })
            .where('subscription_id', '=', from.id)
            .where('status', '=', 'pending'),
        );
      } else {
        // The new chat's row holds settings only (never subscribed, never stopped): it takes the old
        // subscription in, as it was, stopped or not. A stopped row there is a subscription of its own,
        // which only an active old one replaces.
        const settingsOnly = to.active === 0 && to.deactivated_reason === null;
        if (settingsOnly || (to.active === 0 && from.active === 1)) yield* self.#mergeInto(fromRow(from), fromRow(to));
        yield* self.#deactivateOps(platform, fromChatId, `moved to ${toChatId}`);
        // Rows the new chat already has for the same message are not duplicated.
        yield* run(
          k
            .updateTable('outbox')
            .set({ chat_id: toChatId, subscription_id: to.id, parts_sent: 0, parts_lang: null, parts_day: null, parts_then: null })
            .where('subscription_id', '=', from.id)
            .where('status', '=', 'pending')
            .where('message_id', 'not in', k.selectFrom('outbox').select('message_id').where('subscription_id', '=', to.id)),
        );
        yield* run(
          k.updateTable('outbox').set({ status: 'dead', last_error: 'chat moved' }).where('subscription_id', '=', from.id).where('status', '=', 'pending'),
        );
      }
      yield* bump(db);
    });
  }

  /**
   * `move`'s merge: `from`'s subscription into `to`'s inactive row, the old chat's schedule ended. A
   * stopped `from` stays stopped there, with its cause, refusal and moment (what mayPostAgain tells
   * the chat when the bot may post again); an active one carries on.
   */
  *#mergeInto(from: Subscription, to: Subscription): Unit<void> {
    const k = this.#db.k;
    const { pairs, levelIds, customLevels, approachPct, mutedUntil, mention } = from;
    const state = from.active ? { active: true, deactivatedReason: null } : { active: false, deactivatedReason: from.deactivatedReason, refusal: from.refusal };
    yield* this.upsertOps(to.platform, to.chatId, { ...state, pairs, levelIds, customLevels, approachPct, mutedUntil, mention });
    if (!from.active) yield* run(k.updateTable('subscriptions').set({ deactivated_at: from.deactivatedAt, stop_had: from.stopHad }).where('id', '=', to.id));
    const cols = ['id', 'digest_time', 'timezone', 'digest_next_due', 'quiet_start', 'quiet_end', 'quiet_zone'] as const;
    const old = (yield* first(k.selectFrom('subscriptions').select(cols).where('id', '=', from.id)))!;
    const own = (yield* first(k.selectFrom('subscriptions').select(cols).where('id', '=', to.id)))!;
    // The old chat's digest (its slot is there already) and quiet hours, where the new chat set none.
    const digest = own.digest_time === null ? { digest_time: old.digest_time, timezone: old.timezone, digest_next_due: old.digest_next_due } : {};
    const quiet = own.quiet_start === null ? { quiet_start: old.quiet_start, quiet_end: old.quiet_end, quiet_zone: old.quiet_zone } : {};
    if (Object.keys({ ...digest, ...quiet }).length > 0)
      yield* run(
        k
          .updateTable('subscriptions')
          .set({ ...digest, ...quiet })
          .where('id', '=', to.id),
      );
    yield* run(
      k
        .insertInto('move_watches')
        .columns(['watch_key', 'subscription_id', 'pair', 'pct', 'days', 'created_at'])
        .expression(
          k
            .selectFrom('move_watches')
            .select((eb) => ['watch_key', eb.val(to.id).as('subscription_id'), 'pair', 'pct', 'days', 'created_at'])
            .where('subscription_id', '=', from.id),
        )
        .onConflict((oc) => oc.doNothing()),
    );
    // Held alerts (quiet hours) go along with the pending ones.
    yield* run(
      k
        .updateTable('outbox')
        .set({ chat_id: to.chatId, subscription_id: to.id, parts_sent: 0, parts_lang: null, parts_day: null, parts_then: null })
        .where('subscription_id', '=', from.id)
        .where('status', '=', 'held')
        .where('message_id', 'not in', k.selectFrom('outbox').select('message_id').where('subscription_id', '=', to.id)),
    );
    // The old chat is gone: no digest is due there any more.
    yield* run(k.updateTable('subscriptions').set({ digest_time: null, digest_next_due: null }).where('id', '=', from.id));
  }

  /**
   * The chats of `platform` whose alerts stopped because the bot lost its rights there
   * (domain/stop-cause.ts 'rights'), in one read whatever their number: what Telegram's start asks
   * about (platforms/telegram/rights-scan.ts). Discord's, placed by server, is store/discord.ts
   * stoppedForRights.
   */
  async stoppedForRights(platform: Platform): Promise<string[]> {
    const found = await this.#db.k
      .selectFrom('subscriptions')
      .select('chat_id')
      .where('platform', '=', platform)
      .where('active', '=', 0)
      .where(stoppedForRightsReason('deactivated_reason'))
      .orderBy('chat_id')
      .execute();
    return found.map((r) => r.chat_id);
  }

  async countActive(): Promise<number> {
    const r = await this.#db.k
      .selectFrom('subscriptions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('active', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Bumped in the same transaction as every change (on any replica): the pipeline re-reads the
   * distinct watches only when it moves. One primary-key read.
   */
  async version(): Promise<number> {
    await this.ready();
    const versionQ = this.#versionQ;
    const r = await runUnit(
      this.#db,
      function* () {
        return yield* first(versionQ({}));
      },
      { transaction: false },
    );
    return Number(r?.value ?? 0);
  }

  /** The distinct non-default watches of active chats (custom levels, own approach %). */
  async extraWatches(): Promise<WatchRow[]> {
    await this.ready();
    const found = await this.#db.k
      .selectFrom('sub_watches as w')
      .innerJoin('subscriptions as s', 's.id', 'w.subscription_id')
      .select(['w.watch_key', 'w.pair', 'w.level_id', 'w.low', 'w.high', 'w.approach_pct', 'w.approach_only'])
      .distinct()
      .where('s.active', '=', 1)
      .whereRef('w.watch_key', '<>', 'w.level_id')
      .orderBy('w.watch_key')
      .execute();
    return found.map((r) => ({
      key: r.watch_key,
      pair: r.pair as PairId,
      levelId: r.level_id,
      low: r.low,
      high: r.high,
      approachPct: r.approach_pct,
      approachOnly: r.approach_only === 1,
    }));
  }

  *#writeWatches(sub: Subscription): Unit<void> {
    const k = this.#db.k;
    yield* run(k.deleteFrom('sub_watches').where('subscription_id', '=', sub.id));
    // One row per key (the last wins, as INSERT OR REPLACE did), in one statement.
    const byKey = new Map<string, Tables['sub_watches']>();
    for (const { watch, wantsApproach } of watchesOf(sub, this.#defaults.approachPct)) {
      byKey.set(watch.key, {
        watch_key: watch.key,
        subscription_id: sub.id,
        pair: watch.level.pair,
        level_id: watch.level.id,
        low: watch.level.low,
        high: watch.level.high,
        approach_pct: watch.approachPct,
        wants_approach: wantsApproach ? 1 : 0,
        approach_only: watch.approachOnly ? 1 : 0,
      });
    }
    if (byKey.size > 0) yield* run(k.insertInto('sub_watches').values([...byKey.values()]));
    yield* bump(this.#db);
  }

  #assertFile(): void {
    if (this.#db.sqlite !== undefined) assertDatabaseFile(this.#db.sqlite);
  }

  /**
   * The first use checks the watches against the configured default approach % (once per store);
   * every method that writes or reads watches waits for it (the row reads `get` and `byId` do
   * not), and a unit of work built from `…Ops` pieces calls it first.
   */
  ready(): Promise<void> {
    this.#ready ??= this.#rebuildIfDefaultChanged().catch((e: unknown) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  /** Watches depend on the default approach %: when the config changed it, re-derive them all. */
  async #rebuildIfDefaultChanged(): Promise<void> {
    const key = DEFAULT_APPROACH_KEY;
    const now = String(this.#defaults.approachPct);
    const k = this.#db.k;
    const stored = await k.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    if (stored?.value === now) return;
    const self = this;
    await runUnit(this.#db, function* () {
      // Asked again inside the transaction: another replica may have done it meanwhile.
      const again = yield* first(k.selectFrom('meta').select('value').where('key', '=', key));
      if (again?.value === now) return;
      for (const r of yield* rows(k.selectFrom('subscriptions').selectAll().orderBy('id'))) yield* self.#writeWatches(fromRow(r as Row));
      yield* run(
        k
          .insertInto('meta')
          .values({ key, value: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: now })),
      );
    });
  }
}

/** The meta key of the default approach % the watches were derived with (SubscriptionStore.ready). */
export const DEFAULT_APPROACH_KEY = 'subs_default_approach';

/** `subs_version` + 1, atomically (two replicas' changes are two bumps). */
export function* bump(db: StoreDb): Unit<void> {
  yield* run(db.k.updateTable('meta').set({ value: sql<string>`CAST(CAST(value AS BIGINT) + 1 AS TEXT)` }).where('key', '=', 'subs_version'));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A subscription's schedule columns by id, read for a change made from them (store/quiet.ts,
 * store/digests.ts): on PostgreSQL locked (FOR UPDATE) until the unit ends, so two changes at the
 * same moment are made one after the other, each from what the other wrote; SQLite's units run
 * one at a time already.
 */
export function* lockedSchedule(db: StoreDb, id: number) {
  const q = db.k.selectFrom('subscriptions').select(['id', 'digest_time', 'timezone', 'quiet_start', 'quiet_end', 'quiet_zone']).where('id', '=', id);
  return yield* first(db.engine === 'postgres' ? q.forUpdate() : q);
}
