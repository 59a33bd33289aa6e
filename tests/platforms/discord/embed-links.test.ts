/**
 * A channel where a moderator took the bot's Embed Links: Discord refuses a message of embeds alone
 * (50013) and drops the embeds of one with a mention or a chart (tests/fakes/discord.ts). The alert
 * still reads there, as plain text saying why, as one without Attach Files goes without its chart
 * saying why; the channel stays subscribed. Through the real @discordjs/rest and the dispatcher.
 */
import { describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { LANGS } from '../../../src/domain/i18n/langs.ts';
import { seedEvent, type World } from '../../helpers/telegram-harness.ts';
import type { FakeDiscord } from '../../fakes/discord.ts';
import { eachWithFakeDiscord, fakeNotifier } from '../../helpers/discord-world.ts';

let fake: FakeDiscord;
let world: World;
eachWithFakeDiscord((s) => ({ fake, world } = s));

const NOTE = '*Shown as plain text: the bot may not embed links in this channel (Embed Links).*';

async function deliver(chats: string[], role?: string): Promise<void> {
  const notifier = fakeNotifier(fake, world.log, role !== undefined ? { defaultRole: role } : {});
  await seedEvent(
    world,
    chats.map((chatId) => ({ platform: 'discord' as const, chatId })),
  );
  const d = new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, {
    notifiers: [notifier],
    charts: world.charts,
    log: world.log,
    backoffMs: 50,
  });
  for (let i = 0; i < 10 && (await d.pending()) > 0; i++) await d.drain();
  expect(await d.pending()).toBe(0);
}

/** What a reader of the channel sees: its messages as last made or edited. */
const seen = (channel: string) => (fake.made.get(channel) ?? []).map((m) => m.body as { content?: string; embeds?: unknown[] });

describe('a channel without Embed Links', () => {
  test('GIVEN the first channel to upload the chart lacks Embed Links THEN its alert is edited into plain text saying why (chart kept), it stays subscribed, the others get embeds', async () => {
    const noEmbeds = '741000000000000000';
    const others = ['741000000000000001', '741000000000000002'];
    fake.denyEmbedLinks(noEmbeds);
    await deliver([noEmbeds, ...others]);
    const [upload, edit] = fake.requests.filter((r) => r.path.startsWith(`/channels/${noEmbeds}/messages`));
    // The upload is taken (a file is content), its embeds dropped; then edited into words.
    expect([upload?.method, upload?.status, upload?.files.length, edit?.method, edit?.status]).toEqual(['POST', 200, 1, 'PATCH', 200]);
    const [shown] = seen(noEmbeds);
    expect(shown?.embeds).toEqual([]);
    expect(shown?.content).toMatch(/SPX\/Gold|QQQ\/Gold/);
    expect(shown?.content?.endsWith(`\n${NOTE}`)).toBe(true);
    expect(shown?.content?.length).toBeLessThanOrEqual(2000);
    expect((await world.deps.subs.get('discord', noEmbeds))?.active).toBe(true);
    for (const c of others) expect(seen(c)[0]?.embeds).toHaveLength(1);
    expect(world.log.lines.filter((l) => l.includes('shows no embeds from the bot'))).toHaveLength(1);
  });

  test('GIVEN a channel lacking Embed Links and Attach Files THEN the chart and the embed are refused (403, 403) and the alert goes as text, once', async () => {
    const bare = '742000000000000000';
    fake.denyEmbedLinks(bare);
    fake.denyAttachFiles(bare);
    await deliver([bare]);
    const tried = fake.calls('POST', new RegExp(`^/channels/${bare}/messages$`));
    expect(tried.map((r) => [r.status, r.files.length, (r.body.embeds ?? []).length])).toEqual([
      [403, 1, 1],
      [403, 0, 1],
      [200, 0, 0],
    ]);
    expect(seen(bare)).toHaveLength(1);
    expect(seen(bare)[0]?.content?.endsWith(`\n${NOTE}`)).toBe(true);
    expect((await world.deps.subs.get('discord', bare))?.active).toBe(true);
  });

  test("GIVEN an alert role THEN the message keeps its one mention, edited from a bare ping into the alert's words", async () => {
    const pinged = '743000000000000000';
    fake.denyEmbedLinks(pinged);
    fake.denyAttachFiles(pinged);
    await deliver([pinged], '555000000000000000');
    const posts = fake.calls('POST', new RegExp(`^/channels/${pinged}/messages$`));
    // The chart refused, then the mention taken with its embeds dropped: a bare ping, edited at once.
    expect(posts.map((r) => r.status)).toEqual([403, 200]);
    expect(fake.calls('PATCH', new RegExp(`^/channels/${pinged}/messages/\\d+$`)).map((r) => r.status)).toEqual([200]);
    const [shown] = seen(pinged);
    expect(shown?.content?.startsWith('<@&555000000000000000>\n')).toBe(true);
    expect(shown?.content).toMatch(/SPX\/Gold|QQQ\/Gold/);
    expect(shown).toMatchObject({ embeds: [], allowed_mentions: { parse: [], roles: ['555000000000000000'] } });
  });

  test('the note reads in every language', () => {
    for (const lang of LANGS) expect(t(lang, 'discord.noEmbeds')).not.toBe('discord.noEmbeds');
  });
});
