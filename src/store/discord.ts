/**
 * What the Discord adapter keeps beside a subscription, in the `meta` key/value table (no
 * migration needed): the guild and type of each subscribed channel (so GUILD_DELETE can find its
 * channels; a DM's type alone, so a send there asks Discord nothing) and the hash of the last
 * registered slash commands. (The role to mention is the
 * subscription's own `mention`.)
 */
import { sql } from 'kysely';
import type { StoreDb } from './engine.ts';
import { MetaStore } from './meta.ts';
import { metaToldNote, type ToldNote } from './told-note.ts';
import { stoppedForReason, stoppedForRightsReason } from './subscriptions.ts';

export interface DiscordChannelInfo {
  /** The channel's server; none for a DM or a group DM. */
  readonly guildId?: string;
  /** Discord's channel type when known: 5 is an announcement channel (its alerts are also published). */
  readonly type?: number;
}

const CHANNEL = 'discord:channel:';
const COMMANDS_HASH = 'discord:commands_hash';
/** The application this database's channels subscribed through (client.ts checks it at start). */
const APP = 'discord:app';
/** When a channel whose alerts stopped was last told the bot may post there again (rights-back.ts). */
const RIGHTS_BACK = 'discord.rights_back:';
/** A channel's unexplained refusals in a row (platforms/discord/notifier.ts UNEXPLAINED_MAX): `{count, until}`. */
const UNEXPLAINED = 'discord:unexplained:';

export class DiscordStore {
  readonly #meta: MetaStore;

  /** From the store handle (the CLI, tests) or the MetaStore a platform adapter is given. */
  constructor(source: StoreDb | MetaStore) {
    this.#meta = source instanceof MetaStore ? source : new MetaStore(source);
  }

  async channel(channelId: string): Promise<DiscordChannelInfo | undefined> {
    const value = await this.#meta.get(CHANNEL + channelId);
    return value === undefined ? undefined : (JSON.parse(value) as DiscordChannelInfo);
  }

  async setChannel(channelId: string, info: DiscordChannelInfo): Promise<void> {
    await this.#meta.set(CHANNEL + channelId, JSON.stringify(info));
  }

  /**
   * Records a channel's type (learned when sending to a channel subscribed before types were
   * kept). Read and written as one compare-and-set: a replica re-subscribing the channel (a new
   * guild) at the same moment keeps its write.
   */
  async setChannelType(channelId: string, type: number): Promise<void> {
    await this.#meta.update(CHANNEL + channelId, (value) =>
      value === undefined ? undefined : JSON.stringify({ ...(JSON.parse(value) as DiscordChannelInfo), type }),
    );
  }

  /** The channels recorded for `guildId`. */
  async channelsOf(guildId: string): Promise<string[]> {
    return (await this.#meta.withPrefix(CHANNEL))
      .filter((r) => (JSON.parse(r.value) as DiscordChannelInfo).guildId === guildId)
      .map((r) => r.key.slice(CHANNEL.length));
  }

  /**
   * The channels whose alerts stopped because the bot lost its rights there (domain/stop-cause.ts
   * 'rights'), or because their thread was locked ('closed': told once it is unlocked), by the guild
   * recorded for them: one query for every server, what the gateway's start checks (rights-back.ts),
   * however many servers the bot is in. A channel without a recorded guild cannot be placed and is
   * left out, as channelsOf leaves it out.
   */
  async stoppedForRights(): Promise<Map<string, string[]>> {
    const found = await this.#meta.db.k
      .selectFrom('subscriptions as s')
      .innerJoin('meta as m', (join) => join.on(sql<boolean>`m.key = (${sql.lit(CHANNEL)} || s.chat_id)`))
      .select(['s.chat_id as chatId', 'm.value as value'])
      .where('s.platform', '=', 'discord')
      .where('s.active', '=', 0)
      .where((eb) => eb.or([stoppedForRightsReason('s.deactivated_reason'), stoppedForReason('s.deactivated_reason', 'closed')]))
      .orderBy('s.chat_id')
      .execute();
    const byGuild = new Map<string, string[]>();
    for (const r of found) {
      const { guildId } = JSON.parse(r.value) as DiscordChannelInfo;
      if (guildId === undefined) continue;
      const channels = byGuild.get(guildId);
      if (channels === undefined) byGuild.set(guildId, [r.chatId]);
      else channels.push(r.chatId);
    }
    return byGuild;
  }

  /**
   * Every channel whose alerts are on, with the guild recorded for it: one query for every server,
   * what a new gateway session's READY compares with the servers it lists (removed-while-away.ts).
   * A channel without a recorded guild (a DM) cannot be placed and is left out.
   */
  async activeChannels(): Promise<{ readonly channelId: string; readonly guildId: string }[]> {
    const found = await this.#meta.db.k
      .selectFrom('subscriptions as s')
      .innerJoin('meta as m', (join) => join.on(sql<boolean>`m.key = (${sql.lit(CHANNEL)} || s.chat_id)`))
      .select(['s.chat_id as chatId', 'm.value as value'])
      .where('s.platform', '=', 'discord')
      .where('s.active', '=', 1)
      .orderBy('s.chat_id')
      .execute();
    return found.flatMap((r) => {
      const { guildId } = JSON.parse(r.value) as DiscordChannelInfo;
      return guildId === undefined ? [] : [{ channelId: r.chatId, guildId }];
    });
  }

  /** Whether a channel was told within `lastsMs` that the bot may post there again, and that it was (rights-back.ts). */
  rightsBackNote(lastsMs: number): ToldNote {
    return metaToldNote(this.#meta, RIGHTS_BACK, lastsMs);
  }

  /** The channels in a row of unexplained refusals, with its count and until when their sends wait. */
  async unexplained(): Promise<Map<string, { count: number; until: number }>> {
    const found = new Map<string, { count: number; until: number }>();
    for (const r of await this.#meta.withPrefix(UNEXPLAINED)) {
      // A row that is not such JSON is passed over as one of another shape is: it costs its channel's count alone, not every channel's.
      let v: { count?: unknown; until?: unknown } | null;
      try {
        v = JSON.parse(r.value) as typeof v;
      } catch {
        continue;
      }
      if (typeof v?.count === 'number' && typeof v.until === 'number') found.set(r.key.slice(UNEXPLAINED.length), { count: v.count, until: v.until });
    }
    return found;
  }

  /**
   * The rows of unexplained refusals of channels gone for the bot (no active subscription: deleted,
   * unsubscribed, stopped for another cause), whose wait ended before `olderThanMs`, deleted: nothing
   * will be sent there to end them, and a channel subscribed again starts a new row. A row of an
   * active channel stays whatever its age (its next delivery ends it); one that is not such JSON, of
   * a gone channel, goes too. For the retention job (store/retention.ts).
   */
  async pruneGoneUnexplained(olderThanMs: number): Promise<number> {
    const rows = await this.#meta.db.k
      .selectFrom('meta as m')
      .select(['m.key', 'm.value'])
      .where('m.key', 'like', `${UNEXPLAINED}%`)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('subscriptions as s')
              .select('s.id')
              .where('s.platform', '=', 'discord')
              .where('s.active', '=', 1)
              .where(sql<boolean>`m.key = (${sql.lit(UNEXPLAINED)} || s.chat_id)`),
          ),
        ),
      )
      .execute();
    const old = rows
      .filter((r) => {
        if (!r.key.startsWith(UNEXPLAINED)) return false;
        try {
          const until = (JSON.parse(r.value) as { until?: unknown } | null)?.until;
          return typeof until !== 'number' || until < olderThanMs;
        } catch {
          return true;
        }
      })
      .map((r) => r.key);
    if (old.length === 0) return 0;
    return Number((await this.#meta.db.k.deleteFrom('meta').where('key', 'in', old).executeTakeFirst()).numDeletedRows);
  }

  async setUnexplained(channelId: string, row: { count: number; until: number } | undefined): Promise<void> {
    if (row === undefined) await this.#meta.delete(UNEXPLAINED + channelId);
    else await this.#meta.set(UNEXPLAINED + channelId, JSON.stringify({ count: row.count, until: row.until }));
  }

  async app(): Promise<string | undefined> {
    return this.#meta.get(APP);
  }

  async setApp(applicationId: string): Promise<void> {
    await this.#meta.set(APP, applicationId);
  }

  async commandsHash(scope: string): Promise<string | undefined> {
    return this.#meta.get(`${COMMANDS_HASH}:${scope}`);
  }

  async setCommandsHash(scope: string, hash: string): Promise<void> {
    await this.#meta.set(`${COMMANDS_HASH}:${scope}`, hash);
  }
}
