/**
 * What the Discord adapter keeps beside a subscription, in the `meta` key/value table (no
 * migration needed): the guild of each subscribed channel (so GUILD_DELETE can find its
 * channels) and the hash of the last registered slash commands. (The role to mention is the
 * subscription's own `mention`.)
 */
import type { Db } from './db.ts';

export interface DiscordChannelInfo {
  readonly guildId: string;
  /** Discord's channel type when known: 5 is an announcement channel (its alerts are also published). */
  readonly type?: number;
}

const CHANNEL = 'discord:channel:';
const COMMANDS_HASH = 'discord:commands_hash';

export class DiscordStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  channel(channelId: string): DiscordChannelInfo | undefined {
    const row = this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(CHANNEL + channelId);
    return row === undefined ? undefined : (JSON.parse(row.value) as DiscordChannelInfo);
  }

  setChannel(channelId: string, info: DiscordChannelInfo): void {
    this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(CHANNEL + channelId, JSON.stringify(info));
  }

  /** Records a channel's type (learned when sending to a channel subscribed before types were kept). */
  setChannelType(channelId: string, type: number): void {
    const info = this.channel(channelId);
    if (info !== undefined) this.setChannel(channelId, { ...info, type });
  }

  /** The channels recorded for `guildId`. */
  channelsOf(guildId: string): string[] {
    const rows = this.#db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM meta WHERE key LIKE ?').all(`${CHANNEL}%`);
    return rows.filter((r) => (JSON.parse(r.value) as DiscordChannelInfo).guildId === guildId).map((r) => r.key.slice(CHANNEL.length));
  }

  commandsHash(scope: string): string | undefined {
    return this.#db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(`${COMMANDS_HASH}:${scope}`)?.value;
  }

  setCommandsHash(scope: string, hash: string): void {
    this.#db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(`${COMMANDS_HASH}:${scope}`, hash);
  }
}
