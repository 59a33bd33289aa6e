/**
 * What the Discord adapter keeps beside a subscription, in the `meta` key/value table (no
 * migration needed): the guild of each subscribed channel (so GUILD_DELETE can find its
 * channels) and the hash of the last registered slash commands. (The role to mention is the
 * subscription's own `mention`.)
 */
import type { Db } from './db.ts';
import { MetaStore } from './meta.ts';

export interface DiscordChannelInfo {
  readonly guildId: string;
  /** Discord's channel type when known: 5 is an announcement channel (its alerts are also published). */
  readonly type?: number;
}

const CHANNEL = 'discord:channel:';
const COMMANDS_HASH = 'discord:commands_hash';

export class DiscordStore {
  readonly #meta: MetaStore;

  /** From the raw handle (the CLI, tests) or the MetaStore a platform adapter is given. */
  constructor(source: Db | MetaStore) {
    this.#meta = source instanceof MetaStore ? source : new MetaStore(source);
  }

  channel(channelId: string): DiscordChannelInfo | undefined {
    const value = this.#meta.get(CHANNEL + channelId);
    return value === undefined ? undefined : (JSON.parse(value) as DiscordChannelInfo);
  }

  setChannel(channelId: string, info: DiscordChannelInfo): void {
    this.#meta.set(CHANNEL + channelId, JSON.stringify(info));
  }

  /** Records a channel's type (learned when sending to a channel subscribed before types were kept). */
  setChannelType(channelId: string, type: number): void {
    const info = this.channel(channelId);
    if (info !== undefined) this.setChannel(channelId, { ...info, type });
  }

  /** The channels recorded for `guildId`. */
  channelsOf(guildId: string): string[] {
    return this.#meta
      .withPrefix(CHANNEL)
      .filter((r) => (JSON.parse(r.value) as DiscordChannelInfo).guildId === guildId)
      .map((r) => r.key.slice(CHANNEL.length));
  }

  commandsHash(scope: string): string | undefined {
    return this.#meta.get(`${COMMANDS_HASH}:${scope}`);
  }

  setCommandsHash(scope: string, hash: string): void {
    this.#meta.set(`${COMMANDS_HASH}:${scope}`, hash);
  }
}
