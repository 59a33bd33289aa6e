/**
 * Subscriptions: one row per (platform, chat), plus the derived `sub_watches` rows that fan-out
 * and the crossing engine read (rewritten with the row, in the same transaction).
 */
import { assertDatabaseFile } from './file-identity.ts';
import type { Db } from './db.ts';
import type { Platform } from '../domain/platform.ts';
import type { Lang } from '../domain/i18n/index.ts';
import { PAIR_IDS, type PairId } from '../domain/instruments.ts';
import { watchesOf, type Watch } from '../domain/watches.ts';
import { customLevel, levelById } from '../domain/levels.ts';

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
  /** Who to ping with alerts in this chat (a Discord role id), or null. */
  readonly mention: string | null;
  /** Telegram forum topic (message_thread_id) the chat's alerts and digests go to; null: the chat itself (General). */
  readonly threadId: number | null;
}

export type SubscriptionPatch = Partial<Omit<Subscription, 'id' | 'platform' | 'chatId'>>;

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

export class SubscriptionStore {
  readonly #db: Db;
  readonly #defaults: { approachPct: number; lang: Lang };
  readonly #get;
  readonly #insertWatch;
  readonly #deleteWatches;
  readonly #bump;
  readonly #insert;
  readonly #update;
  readonly #version;

  constructor(db: Db, defaults: { approachPct: number; lang: Lang }) {
    this.#db = db;
    this.#defaults = defaults;
    this.#get = db.prepare<[string, string], Row>('SELECT * FROM subscriptions WHERE platform = ? AND chat_id = ?');
    this.#insertWatch = db.prepare(
      `INSERT OR REPLACE INTO sub_watches (watch_key, subscription_id, pair, level_id, low, high, approach_pct, wants_approach, approach_only)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#deleteWatches = db.prepare('DELETE FROM sub_watches WHERE subscription_id = ?');
    this.#bump = db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'subs_version'");
    this.#insert = db.prepare(
      `INSERT INTO subscriptions (active, pairs, level_ids, custom_levels, approach_pct, muted_until, lang, digest_time,
         timezone, deactivated_reason, mention, thread_id, updated_at, platform, chat_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.#update = db.prepare(
      `UPDATE subscriptions SET active = ?, pairs = ?, level_ids = ?, custom_levels = ?, approach_pct = ?, muted_until = ?,
         lang = ?, digest_time = ?, timezone = ?, deactivated_reason = ?, mention = ?, thread_id = ?, updated_at = ? WHERE id = ?`,
    );
    this.#version = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'subs_version'");
    this.#rebuildIfDefaultChanged();
  }

  get(platform: Platform, chatId: string): Subscription | undefined {
    const r = this.#get.get(platform, chatId);
    return r && fromRow(r);
  }

  byId(id: number): Subscription | undefined {
    const r = this.#db.prepare<[number], Row>('SELECT * FROM subscriptions WHERE id = ?').get(id);
    return r && fromRow(r);
  }

  /** Creates (active) if missing, else applies the patch. */
  upsert(platform: Platform, chatId: string, patch: SubscriptionPatch = {}): Subscription {
    assertDatabaseFile(this.#db);
    return this.#db
      .transaction(() => {
        const now = Date.now();
        const existing = this.get(platform, chatId);
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
          mention: null,
          threadId: null,
        };
        const next = { ...base, ...stripUndefined(patch) };
        const cols = [
          next.active ? 1 : 0,
          JSON.stringify(next.pairs),
          next.levelIds === 'all' ? 'all' : JSON.stringify(next.levelIds),
          JSON.stringify(next.customLevels),
          next.approachPct,
          next.mutedUntil,
          next.lang,
          next.digestTime,
          next.timezone,
          next.deactivatedReason,
          next.mention,
          next.threadId,
          now,
        ] as const;
        let id: number;
        if (existing === undefined) {
          id = Number(this.#insert.run(...cols, platform, chatId, now).lastInsertRowid);
        } else {
          id = existing.id;
          this.#update.run(...cols, id);
        }
        const sub: Subscription = { id, ...next };
        this.#writeWatches(sub);
        return sub;
      })
      .immediate();
  }

  deactivate(platform: Platform, chatId: string, reason: string): void {
    assertDatabaseFile(this.#db);
    this.#db
      .prepare('UPDATE subscriptions SET active = 0, deactivated_reason = ?, updated_at = ? WHERE platform = ? AND chat_id = ?')
      .run(reason, Date.now(), platform, chatId);
    this.#bump.run();
  }

  /**
   * The chat is gone for good (blocked, kicked, deleted): deactivated, and its pending outbox rows
   * given up, in one transaction.
   */
  chatGone(platform: Platform, chatId: string, reason: string): void {
    this.#db
      .transaction(() => {
        const sub = this.get(platform, chatId);
        if (sub === undefined) return;
        this.deactivate(platform, chatId, reason);
        this.#db
          .prepare("UPDATE outbox SET status = 'dead', last_error = ? WHERE subscription_id = ? AND status = 'pending'")
          .run(`chat gone: ${reason}`, sub.id);
      })
      .immediate();
  }

  /**
   * Telegram group → supergroup: the subscription and its pending outbox rows move to the new id.
   * If the new id already has a subscription, that one wins and the old one is deactivated.
   */
  move(platform: Platform, fromChatId: string, toChatId: string): void {
    this.#db
      .transaction(() => {
        const from = this.get(platform, fromChatId);
        if (from === undefined) return;
        const to = this.get(platform, toChatId);
        if (to === undefined) {
          this.#db.prepare('UPDATE subscriptions SET chat_id = ?, updated_at = ? WHERE id = ?').run(toChatId, Date.now(), from.id);
          // A message half-sent to the old chat is sent whole to the new one.
          this.#db.prepare("UPDATE outbox SET chat_id = ?, parts_sent = 0 WHERE subscription_id = ? AND status = 'pending'").run(toChatId, from.id);
        } else {
          this.deactivate(platform, fromChatId, `moved to ${toChatId}`);
          // Rows the new chat already has for the same message are not duplicated.
          this.#db
            .prepare(
              `UPDATE outbox SET chat_id = ?, subscription_id = ?, parts_sent = 0 WHERE subscription_id = ? AND status = 'pending'
               AND message_id NOT IN (SELECT message_id FROM outbox WHERE subscription_id = ?)`,
            )
            .run(toChatId, to.id, from.id, to.id);
          this.#db.prepare("UPDATE outbox SET status = 'dead', last_error = 'chat moved' WHERE subscription_id = ? AND status = 'pending'").run(from.id);
        }
        this.#bump.run();
      })
      .immediate();
  }

  countActive(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM subscriptions WHERE active = 1').get() as { n: number }).n;
  }

  /** Bumped on every change: the pipeline re-reads the distinct watches only when it moves. */
  version(): number {
    return Number(this.#version.get()?.value ?? 0);
  }

  /** The distinct non-default watches of active chats (custom levels, own approach %). */
  extraWatches(): WatchRow[] {
    return this.#db
      .prepare<[], { watch_key: string; pair: string; level_id: string; low: number; high: number; approach_pct: number; approach_only: number }>(
        `SELECT DISTINCT w.watch_key, w.pair, w.level_id, w.low, w.high, w.approach_pct, w.approach_only
           FROM sub_watches w JOIN subscriptions s ON s.id = w.subscription_id
          WHERE s.active = 1 AND w.watch_key <> w.level_id ORDER BY w.watch_key`,
      )
      .all()
      .map((r) => ({
        key: r.watch_key,
        pair: r.pair as PairId,
        levelId: r.level_id,
        low: r.low,
        high: r.high,
        approachPct: r.approach_pct,
        approachOnly: r.approach_only === 1,
      }));
  }

  #writeWatches(sub: Subscription): void {
    this.#deleteWatches.run(sub.id);
    for (const { watch, wantsApproach } of watchesOf(sub, this.#defaults.approachPct)) {
      this.#insertWatch.run(
        watch.key,
        sub.id,
        watch.level.pair,
        watch.level.id,
        watch.level.low,
        watch.level.high,
        watch.approachPct,
        wantsApproach ? 1 : 0,
        watch.approachOnly ? 1 : 0,
      );
    }
    this.#bump.run();
  }

  /** Watches depend on the default approach %: when the config changed it, re-derive them all. */
  #rebuildIfDefaultChanged(): void {
    const key = 'subs_default_approach';
    const stored = this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    const now = String(this.#defaults.approachPct);
    if (stored?.value === now) return;
    this.#db
      .transaction(() => {
        for (const r of this.#db.prepare<[], Row>('SELECT * FROM subscriptions').all()) this.#writeWatches(fromRow(r));
        this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, now);
      })
      .immediate();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
