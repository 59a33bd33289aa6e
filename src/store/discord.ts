/**
 * What the Discord adapter keeps beside a subscription, in the `meta` key/value table (no
 * migration needed): the guild of each subscribed channel (so GUILD_DELETE can find its
 * channels) and the hash of the last registered slash commands. (The role to mention is the
 * subscription's own `mention`.) The same queries on SQLite and PostgreSQL.
 */
import type { StoreDb } from './engine.ts';

export interface DiscordChannelInfo {
  readonly guildId: string;
}

const CHANNEL = 'discord:channel:';
const COMMANDS_HASH = 'discord:commands_hash';

export class DiscordStore {
  readonly #db: StoreDb;

  constructor(db: StoreDb) {
    this.#db = db;
  }

  async channel(channelId: string): Promise<DiscordChannelInfo | undefined> {
    const value = await this.#get(CHANNEL + channelId);
    return value === undefined ? undefined : (JSON.parse(value) as DiscordChannelInfo);
  }

  async setChannel(channelId: string, info: DiscordChannelInfo): Promise<void> {
    await this.#set(CHANNEL + channelId, JSON.stringify(info));
  }

  /** The channels recorded for `guildId`. */
  async channelsOf(guildId: string): Promise<string[]> {
    const rows = await this.#db.k.selectFrom('meta').select(['key', 'value']).where('key', 'like', `${CHANNEL}%`).execute();
    return rows.filter((r) => (JSON.parse(r.value) as DiscordChannelInfo).guildId === guildId).map((r) => r.key.slice(CHANNEL.length));
  }

  commandsHash(scope: string): Promise<string | undefined> {
    return this.#get(`${COMMANDS_HASH}:${scope}`);
  }

  async setCommandsHash(scope: string, hash: string): Promise<void> {
    await this.#set(`${COMMANDS_HASH}:${scope}`, hash);
  }

  async #get(key: string): Promise<string | undefined> {
    return (await this.#db.k.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }

  async #set(key: string, value: string): Promise<void> {
    await this.#db.k
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
}
