/** The Discord adapter's notes in the store (channel → guild, the registered commands' hash), on both engines. */
import { expect, test } from 'vitest';
import { DiscordStore } from '../src/store/discord.ts';
import { describeOnEngines } from './helpers/engines.ts';

describeOnEngines('discord store', (open) => {
  test('GIVEN channels of two guilds THEN each is read back, and a guild lists only its own', async () => {
    const store = new DiscordStore(await open());
    expect(await store.channel('c1')).toBeUndefined();
    await store.setChannel('c1', { guildId: 'g1' });
    await store.setChannel('c2', { guildId: 'g1' });
    await store.setChannel('c3', { guildId: 'g2' });
    // Written again: replaced, not duplicated.
    await store.setChannel('c2', { guildId: 'g1' });
    expect(await store.channel('c1')).toEqual({ guildId: 'g1' });
    expect((await store.channelsOf('g1')).sort()).toEqual(['c1', 'c2']);
    expect(await store.channelsOf('g2')).toEqual(['c3']);
    expect(await store.channelsOf('g3')).toEqual([]);
  });

  test('GIVEN a commands hash per scope THEN the last one written is read', async () => {
    const store = new DiscordStore(await open());
    expect(await store.commandsHash('global')).toBeUndefined();
    await store.setCommandsHash('global', 'a');
    await store.setCommandsHash('global', 'b');
    await store.setCommandsHash('guild:1', 'c');
    expect(await store.commandsHash('global')).toBe('b');
    expect(await store.commandsHash('guild:1')).toBe('c');
  });
});
