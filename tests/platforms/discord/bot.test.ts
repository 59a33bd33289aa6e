/** The Discord bot end to end: the real discord.js Client logged in to tests/fakes/discord. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeWorld, synthetic, type World } from '../../helpers/telegram-harness.ts';
import { QuoteStore } from '../../../src/store/quotes.ts';
import { discordEnv, interactionAnswer, makeDiscord, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import {
  botMessage,
  ALL_SEND_PERMISSIONS,
  FakeDiscord,
  MANAGE_CHANNELS,
  buttonInteraction,
  guildCreatePayload,
  selectInteraction,
  slashInteraction,
  type RecordedRequest,
} from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { DiscordStore } from '../../../src/store/discord.ts';
import { LANGS, t } from '../../../src/domain/i18n/index.ts';
import { activeEssayIds } from '../../../src/chat/commands/subscription.ts';
import { eventually } from '../../helpers/eventually.ts';
import { RunSignal } from '../../../src/run-signal.ts';

const attempts = (w: World) => w.log.lines.filter((l) => /could not start \(attempt \d+\): unreachable at http:\/\/127\.0\.0\.1:9\/api/.test(l));

const CALLBACK = /^\/interactions\/\d+\/[^/]+\/callback$/;
const ORIGINAL = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const PNG = '\x89PNG';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

/** The callback and (optionally) the edit of one interaction. */
/** A text as Discord gets it: each /command it names a mention of the command the bot registered (render.ts commandForm). */
function mentioned(text: string): string {
  const ids = new Map((fake.commands.get('global') as { name: string; id: string }[]).map((c) => [c.name, c.id]));
  return text.replace(/\/([a-z]+)/g, (m, name: string) => (ids.has(name) ? `</${name}:${ids.get(name)}>` : m));
}

async function answerOf(token: string, withEdit: boolean): Promise<{ callback: RecordedRequest; edit?: RecordedRequest }> {
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  if (!withEdit) return { callback: callback! };
  const [edit] = await fake.waitFor('PATCH', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
  return { callback: callback!, edit: edit! };
}

/** The invite Discord's server managers follow to add the bot to server `guildId`, with what it needs to post (52224). */
const invite = (guildId: string) =>
  `https://discord.com/oauth2/authorize?client_id=900000000000000001&scope=bot+applications.commands&permissions=52224&guild_id=${guildId}&disable_guild_select=true`;

/**
 * One bot for the describe: each test's interactions come from a server and channel of its own
 * (fresh ids, unknown to the bot's cache as the default ones are to a new bot, nothing stored under
 * them), and what it asserts of the fake's requests is read from those since it began (`since`).
 * A test about the start or stop, the Client's cache or the world's closes gets a bot of its own below.
 */
describe('Discord bot (one bot, each test its own server and channel)', () => {
  beforeAll(async () => ({ world, fake, bot } = await startDiscordBot()));
  afterAll(() => stopDiscordBot({ world, fake, bot }));

  let n = 0;
  /** This test's server, its channel, a second channel there, its member (the flood limit is per user), and where its requests begin. */
  let guild: string;
  let user: string;
  let ch: string;
  let ch2: string;
  let mark: number;
  beforeEach(() => {
    n++;
    guild = String(810_000_000_000_000_000n + BigInt(n));
    ch = String(730_000_000_000_000_000n + BigInt(2 * n));
    ch2 = String(730_000_000_000_000_000n + BigInt(2 * n + 1));
    user = String(610_000_000_000_000_000n + BigInt(n));
    mark = fake.requests.length;
  });
  const since = (method: string, path: RegExp) => fake.requests.slice(mark).filter((r) => r.method === method && path.test(r.path));
  const slash = (o: Parameters<typeof slashInteraction>[0]) => slashInteraction({ guildId: guild, channelId: ch, userId: user, ...o });
  const button = (o: Parameters<typeof buttonInteraction>[0]) => buttonInteraction({ guildId: guild, channelId: ch, userId: user, ...o });
  const choose = (o: Parameters<typeof selectInteraction>[0]) => selectInteraction({ guildId: guild, channelId: ch, userId: user, ...o });

  it('GIVEN /ratio THEN a deferred callback, then the original edited in: an embed with both ratios as fields, a footer, and the PNG as attachment://', async () => {
    const { token } = fake.interact(slash({ name: 'ratio' }));
    const { callback, edit } = await answerOf(token, true);
    expect(callback.body.type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    expect(callback.body.data?.flags ?? 0).toBe(0); // public
    const embed = edit!.body.embeds[0];
    expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['SPX/Gold', 'QQQ/Gold']);
    expect(embed.fields[0].value).toMatch(/^`\d+\.\d+`/);
    expect(embed.footer.text).toMatch(/^Source: test · data .+ old$/);
    expect(embed.image.url).toMatch(/^attachment:\/\/.+\.png$/);
    expect(edit!.files).toHaveLength(1);
    expect(edit!.files[0]!.filename).toBe(embed.image.url.slice('attachment://'.length));
    expect(edit!.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
    expect(edit!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it.each([
    ['zh-CN', 'Simplified', '全部命令及用法'],
    ['zh-TW', 'Traditional', '所有指令與用法'],
  ])('GIVEN a %s client locale THEN the answer is in %s Chinese', async (locale, _script, text) => {
    const { token } = fake.interact(slash({ name: 'help', locale }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.embeds[0].description).toContain(text);
  });

  it('GIVEN /subscribe by a member without Manage Channels THEN an ephemeral refusal and nothing stored', async () => {
    const { token } = fake.interact(slash({ name: 'subscribe', permissions: 0n }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toBe('Sorry, only members who may manage this channel (Manage Channels) can change its settings.');
    expect(await world.deps.subs.get('discord', ch)).toBeUndefined();
  });

  it('GIVEN /subscribe where the bot lacks Send Messages THEN it names the missing permission, ephemeral, nothing stored', async () => {
    const { token } = fake.interact(slash({ name: 'subscribe', permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~2048n }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain('Send Messages');
    expect(await world.deps.subs.get('discord', ch)).toBeUndefined();
  });

  // Without Embed Links its alerts go as plain text (notifier.ts), as without Attach Files they go without the chart: subscribed, and told which permission gives them back.
  it.each([
    ['en-US', 'en', ~16384n, ['EmbedLinks']],
    ['zh-TW', 'zh-TW', ~16384n, ['EmbedLinks']],
    ['zh-CN', 'zh-CN', ~(16384n | 32768n), ['EmbedLinks', 'AttachFiles']],
  ] as const)(
    'GIVEN /subscribe in a %s client where the bot lacks Embed Links THEN the channel is subscribed, and told in one line each that alerts come as plain text (and without the chart), naming the permission',
    async (locale, lang, mask, lacking) => {
      const { token } = fake.interact(slash({ name: 'subscribe', locale, permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & mask }));
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      const text = callback.body.data.embeds[0].description as string;
      const key = { EmbedLinks: 'discord.noEmbedsAhead', AttachFiles: 'discord.noFilesAhead' } as const;
      for (const flag of lacking) {
        const note = t(lang, key[flag], { channel: `<#${ch}>`, permission: t(lang, `discord.perm.${flag}`) });
        expect(note).not.toContain('\n');
        expect(text).toContain(note);
      }
      expect(text).not.toContain(
        t(lang, 'discord.missingPermission', { channel: `<#${ch}>`, permission: t(lang, 'discord.perm.EmbedLinks'), command: '/subscribe' }),
      );
      expect((await world.deps.subs.get('discord', ch))?.active).toBe(true);
    },
  );

  it.each([
    ['en-US', 'View Channel, Send Messages, Embed Links, Attach Files', 'Nothing was changed.'],
    ['zh-TW', '檢視頻道、發送訊息、嵌入連結、附加檔案', '設定未變更。'],
    ['zh-CN', '查看频道、发送消息、嵌入链接、附加文件', '设置未更改。'],
  ] as const)(
    "GIVEN /subscribe (%s) in a server that added goldratio with its commands only, no bot (app_permissions are @everyone's) THEN refused, naming the invite and its permissions, and nothing stored",
    async (locale, permissions, unchanged) => {
      const guildId = guild;
      const channelId = ch;
      fake.installWithoutBot(guildId, [channelId]);
      // Without the bot in the server Discord computes app_permissions from @everyone's: here they may post.
      const { token } = fake.interact(
        slash({ name: 'subscribe', guildId, channelId, locale, permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS }),
      );
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      const text = callback.body.data.embeds[0].description as string;
      expect(text).toContain(`<#${channelId}>`);
      expect(text).toContain(invite(guildId));
      expect(text).toContain(permissions);
      expect(text).toContain(unchanged);
      expect(await world.deps.subs.get('discord', channelId)).toBeUndefined();
      expect(await new DiscordStore(onSqlite(world.db)).channel(channelId)).toBeUndefined();
    },
  );

  it("GIVEN /subscribe channel:#alerts in a server that has goldratio's commands but not its bot THEN refused with the invite, nothing stored", async () => {
    const guildId = guild;
    const alerts = ch2;
    fake.installWithoutBot(guildId, [ch, alerts]);
    const { token } = fake.interact(
      slash({
        name: 'subscribe',
        guildId,
        channelId: ch,
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: alerts }],
        resolved: { channels: { [alerts]: { id: alerts, type: 0, name: 'alerts', permissions: String(ALL_SEND_PERMISSIONS) } } },
      }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain(`<#${alerts}>`);
    expect(callback.body.data.embeds[0].description).toContain(invite(guildId));
    expect(await world.deps.subs.get('discord', alerts)).toBeUndefined();
  });

  /** The option values of a command that sets up something the bot posts later, as Discord sends them. */
  const POSTING: readonly (readonly [string, { name: string; type: number; value: string | number }[]])[] = [
    ['digest', [{ name: 'time', type: 3, value: '08:00' }]],
    ['quiet', [{ name: 'hours', type: 3, value: '23:00-07:00' }]],
    [
      'move',
      [
        { name: 'action', type: 3, value: 'add' },
        { name: 'pair', type: 3, value: 'spx' },
        { name: 'percent', type: 3, value: '10' },
        { name: 'days', type: 3, value: '20' },
      ],
    ],
    [
      'mylevels',
      [
        { name: 'action', type: 3, value: 'add' },
        { name: 'pair', type: 3, value: 'qqq' },
        { name: 'value', type: 10, value: 0.18 },
      ],
    ],
  ];

  it.each(POSTING)(
    'GIVEN /%s set in a subscribed channel where the bot has since lost Send Messages THEN refused naming it, ephemeral, and nothing is set',
    async (name, options) => {
      const channel = ch;
      const sub = await world.deps.subs.upsert('discord', channel, { active: true });
      const { token } = fake.interact(slash({ name, options, permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~2048n }));
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      expect(callback.body.data.embeds[0].description).toBe(
        mentioned(t('en', 'discord.missingPermission', { channel: `<#${channel}>`, permission: 'Send Messages', command: `/${name}` })),
      );
      expect((await world.deps.digests!.get(sub!.id))?.time ?? null).toBeNull();
      expect(await world.deps.quiet!.window(sub!.id)).toBeUndefined();
      expect(await world.deps.moves!.list(sub!.id)).toHaveLength(0);
      expect((await world.deps.subs.get('discord', channel))?.customLevels).toEqual([]);
    },
  );

  it.each(POSTING)('GIVEN /%s set where the bot may post THEN it is set as before', async (name, options) => {
    await world.deps.subs.upsert('discord', ch, { active: true });
    const { token } = fake.interact(slash({ name, options, permissions: MANAGE_CHANNELS }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.embeds[0].description).not.toContain('I cannot post');
    const sub = await world.deps.subs.get('discord', ch);
    const set = [
      (await world.deps.digests!.get(sub!.id))?.time ?? null,
      (await world.deps.quiet!.window(sub!.id)) ?? null,
      (await world.deps.moves!.list(sub!.id)).length,
      sub!.customLevels.length,
    ];
    expect(set.filter((x) => x !== null && x !== 0)).toHaveLength(1);
  });

  it.each([
    ['digest', 'off', t('en', 'chat.digest.alreadyOff')],
    ['quiet', 'off', t('en', 'quiet.alreadyOff')],
  ] as const)('GIVEN /%s %s where the bot may not post THEN answered as ever: turning something off never needs the bot to post', async (name, value, said) => {
    const hours = name === 'quiet' ? 'hours' : 'time';
    const { token } = fake.interact(
      slash({ name, options: [{ name: hours, type: 3, value }], permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~2048n }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.embeds[0].description).toBe(said);
  });

  it("GIVEN /digest 08:00 (zh-CN) in a server that has goldratio's commands but not its bot THEN refused with the invite, asking to send /digest again, nothing stored", async () => {
    const guildId = guild;
    const channelId = ch;
    fake.installWithoutBot(guildId, [channelId]);
    const { token } = fake.interact(
      slash({
        name: 'digest',
        guildId,
        channelId,
        locale: 'zh-CN',
        options: [{ name: 'time', type: 3, value: '08:00' }],
        permissions: MANAGE_CHANNELS,
      }),
    );
    const { callback } = await answerOf(token, false);
    const text = callback.body.data.embeds[0].description as string;
    expect(text).toContain(invite(guildId));
    expect(text).toContain(`完成后请再发送一次 ${mentioned('/digest')}。`);
    expect(await world.deps.subs.get('discord', channelId)).toBeUndefined();
  });

  it.each([
    ['Subscribe (after /unsubscribe)', 'cmd:subscribe'],
    ["a digest's zone button", 'digest:0800:Asia/Taipei'],
    ['a quiet-hours zone button (quiet hours hold the alerts the bot posts here)', 'quiet:2300-0700:Asia/Taipei'],
  ] as const)('GIVEN %s pressed where the bot has since lost Send Messages THEN refused naming it, ephemeral, and nothing is set', async (_, customId) => {
    const channel = ch;
    const sub = await world.deps.subs.upsert('discord', channel, { active: false, deactivatedReason: 'unsubscribed' });
    const { token } = fake.interact(button({ customId, message: botMessage(), permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~2048n }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toBe(
      mentioned(
        t('en', 'discord.missingPermission', {
          channel: `<#${channel}>`,
          permission: 'Send Messages',
          command: `/${customId === 'cmd:subscribe' ? 'subscribe' : customId.split(':')[0]}`,
        }),
      ),
    );
    expect((await world.deps.subs.get('discord', channel))?.active).toBe(false);
    expect((await world.deps.digests!.get(sub!.id))?.time ?? null).toBeNull();
    expect(await world.deps.quiet!.window(sub!.id)).toBeUndefined();
  });

  it('GIVEN a chart button THEN the same message is updated (deferred update, then the original edited), no new message', async () => {
    const first = fake.interact(slash({ name: 'chart', options: [{ name: 'chart', type: 3, value: 'spx' }] }));
    const { edit } = await answerOf(first.token, true);
    const buttons = edit!.body.components.flatMap((row: { components: { custom_id: string }[] }) => row.components.map((c) => c.custom_id));
    expect(buttons).toContain('chart:qqq-gold:1Y');
    const message = botMessage(edit!.body);
    const press = fake.interact(button({ customId: 'chart:qqq-gold:5Y', message }));
    const { callback, edit: update } = await answerOf(press.token, true);
    expect(callback.body.type).toBe(6); // DEFERRED_UPDATE_MESSAGE
    expect(update!.body.embeds[0].description).toContain('QQQ/Gold');
    expect(update!.body.embeds[0].description).toContain('5Y');
    expect(update!.body.attachments).toEqual([{ id: '0' }]);
    expect(update!.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
    expect(since('POST', /^\/channels\//)).toHaveLength(0);
  });

  it('GIVEN /chart THEN the pair is three buttons (the current one highlighted) and the eight ranges one select menu, within Discord limits; choosing 5Y updates the same message', async () => {
    const first = fake.interact(slash({ name: 'chart', options: [{ name: 'chart', type: 3, value: 'qqq' }] }));
    const { edit } = await answerOf(first.token, true);
    const rows = edit!.body.components as { type: number; components: Record<string, unknown>[] }[];
    expect(rows.length).toBeLessThanOrEqual(5);
    expect(rows.map((r) => r.components.map((c) => c.type))).toEqual([[2, 2, 2], [3]]);
    expect(rows[0]!.components.map((c) => c.style)).toEqual([2, 1, 2]); // QQQ/Gold is Primary
    const select = rows[1]!.components[0] as { custom_id: string; options: { label: string; value: string; default: boolean }[] };
    expect(select.options.map((o) => o.label)).toEqual(['1M', '3M', '6M', 'YTD', '1Y', '5Y', '10Y', 'MAX']);
    expect(select.options.filter((o) => o.default).map((o) => o.value)).toEqual(['chart:qqq-gold:1Y']);
    for (const c of rows.flatMap((r) => r.components)) expect(String(c.custom_id).length).toBeLessThanOrEqual(100);
    for (const r of rows) expect(r.components.length).toBeLessThanOrEqual(5);

    const message = botMessage((await fake.waitFor('PATCH', new RegExp(`/${first.token}/messages/@original$`)))[0]!.body, { id: '123456789012345679' });
    const pick = fake.interact(choose({ customId: select.custom_id, values: ['chart:qqq-gold:5Y'], message }));
    const { callback, edit: update } = await answerOf(pick.token, true);
    expect(callback.body.type).toBe(6); // DEFERRED_UPDATE_MESSAGE: the same message
    expect(update!.body.embeds[0].description).toContain('QQQ/Gold');
    expect(update!.body.embeds[0].description).toContain('5Y');
    const after = update!.body.components[1].components[0].options as { value: string; default: boolean }[];
    expect(after.filter((o) => o.default).map((o) => o.value)).toEqual(['chart:qqq-gold:5Y']);
    expect(update!.files[0]!.bytes.subarray(0, 4).toString('latin1')).toBe(PNG);
    expect(since('POST', /^\/channels\//)).toHaveLength(0);
  });

  it('GIVEN a stale command goldratio no longer has, or a select menu sent with no values THEN one ephemeral line each (never "did not respond"), in the user\'s language', async () => {
    const stale = fake.interact(slash({ name: 'oldcommand' }));
    const answered = (await answerOf(stale.token, false)).callback;
    expect(answered.body.type).toBe(4);
    expect(answered.body.data.flags).toBe(64);
    expect(JSON.stringify(answered.body.data)).toContain('goldratio no longer has /oldcommand. Type / to see its commands.');
    const zh = fake.interact(slash({ name: 'oldcommand', locale: 'zh-TW' }));
    expect(JSON.stringify((await answerOf(zh.token, false)).callback.body.data)).toContain('goldratio 已不再提供 /oldcommand。');
    const message = botMessage({}, { id: '123456789012345680', channelId: ch });
    const empty = fake.interact(choose({ customId: 'range', values: [], message }));
    const none = (await answerOf(empty.token, false)).callback;
    expect([none.body.type, none.body.data.flags]).toEqual([4, 64]);
    expect(JSON.stringify(none.body.data)).toContain('Nothing was chosen: pick one of the options.');
  });

  it('GIVEN /mylevels by a member without Manage Channels THEN the listing is answered (ephemeral); add is refused, ephemeral, and nothing stored; a channel manager may add', async () => {
    const channel = ch;
    await world.deps.subs.upsert('discord', channel, { pairs: ['spx-gold'] });
    const before = JSON.stringify(await world.deps.subs.get('discord', channel));

    const list = fake.interact(slash({ name: 'mylevels', permissions: 0n }));
    const listed = (await answerOf(list.token, false)).callback;
    expect(listed.body.type).toBe(4);
    expect(listed.body.data.flags).toBe(64);
    expect(listed.body.data.embeds[0].description).toContain('SPX/Gold');
    expect(listed.body.data.embeds[0].description).not.toMatch(/administrator/);

    const add = [
      { name: 'action', type: 3, value: 'add' },
      { name: 'pair', type: 3, value: 'spx' },
      { name: 'value', type: 10, value: 2.2 },
    ];
    const refused = fake.interact(slash({ name: 'mylevels', permissions: 0n, options: add }));
    const { callback } = await answerOf(refused.token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toMatch(/only members who may manage this channel \(Manage Channels\)/);
    expect(JSON.stringify(await world.deps.subs.get('discord', channel))).toBe(before);

    const allowed = fake.interact(slash({ name: 'mylevels', permissions: MANAGE_CHANNELS, options: add }));
    await answerOf(allowed.token, false);
    expect((await world.deps.subs.get('discord', channel))?.customLevels).toEqual([{ pair: 'spx-gold', value: 2.2 }]);
  });

  it('GIVEN /subscribe levels:"0.25 qqq" (a pair typed after its level) THEN told it is a pair and where it goes, not that it is no pair', async () => {
    const { token } = fake.interact(slash({ name: 'subscribe', permissions: MANAGE_CHANNELS, options: [{ name: 'levels', type: 3, value: '0.25 qqq' }] }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    const text = callback.body.data.embeds[0].description as string;
    expect(text).not.toContain('neither a pair');
    expect(text).toContain(`"qqq" is a pair: name the pairs before the levels, e.g. \`/subscribe pairs:QQQ/Gold levels:0.25\`.`);
    expect(await world.deps.subs.get('discord', ch)).toBeUndefined();
  });

  it('GIVEN a bad option value THEN the usage line, ephemeral, and no chart', async () => {
    const { token } = fake.interact(slash({ name: 'power', options: [{ name: 'base', type: 3, value: 'yesterday' }] }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.type).toBe(4);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain('/power [base:a date, month, year or 5y');
    expect(since('PATCH', ORIGINAL)).toHaveLength(0);
  });

  it('GIVEN /lang by a channel manager THEN the setting is stored and the confirmation is ephemeral in the new language', async () => {
    await answerOf(fake.interact(slash({ name: 'subscribe', permissions: MANAGE_CHANNELS })).token, false);
    const { token } = fake.interact(slash({ name: 'lang', permissions: MANAGE_CHANNELS, options: [{ name: 'language', type: 3, value: 'zh-TW' }] }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect((await world.deps.subs.get('discord', ch))?.lang).toBe('zh-TW');
    expect(callback.body.data.embeds[0].description).toContain('語言');
  });
});

describe('Discord bot (a bot per test)', () => {
  beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
  afterEach(() => stopDiscordBot({ world, fake, bot }));

  it('GIVEN /subscribe in a server the bot is in but its Client has not cached THEN Discord is asked and the channel is subscribed', async () => {
    const { token } = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.embeds[0].description).toContain('Subscribed');
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
    expect(fake.calls('GET', /^\/guilds\/800000000000000001$/)).toHaveLength(1);
  });

  it('GIVEN /mute 到明天早上 in a channel with no zone (zh-CN) THEN the UTC end with zone buttons, Shanghai first; pressed, the same end read in Shanghai; /quiet says 本频道', async () => {
    const channel = '700000000000000001';
    await answerOf(fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, locale: 'zh-CN' })).token, false);
    const muted = fake.interact(
      slashInteraction({ name: 'mute', options: [{ name: 'duration', type: 3, value: '到明天早上' }], permissions: MANAGE_CHANNELS, locale: 'zh-CN' }),
    );
    const answer = (await answerOf(muted.token, false)).callback.body.data;
    const text = answer.embeds[0].description as string;
    const [said, why, ...rest] = text.split('\n');
    expect(said).toMatch(/^已静音至.+（UTC）。$/);
    // Why UTC, and how the channel gets a zone: said once, in the channel's words.
    expect(why).toBe(mentioned(t('zh-CN', 'chat.mute.readInUtc.discord')));
    expect(rest).toEqual([]);
    const ids = (answer.components as { components: { custom_id: string }[] }[]).flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids[0]).toMatch(/^mute:.+:Asia\/Shanghai$/);
    const utcEnd = (await world.deps.subs.get('discord', channel))!.mutedUntil!;
    const press = fake.interact(buttonInteraction({ customId: ids[0]!, message: botMessage(answer), permissions: MANAGE_CHANNELS, locale: 'zh-CN' }));
    const pressed = (await answerOf(press.token, false)).callback.body.data;
    expect(pressed.embeds[0].description).toMatch(/^已静音至.+ 08:00（北京时间）。$/);
    // The same morning, eight hours earlier (a day apart when Shanghai's tomorrow is UTC's day after).
    const shanghaiEnd = (await world.deps.subs.get('discord', channel))!.mutedUntil!;
    expect((((utcEnd - shanghaiEnd) % 86_400_000) + 86_400_000) % 86_400_000).toBe(8 * 3_600_000);
    // A member without Manage Channels pressing it: refused, nothing changed.
    const denied = fake.interact(buttonInteraction({ customId: ids[1]!, message: botMessage(answer), permissions: 0n, locale: 'zh-CN' }));
    expect((await answerOf(denied.token, false)).callback.body.data.flags).toBe(64);
    expect((await world.deps.subs.get('discord', channel))!.mutedUntil).toBe(shanghaiEnd);
    // Quiet hours set without a zone name the channel, not "this chat".
    const quiet = fake.interact(
      slashInteraction({ name: 'quiet', options: [{ name: 'hours', type: 3, value: '23-7' }], permissions: MANAGE_CHANNELS, locale: 'zh-CN' }),
    );
    const quietText = (await answerOf(quiet.token, false)).callback.body.data.embeds[0].description as string;
    // The mute's zone is the mute's alone: the channel still has none, so the hours are UTC, said as no other zone set here.
    expect(quietText).toContain('（UTC：未指定时区，这里也未设置其他时区）');
    expect(quietText).not.toContain('本聊天');
  });

  it("GIVEN Subscribe pressed in a server that has goldratio's commands but not its bot THEN refused with the invite; where the bot may post it subscribes", async () => {
    const guildId = '800000000000000081';
    const channelId = '700000000000000081';
    fake.installWithoutBot(guildId, [channelId]);
    const refused = fake.interact(buttonInteraction({ customId: 'cmd:subscribe', message: botMessage(), guildId, channelId, permissions: MANAGE_CHANNELS }));
    const { callback } = await answerOf(refused.token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain(invite(guildId));
    expect(await world.deps.subs.get('discord', channelId)).toBeUndefined();

    const ok = fake.interact(buttonInteraction({ customId: 'cmd:subscribe', message: botMessage(), permissions: MANAGE_CHANNELS }));
    await answerOf(ok.token, false);
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
  });

  it.each([
    ['sub:on:qqq-gold-0.25', true],
    ['sub:toggle:qqq-gold-0.25', true],
    ['sub:toggle:spx-gold-5.5', false],
  ] as const)(
    'GIVEN a level button %s pressed where the bot has since lost Send Messages THEN a level turned on is refused naming it, and stays off; one turned off is changed',
    async (customId, refused) => {
      const channel = '700000000000000001';
      await world.deps.subs.upsert('discord', channel, { active: true, pairs: ['spx-gold', 'qqq-gold'], levelIds: ['spx-gold-5.5'] });
      const before = activeEssayIds((await world.deps.subs.get('discord', channel))!);
      expect(before).toEqual(['spx-gold-5.5']);
      const { token } = fake.interact(
        buttonInteraction({ customId, message: botMessage(), permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~2048n }),
      );
      const { callback } = await answerOf(token, false);
      const after = activeEssayIds((await world.deps.subs.get('discord', channel))!);
      if (refused) {
        expect(callback.body.data.flags).toBe(64);
        expect(callback.body.data.embeds[0].description).toBe(
          mentioned(t('en', 'discord.missingPermission', { channel: `<#${channel}>`, permission: 'Send Messages', command: '/subscribe' })),
        );
        expect(after).toEqual(before);
      } else {
        expect(after).toEqual([]);
      }
    },
  );

  it.each([
    ["Discord answering 503 (after the REST client's retries)", { kind: '5xx', status: 503 }],
    ['the connection dropped', { kind: 'reset' }],
  ] as const)(
    'GIVEN /subscribe in a server the Client has not cached, and the look-up of the bot there failing with %s THEN "could not check", nothing stored; with the server cached it subscribes',
    async (_, fault) => {
      const guildId = '800000000000000001';
      const channel = '700000000000000001';
      fake.fail(new RegExp(`^/guilds/${guildId}(/members/\\d+)?$`), fault, 50, 'GET');
      // app_permissions say the bot may post: in a commands-only server they are @everyone's, so they prove nothing.
      const { token } = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS }));
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      expect(callback.body.data.embeds[0].description).toBe(mentioned(t('en', 'discord.checkFailed', { channel: `<#${channel}>`, command: '/subscribe' })));
      expect(await world.deps.subs.get('discord', channel)).toBeUndefined();

      fake.dispatch('GUILD_CREATE', guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: channel }] }));
      const client = bot.client()!;
      await eventually(() => client.guilds.cache.has(guildId));
      const again = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
      const answered = await answerOf(again.token, false);
      expect(answered.callback.body.data.embeds[0].description).toContain('Subscribed');
      expect((await world.deps.subs.get('discord', channel))?.active).toBe(true);
    },
  );

  it.each([
    ['answers 10003 Unknown Channel (deleted after the picker offered it)', { kind: 'error', status: 404, code: 10003 }, 'discord.channelGone'],
    ['answers 503', { kind: '5xx', status: 503 }, 'discord.checkFailed'],
  ] as const)('GIVEN /subscribe channel:#x whose look-up %s THEN refused naming the channel, nothing stored', async (_, fault, key) => {
    const guildId = '800000000000000001';
    const gone = '700000000000000007';
    fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: gone }] }));
    fake.fail(new RegExp(`^/channels/${gone}$`), fault, 50, 'GET');
    const { token } = fake.interact(
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: gone }],
        resolved: { channels: { [gone]: { id: gone, type: 0, name: 'gone', permissions: String(ALL_SEND_PERMISSIONS) } } },
      }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toBe(mentioned(t('en', key, { channel: `<#${gone}>`, command: '/subscribe' })));
    expect(await world.deps.subs.get('discord', gone)).toBeUndefined();
    expect(await new DiscordStore(onSqlite(world.db)).channel(gone)).toBeUndefined();
  });

  it('GIVEN /subscribe where the bot lacks only Attach Files THEN the channel is subscribed, and told its alerts may come without their chart', async () => {
    const { token } = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, appPermissions: ALL_SEND_PERMISSIONS & ~32768n }));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    const text = callback.body.data.embeds[0].description as string;
    expect(text).toContain(t('en', 'discord.noFilesAhead', { channel: '<#700000000000000001>', permission: 'Attach Files' }));
    expect(text).not.toContain('Nothing was changed');
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
  });

  /** /subscribe typed inside a thread or forum post (type 11, a public thread), where the bot has `appPermissions`. */
  const inThread = (appPermissions: bigint, locale = 'en-US') => ({
    ...slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS, appPermissions, locale, channelId: '720000000000000001' }),
    channel: { id: '720000000000000001', type: 11, guild_id: '800000000000000001', name: 'daily talk', parent_id: '700000000000000001' },
  });
  const IN_THREADS = 1n << 38n; // Send Messages in Threads (and forum posts)

  it('GIVEN /subscribe in a forum post where the bot may post in threads but not Send Messages in the forum itself THEN it is subscribed', async () => {
    const { token } = fake.interact(inThread((ALL_SEND_PERMISSIONS & ~2048n) | IN_THREADS));
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.embeds[0].description).toContain('Subscribed');
    expect((await world.deps.subs.get('discord', '720000000000000001'))?.active).toBe(true);
  });

  it.each([
    ['en-US', 'Send Messages in Threads and Posts'],
    ['zh-TW', '在討論串和貼文中發送訊息'],
    ['zh-CN', '在子区和帖子中发送消息'],
  ])(
    'GIVEN /subscribe (%s) in a thread where the bot has Send Messages but not in threads THEN it names that permission, and nothing is stored',
    async (locale, name) => {
      const { token } = fake.interact(inThread(ALL_SEND_PERMISSIONS, locale));
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      expect(callback.body.data.embeds[0].description).toContain(name);
      expect(await world.deps.subs.get('discord', '720000000000000001')).toBeUndefined();
    },
  );

  it('GIVEN /subscribe by a channel manager with a role THEN it is stored with its guild and role, confirmed ephemeral; GUILD_DELETE deactivates it', async () => {
    const { token } = fake.interact(
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'role', type: 8, value: '500000000000000001' }],
        resolved: {
          roles: {
            '500000000000000001': {
              id: '500000000000000001',
              name: 'alerts',
              color: 0,
              hoist: false,
              position: 1,
              permissions: '0',
              managed: false,
              mentionable: true,
              flags: 0,
            },
          },
        },
      }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    // The role each alert will ping is said (nothing else shows it), as /mylevels says it later.
    expect(callback.body.data.embeds[0].description).toContain('\nEach alert mentions <@&500000000000000001>\n');
    const listed = fake.interact(slashInteraction({ name: 'mylevels', permissions: MANAGE_CHANNELS }));
    expect((await answerOf(listed.token, false)).callback.body.data.embeds[0].description).toContain('\nEach alert mentions <@&500000000000000001>\n');
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
    const store = new DiscordStore(onSqlite(world.db));
    expect(await store.channel('700000000000000001')).toEqual({ guildId: '800000000000000001', type: 0 });
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.mention).toBe('500000000000000001');

    fake.dispatch('GUILD_DELETE', { id: '800000000000000001', unavailable: true });
    fake.dispatch('GUILD_DELETE', { id: '800000000000000001' });
    await eventually(async () => (await world.deps.subs.get('discord', '700000000000000001'))?.active !== true);
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(false);

    // Added back three days later: a manager asking is told why and since when the alerts stopped,
    // and /subscribe brings them back as they were (the role too).
    const stopped = new Date(Date.now() - 3 * 86_400_000);
    world.db.prepare("UPDATE subscriptions SET deactivated_at = ? WHERE chat_id = '700000000000000001'").run(stopped.getTime());
    const asked = fake.interact(slashInteraction({ name: 'mylevels', permissions: MANAGE_CHANNELS }));
    expect((await answerOf(asked.token, false)).callback.body.data.embeds[0].description).toBe(
      mentioned(
        `Alerts here stopped when the bot was removed from this channel. /subscribe starts them again as they were.\nStopped on ${stopped.toISOString().slice(0, 10)} (3 days ago).`,
      ),
    );
    const again = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    expect((await answerOf(again.token, false)).callback.body.data.embeds[0].description).toMatch(/^Alerts are on again, as they were before they stopped\.\n/);
    expect(await world.deps.subs.get('discord', '700000000000000001')).toMatchObject({ active: true, mention: '500000000000000001' });

    // The way to stop pinging the role: /unsubscribe, then /subscribe without one starts afresh, no role.
    await answerOf(fake.interact(slashInteraction({ name: 'unsubscribe', permissions: MANAGE_CHANNELS })).token, false);
    const fresh = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    expect((await answerOf(fresh.token, false)).callback.body.data.embeds[0].description).not.toContain('mentions');
    expect(await world.deps.subs.get('discord', '700000000000000001')).toMatchObject({ active: true, mention: null });
  });

  it.each(LANGS)(
    'GIVEN a subscribed channel WHEN /subscribe role:@macro (%s), alone or with a pair it has THEN the answer says the alerts now mention the role, not "already subscribed"; the same role again is "already subscribed"',
    async (lang) => {
      const id = '500000000000000003';
      const role = { id, name: 'macro', color: 0, hoist: false, position: 1, permissions: '0', managed: false, mentionable: true, flags: 0 };
      const resolved: { roles: Record<string, typeof role> } = { roles: { [id]: role } };
      const ask = async (options: { name: string; type: number; value: string }[]) => {
        const { token } = fake.interact(
          slashInteraction({
            name: 'subscribe',
            permissions: MANAGE_CHANNELS,
            locale: lang,
            options,
            ...(options.some((o) => o.name === 'role') ? { resolved } : {}),
          }),
        );
        return (await answerOf(token, false)).callback.body.data.embeds[0].description as string;
      };
      const firstLine = (d: string) => d.split('\n')[0];
      await ask([]);
      expect(firstLine(await ask([{ name: 'role', type: 8, value: id }]))).toBe(t(lang, 'chat.sub.mentionSet.discord', { role: `<@&${id}>` }));
      expect((await world.deps.subs.get('discord', '700000000000000001'))?.mention).toBe(id);
      expect(firstLine(await ask([{ name: 'role', type: 8, value: id }]))).toBe(t(lang, 'chat.sub.already.discord'));
      // Another role, with a pair the channel already has: said the same way.
      const other = '500000000000000004';
      resolved.roles[other] = { ...role, id: other, name: 'gold' };
      const withPair = await ask([
        { name: 'pairs', type: 3, value: 'spx' },
        { name: 'role', type: 8, value: other },
      ]);
      expect(firstLine(withPair)).toBe(t(lang, 'chat.sub.mentionSet.discord', { role: `<@&${other}>` }));
      expect((await world.deps.subs.get('discord', '700000000000000001'))?.mention).toBe(other);
    },
  );

  it.each(LANGS)(
    'GIVEN /subscribe role:@everyone (%s) THEN refused in one ephemeral line saying why (Discord shows @@everyone, pings nobody), nothing stored',
    async (lang) => {
      // The @everyone role's id is its guild's: `<@&guild id>` in a message reads "@@everyone" and notifies no one.
      const everyone = '800000000000000001';
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          locale: lang,
          options: [{ name: 'role', type: 8, value: everyone }],
          resolved: {
            roles: {
              [everyone]: {
                id: everyone,
                name: '@everyone',
                color: 0,
                hoist: false,
                position: 0,
                permissions: '0',
                managed: false,
                mentionable: false,
                flags: 0,
              },
            },
          },
        }),
      );
      const { callback } = await answerOf(token, false);
      expect(callback.body.data.flags).toBe(64);
      expect(callback.body.data.embeds[0].description).toBe(mentioned(t(lang, 'discord.roleEveryone')));
      expect(await world.deps.subs.get('discord', '700000000000000001')).toBeUndefined();
    },
  );

  it.each([
    ['not mentionable, bot without Mention Everyone', false, ALL_SEND_PERMISSIONS, true],
    ['not mentionable, bot with Mention Everyone', false, ALL_SEND_PERMISSIONS | 131072n, false],
    ['mentionable', true, ALL_SEND_PERMISSIONS, false],
  ] as const)(
    'GIVEN /subscribe role:@alerts (%s) THEN subscribed with the role; a note that it would ping nobody only when it would',
    async (_, mentionable, appPermissions, noted) => {
      const id = '500000000000000002';
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          appPermissions,
          options: [{ name: 'role', type: 8, value: id }],
          resolved: {
            roles: { [id]: { id, name: 'alerts', color: 0, hoist: false, position: 1, permissions: '0', managed: false, mentionable, flags: 0 } },
          },
        }),
      );
      const { callback } = await answerOf(token, false);
      const note = t('en', 'discord.roleNotMentionable', { role: `<@&${id}>`, permission: t('en', 'discord.perm.MentionEveryone') });
      expect(callback.body.data.embeds[0].description.includes(note)).toBe(noted);
      expect(await world.deps.subs.get('discord', '700000000000000001')).toMatchObject({ active: true, mention: id });
    },
  );

  it('GIVEN /subscribe channel:#other THEN the bot checks its own permissions there: a missing one is named; a channel it can post in is subscribed, one without Attach Files or Embed Links with a note', async () => {
    const guildId = '800000000000000001';
    const blocked = '700000000000000002';
    const open = '700000000000000003';
    const noFiles = '700000000000000006';
    const noEmbeds = '700000000000000007';
    fake.dispatch(
      'GUILD_CREATE',
      guildCreatePayload({
        guildId,
        everyone: ALL_SEND_PERMISSIONS,
        channels: [
          { id: '700000000000000001' },
          { id: blocked, denyBot: 2048n },
          { id: open },
          { id: noFiles, denyBot: 32768n },
          { id: noEmbeds, denyBot: 16384n },
        ],
      }),
    );
    const client = bot.client()!;
    await eventually(() => client.guilds.cache.has(guildId));
    const pick = (id: string) =>
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: id }],
        resolved: { channels: { [id]: { id, type: 0, name: 'x', permissions: String(ALL_SEND_PERMISSIONS) } } },
      });

    const refused = fake.interact(pick(blocked));
    const { callback } = await answerOf(refused.token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain(`<#${blocked}>`);
    expect(callback.body.data.embeds[0].description).toContain('Send Messages');
    expect(await world.deps.subs.get('discord', blocked)).toBeUndefined();

    const partly = fake.interact(pick(noFiles));
    const answered = await answerOf(partly.token, false);
    expect(answered.callback.body.data.embeds[0].description).toContain(`Attach Files permission in <#${noFiles}>`);
    expect((await world.deps.subs.get('discord', noFiles))?.active).toBe(true);

    const plain = fake.interact(pick(noEmbeds));
    const plainAnswer = await answerOf(plain.token, false);
    expect(plainAnswer.callback.body.data.embeds[0].description).toContain(`Embed Links permission in <#${noEmbeds}>, so its alerts will come as plain text`);
    expect((await world.deps.subs.get('discord', noEmbeds))?.active).toBe(true);

    const ok = fake.interact(pick(open));
    await answerOf(ok.token, false);
    expect((await world.deps.subs.get('discord', open))?.active).toBe(true);
    expect(await world.deps.subs.get('discord', '700000000000000001')).toBeUndefined();
    expect((await new DiscordStore(onSqlite(world.db)).channel(open))?.guildId).toBe(guildId);
  });

  it('GIVEN /subscribe channel:#other in a server the Client has not cached THEN the permissions come through REST: the missing one is named; an open channel is subscribed', async () => {
    const guildId = '800000000000000001';
    const blocked = '700000000000000004';
    const open = '700000000000000005';
    // Known to REST only: no GUILD_CREATE reached the Client.
    fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: blocked, denyBot: 2048n }, { id: open }] }));
    expect(bot.client()!.guilds.cache.has(guildId)).toBe(false);
    const pick = (id: string) =>
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: id }],
        resolved: { channels: { [id]: { id, type: 0, name: 'x', permissions: String(ALL_SEND_PERMISSIONS) } } },
      });

    const refused = fake.interact(pick(blocked));
    const { callback } = await answerOf(refused.token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toContain(`<#${blocked}>`);
    expect(callback.body.data.embeds[0].description).toContain('Send Messages');
    expect(await world.deps.subs.get('discord', blocked)).toBeUndefined();
    expect(fake.calls('GET', new RegExp(`^/guilds/${guildId}$`)).length).toBeGreaterThanOrEqual(1);
    expect(fake.calls('GET', new RegExp(`^/guilds/${guildId}/members/900000000000000002$`)).length).toBeGreaterThanOrEqual(1);
    expect(fake.calls('GET', new RegExp(`^/channels/${blocked}$`))).toHaveLength(1);

    const ok = fake.interact(pick(open));
    await answerOf(ok.token, false);
    expect((await world.deps.subs.get('discord', open))?.active).toBe(true);
  });

  it('GIVEN /subscribe channel:#x in a server Discord answers 10004 for, though it knows the bot\'s member there THEN "could not check", nothing stored; /subscribe in the channel it was typed in (its app_permissions are the bot\'s) subscribes', async () => {
    const guildId = '800000000000000001';
    const other = '700000000000000008';
    fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: '700000000000000001' }, { id: other }] }));
    fake.fail(new RegExp(`^/guilds/${guildId}$`), { kind: 'error', status: 404, code: 10004 }, 50, 'GET');
    const { token } = fake.interact(
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: other }],
        resolved: { channels: { [other]: { id: other, type: 0, name: 'x', permissions: String(ALL_SEND_PERMISSIONS) } } },
      }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toBe(mentioned(t('en', 'discord.checkFailed', { channel: `<#${other}>`, command: '/subscribe' })));
    expect(await world.deps.subs.get('discord', other)).toBeUndefined();

    const here = fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS }));
    expect((await answerOf(here.token, false)).callback.body.data.embeds[0].description).toContain('Subscribed');
    expect((await world.deps.subs.get('discord', '700000000000000001'))?.active).toBe(true);
  });

  it('GIVEN /subscribe channel:#hidden the bot cannot see (Discord answers its look-up 50001 Missing Access) THEN it names View Channel, and nothing is stored', async () => {
    const guildId = '800000000000000001';
    const hidden = '700000000000000006';
    fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: hidden, denyBot: 1024n }] }));
    // What Discord answers a bot asking for a channel it may not view.
    fake.fail(new RegExp(`^/channels/${hidden}$`), { kind: 'error', status: 403, code: 50001 }, 5, 'GET');
    const { token } = fake.interact(
      slashInteraction({
        name: 'subscribe',
        permissions: MANAGE_CHANNELS,
        options: [{ name: 'channel', type: 7, value: hidden }],
        resolved: { channels: { [hidden]: { id: hidden, type: 0, name: 'hidden', permissions: String(ALL_SEND_PERMISSIONS) } } },
      }),
    );
    const { callback } = await answerOf(token, false);
    expect(callback.body.data.flags).toBe(64);
    expect(callback.body.data.embeds[0].description).toBe(
      mentioned(t('en', 'discord.missingPermission', { channel: `<#${hidden}>`, permission: 'View Channel', command: '/subscribe' })),
    );
    expect(await world.deps.subs.get('discord', hidden)).toBeUndefined();
  });

  it.each([
    ['an open channel', false, 'Subscribed.'],
    ['a channel without Send Messages', true, 'Send Messages'],
  ] as const)(
    "GIVEN /subscribe channel:#other (%s) whose permission look-up Discord is slow to answer (a 429 of 3.5 s) THEN the command is deferred within Discord's 3 s, and the answer comes after as an ephemeral edit of it",
    async (_, blockedChannel, said) => {
      const guildId = '800000000000000001';
      const other = '700000000000000007';
      fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: other, ...(blockedChannel ? { denyBot: 2048n } : {}) }] }));
      // The bot as it runs: deferring at GATEWAY_DEFER_MS (startDiscordBot's waits longer).
      await bot.stop();
      bot = makeDiscord(world, discordEnv(fake), { deferAfterMs: 'real' });
      await bot.start();
      await bot.ready();
      fake.firstResponseMs = 3_000;
      fake.fail(new RegExp(`^/guilds/${guildId}$`), { kind: 'route-429', retryAfter: 3.5 }, 1, 'GET');
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          options: [{ name: 'channel', type: 7, value: other }],
          resolved: { channels: { [other]: { id: other, type: 0, name: 'other', permissions: String(ALL_SEND_PERMISSIONS) } } },
        }),
      );
      const { callback, edit } = await answerOf(token, true);
      expect(callback.status).toBe(204);
      expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
      expect(edit!.body.embeds[0].description).toContain(said);
      expect(fake.calls('POST', new RegExp(`/interactions/\\d+/${token}/callback$`))).toHaveLength(1);
      expect((await world.deps.subs.get('discord', other))?.active).toBe(blockedChannel ? undefined : true);
    },
  );

  it.each([
    ['not subscribed itself', false],
    ['subscribed itself', true],
  ] as const)(
    'GIVEN /subscribe channel:#alerts typed in #general (%s) THEN the level buttons of its answer switch the levels of #alerts, not of #general',
    async (_, generalSubscribed) => {
      const guildId = '800000000000000001';
      const general = '700000000000000001';
      const alerts = '700000000000000008';
      fake.addGuild(guildCreatePayload({ guildId, everyone: ALL_SEND_PERMISSIONS, channels: [{ id: general }, { id: alerts }] }));
      if (generalSubscribed) await answerOf(fake.interact(slashInteraction({ name: 'subscribe', permissions: MANAGE_CHANNELS })).token, false);
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          options: [{ name: 'channel', type: 7, value: alerts }],
          resolved: { channels: { [alerts]: { id: alerts, type: 0, name: 'alerts', permissions: String(ALL_SEND_PERMISSIONS) } } },
        }),
      );
      const answer = (await answerOf(token, false)).callback.body.data;
      // Read in #general, the answer says whose settings it shows.
      expect(answer.embeds[0].description).toMatch(new RegExp(`^${t('en', 'discord.aboutChannel', { channel: `<#${alerts}>` })}\n`));
      const button = (answer.components as { components: { custom_id: string; label: string }[] }[])[0]!.components[0]!;
      expect(button.label).toBe('✅ SPX/Gold 5.5');

      // Pressed on that (ephemeral) answer, which sits in #general.
      const press = fake.interact(
        buttonInteraction({ customId: button.custom_id, message: { ...botMessage(answer), flags: 64 }, permissions: MANAGE_CHANNELS }),
      );
      const pressed = (await answerOf(press.token, false)).callback.body;
      expect(pressed.type).toBe(7);
      const after = (pressed.data.components as { components: { custom_id: string; label: string }[] }[])[0]!.components[0]!;
      expect(after.label).toBe('⬜ SPX/Gold 5.5');
      expect(pressed.data.embeds[0].description.split('\n')[0]).toBe(t('en', 'discord.aboutChannel', { channel: `<#${alerts}>` }));
      const watches = async (chat: string) => {
        const ids = (await world.deps.subs.get('discord', chat))?.levelIds;
        return ids === 'all' || (ids ?? []).includes('spx-gold-5.5');
      };
      expect(await watches(alerts)).toBe(false);
      if (generalSubscribed) expect(await watches(general)).toBe(true);
      else expect(await world.deps.subs.get('discord', general)).toBeUndefined();

      // Pressed again: on again, still for #alerts.
      const again = fake.interact(
        buttonInteraction({ customId: after.custom_id, message: { ...botMessage(pressed.data), flags: 64 }, permissions: MANAGE_CHANNELS }),
      );
      expect((await answerOf(again.token, false)).callback.body.type).toBe(7);
      expect(await watches(alerts)).toBe(true);

      // Aimed at a channel the bot keeps for no server of this one: refused, and #general is not changed instead.
      const stray = fake.interact(
        buttonInteraction({ customId: 'sub:off:spx-gold-5.5#700000000000000099', message: { ...botMessage(answer), flags: 64 }, permissions: MANAGE_CHANNELS }),
      );
      const refused = (await answerOf(stray.token, false)).callback.body;
      expect(refused.data.flags).toBe(64);
      expect(refused.data.embeds[0].description).toBe(t('en', 'chat.err.action'));
      if (generalSubscribed) expect(await watches(general)).toBe(true);
      expect(await watches('700000000000000099')).toBe(false);
    },
  );

  it.each(['zh-TW', 'zh-CN'] as const)(
    'GIVEN /subscribe channel:#alerts typed in #general (%s) THEN its answer starts by naming #alerts, in that language',
    async (lang) => {
      const alerts = '700000000000000008';
      fake.addGuild(guildCreatePayload({ guildId: '800000000000000001', everyone: ALL_SEND_PERMISSIONS, channels: [{ id: alerts }] }));
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          locale: lang,
          options: [{ name: 'channel', type: 7, value: alerts }],
          resolved: { channels: { [alerts]: { id: alerts, type: 0, name: 'alerts', permissions: String(ALL_SEND_PERMISSIONS) } } },
        }),
      );
      const text = (await answerOf(token, false)).callback.body.data.embeds[0].description as string;
      expect(text.split('\n')[0]).toBe(t(lang, 'discord.aboutChannel', { channel: `<#${alerts}>` }));
      expect(text.split('\n')[1]).toBe(mentioned(t(lang, 'chat.sub.done')));
    },
  );

  it.each([
    ['without Mention Everyone there', ALL_SEND_PERMISSIONS, true],
    ['with Mention Everyone there', ALL_SEND_PERMISSIONS | 131072n, false],
  ] as const)(
    'GIVEN /subscribe channel:#alerts role:@quiet (not mentionable) typed in #general, the bot %s THEN the note that it would ping nobody comes only when it would',
    async (_, everyone, noted) => {
      const alerts = '700000000000000010';
      const role = '500000000000000003';
      fake.addGuild(guildCreatePayload({ guildId: '800000000000000001', everyone, channels: [{ id: alerts }] }));
      const { token } = fake.interact(
        slashInteraction({
          name: 'subscribe',
          permissions: MANAGE_CHANNELS,
          // In #general the bot may mention anyone: only #alerts' permissions tell.
          appPermissions: ALL_SEND_PERMISSIONS | 131072n,
          options: [
            { name: 'channel', type: 7, value: alerts },
            { name: 'role', type: 8, value: role },
          ],
          resolved: {
            channels: { [alerts]: { id: alerts, type: 0, name: 'alerts', permissions: String(ALL_SEND_PERMISSIONS) } },
            roles: { [role]: { id: role, name: 'quiet', color: 0, hoist: false, position: 1, permissions: '0', managed: false, mentionable: false, flags: 0 } },
          },
        }),
      );
      const text = (await answerOf(token, false)).callback.body.data.embeds[0].description as string;
      const note = t('en', 'discord.roleNotMentionable', { role: `<@&${role}>`, permission: t('en', 'discord.perm.MentionEveryone') });
      expect(text.includes(note)).toBe(noted);
      expect(await world.deps.subs.get('discord', alerts)).toMatchObject({ active: true, mention: role });
    },
  );

  it("GIVEN /chart of 2008, whose closes came from an import THEN the embed footer names that import too, as the chart image does, not only the newest closes' source", async () => {
    const quotes = new QuoteStore(onSqlite(world.db));
    await quotes.upsertCloses('spx', synthetic('2009-12-31', 700, 1200, 200, 40, 'import:spx_2007.csv'));
    await quotes.upsertCloses('gold', synthetic('2009-12-31', 700, 900, 100, 50, 'import:gold_2007.csv'));
    const { token } = fake.interact(
      slashInteraction({
        name: 'chart',
        options: [
          { name: 'chart', type: 3, value: 'spx-gold' },
          { name: 'from', type: 3, value: '2008-01-02' },
          { name: 'to', type: 3, value: '2008-12-31' },
        ],
      }),
    );
    const { edit } = await answerOf(token, true);
    const footer = edit!.body.embeds[0].footer.text as string;
    // Named as a reader reads them: an imported CSV, once for both files, never the raw tag.
    expect(footer).toContain(t('en', 'source.import'));
    expect(footer.split(t('en', 'source.import')).length - 1).toBe(1);
    expect(footer).not.toContain('import:');
    // Beside it, the fields are today's ratios: their source is named too.
    expect(footer).toContain('test');
  });

  it('GIVEN /lang zh-TW landing while /ratio is being answered THEN the /ratio embed is all in one language: its text, fields, footer and colour', async () => {
    // The bot again, its view letting a manager's /lang be answered in the middle of /ratio's read.
    let langOnce: Promise<unknown> | undefined;
    const view = world.deps.view;
    const report = async (...a: Parameters<typeof view.report>) => {
      langOnce ??= (async () => {
        const { token } = fake.interact(
          slashInteraction({
            name: 'lang',
            permissions: MANAGE_CHANNELS,
            userId: '600000000000000002',
            options: [{ name: 'language', type: 3, value: 'zh-TW' }],
          }),
        );
        await answerOf(token, false);
      })();
      await langOnce;
      return view.report(...a);
    };
    const racing = new Proxy(view, { get: (v, k) => (k === 'report' ? report : (Reflect.get(v, k) as (...x: unknown[]) => unknown).bind(v)) });
    const other = makeDiscord({ ...world, deps: { ...world.deps, view: racing } }, discordEnv(fake));
    await bot.stop();
    await other.start();
    await other.ready();
    try {
      const { token } = fake.interact(slashInteraction({ name: 'ratio' }));
      const { edit } = await answerOf(token, true);
      expect((await world.deps.subs.get('discord', '700000000000000001'))?.lang).toBe('zh-TW');
      const embed = edit!.body.embeds[0];
      // Asked in English: answered in English, whole.
      expect(embed.description).toContain('Next level up');
      expect(embed.fields.map((f: { name: string }) => f.name)).toEqual(['SPX/Gold', 'QQQ/Gold']);
      expect(embed.footer.text).toMatch(/^Source: /);
      const down = (embed.fields[0].value as string).includes('(-');
      expect(embed.color).toBe(down ? 0xd0463b : 0x2e9e5b);
    } finally {
      await other.stop();
    }
  });
});

describe('Discord: a command that fails after it was deferred', () => {
  it('GIVEN /ratio whose chart cannot be drawn (the renderer throws) THEN the public "thinking…" placeholder is deleted and the apology comes ephemeral, never left spinning', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start();
    const broken = { render: async () => Promise.reject(new Error('canvas crashed')) } as unknown as World['charts'];
    const b = makeDiscord({ ...w, charts: broken }, discordEnv(f));
    try {
      await b.start();
      await b.ready();
      const { token } = f.interact(slashInteraction({ name: 'ratio' }));
      const [callback] = await f.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      expect(callback!.body.type).toBe(5);
      expect(callback!.body.data?.flags ?? 0).toBe(0);
      const [apology] = await f.waitFor('POST', new RegExp(`^/webhooks/\\d+/${token}$`));
      expect(apology!.body.flags).toBe(64);
      expect(apology!.body.embeds[0].description).toBe(t('en', 'chat.failed'));
      await f.waitFor('DELETE', new RegExp(`^/webhooks/\\d+/${token}/messages/@original$`));
      expect(w.log.lines.some((l) => l.includes('canvas crashed'))).toBe(true);
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  });
});

describe('Discord start-up', () => {
  it('GIVEN a refused token THEN one clear log line naming DISCORD_TOKEN, never its value, and no retry', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start({ token: 'the-right-one' });
    const b = makeDiscord(w, discordEnv(f, { DISCORD_TOKEN: 'sekrit-wrong-token' }));
    try {
      expect(await b.start()).toMatchObject({ kind: 'refused' });
      const lines = w.log.lines.filter((l) => l.includes('DISCORD_TOKEN'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/refused DISCORD_TOKEN \(401\)/);
      expect(w.log.lines.join('\n')).not.toContain('sekrit-wrong-token');
      await new Promise((r) => setTimeout(r, 150));
      expect(f.calls('GET', /^\/gateway\/bot$/).length).toBeLessThanOrEqual(1);
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  });

  it('GIVEN the token revoked while the gateway runs (its next IDENTIFY closed 4004) THEN one error line and /readyz say so, naming DISCORD_TOKEN, never its value', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start();
    const b = makeDiscord(w, discordEnv(f));
    try {
      await b.start();
      await b.ready();
      expect(b.readiness()).toBeUndefined();
      // Reset in the Developer Portal: the old token no longer identifies; the session ends and discord.js identifies anew.
      (f as unknown as { token: string }).token = 'the-new-one';
      f.dropSessions(false);
      const said =
        /^Discord refused DISCORD_TOKEN on the gateway \(4004 Authentication failed\): reset in the Developer Portal\? Set DISCORD_TOKEN and restart goldratio$/;
      // discord.js identifies anew after a few seconds' wait of its own; the bound is for a loaded machine.
      await eventually(() => b.readiness() !== undefined, 60_000);
      // discord.js gives up on 4004 with its Client still "ready": /readyz said ready, the log nothing.
      expect(b.readiness()).toMatch(new RegExp(`^not connected to the gateway: ${said.source.slice(1)}`));
      expect(w.log.lines.filter((l) => /\bERROR\b/.test(l))).toEqual([expect.stringMatching(new RegExp(said.source.slice(1)))]);
      expect(w.log.lines.join('\n')).not.toContain('fake-discord-token');
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  }, 90_000);

  it('GIVEN a standby (no gateway) whose token was reset meanwhile WHEN it takes the lead (gateway.start()) THEN /readyz says the token was refused, not a bare "not connected"; losing the lead clears it', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start();
    const b = makeDiscord(w, discordEnv(f), { gateway: false });
    try {
      await b.start();
      expect(b.readiness()).toBeUndefined();
      (f as unknown as { token: string }).token = 'the-new-one';
      expect(await b.gateway.start()).toMatchObject({ kind: 'refused' });
      expect(b.readiness()).toMatch(/^not connected to the gateway: Discord refused DISCORD_TOKEN \(401\): check the bot token in the Developer Portal$/);
      await b.gateway.stop('lost the lead');
      expect(b.readiness()).toBeUndefined();
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  });

  it('GIVEN Discord unreachable THEN it retries with backoff, logs it, and stop() ends the retries at once', async () => {
    const w = makeWorld();
    const b = makeDiscord(w, { DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_BASE: 'http://127.0.0.1:9/api' });
    try {
      const starting = b.start(); // resolves only once up, refused or stopped
      const failed = () => w.log.lines.filter((l) => /Discord could not start \(attempt \d+\): unreachable at http:\/\/127\.0\.0\.1:9\/api/.test(l));
      await eventually(() => failed().length >= 2);
      // One line per failed attempt, numbered, each saying when the next comes.
      expect(failed().length).toBeGreaterThanOrEqual(2);
      expect(failed()[0]).toMatch(/attempt 1\).*retrying in \d+ s/);
      expect(failed()[1]).toMatch(/attempt 2\)/);
      // /readyz says why: the last failure and when the next try is.
      expect(b.readiness()).toMatch(
        /^not connected to the gateway: attempt [2-9] failed: unreachable at http:\/\/127\.0\.0\.1:9\/api .*; (next in \d+ s|trying again)$/,
      );
      // The failed registration inside an attempt is part of that attempt's line, not a second one.
      expect(w.log.lines.filter((l) => /slash commands/.test(l))).toEqual([]);
      await b.stop();
      expect(await starting).toEqual({ kind: 'stopped' });
    } finally {
      await b.stop();
      w.cleanup();
    }
  });

  it.each([
    ['start', false],
    ['gateway.start (a lead taken)', true],
  ])(
    "GIVEN Discord unreachable and the %s's backoff asleep on a scheduled run's signal (or one linked to it) WHEN that run is stopped THEN the sleep ends at once, as on the run's own signal",
    async (_name, lead) => {
      const w = makeWorld();
      const run = new RunSignal();
      // A backoff of 10 min: ended only by the stop counting the sleep as the run's, never by its time.
      const backoff = { baseMs: 600_000, maxMs: 600_000 };
      const env = { DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_BASE: 'http://127.0.0.1:9/api' };
      const b = makeDiscord(w, env, { backoff, gateway: !lead });
      try {
        const starting = b.start(run.signal);
        await eventually(() => attempts(w).length >= 1);
        // A standby's start fails too, then takes the lead: its gateway.start() is on the start's linked signal.
        const gateway = lead ? b.gateway.start() : undefined;
        await eventually(() => attempts(w).length >= (lead ? 2 : 1));
        expect(run.stop()).toBe(true);
        expect(await starting).toEqual({ kind: 'stopped' });
        if (gateway !== undefined) expect(await gateway).toEqual({ kind: 'stopped' });
      } finally {
        await b.stop();
        w.cleanup();
      }
    },
  );

  it.each([
    // The start asks for the gateway's address once per attempt, and login() once more when it answered.
    ['the gateway address, before the login', 'GET', /^\/gateway\/bot$/, 'GET /gateway/bot', { calls: 3 }],
    ["the bot's user, before the Interactions Endpoint listens", 'GET', /^\/users\/@me$/, 'GET /users/@me', { calls: 2, endpoint: true }],
  ])(
    'GIVEN Discord taking the request for %s and never answering THEN that attempt fails within the deadline in one line naming the call, and the next gets in',
    async (_name, method, path, call, o: { calls: number; endpoint?: boolean }) => {
      const w = makeWorld();
      const f = await FakeDiscord.start();
      f.fail(path, { kind: 'silent' }, 1, method);
      const env = discordEnv(f, o.endpoint === true ? { DISCORD_PUBLIC_KEY: f.publicKey } : {});
      const b = makeDiscord(w, env, { answerMs: 1500, ...(o.endpoint === true ? { interactionsPort: 0 } : {}) });
      try {
        const t0 = performance.now();
        expect(await b.start()).toEqual({ kind: 'started', attempts: 2 });
        const failed = w.log.lines.filter((l) => l.includes('Discord could not start'));
        expect(failed).toEqual([expect.stringMatching(new RegExp(`\\(attempt 1\\): ${f.api} did not answer ${call} within 1\\.5 s; retrying in 0 s$`))]);
        // One try of the call per attempt, not the Client's four of 15 s each. The deadline is 1.5 s, not
        // less: on CI's loaded cores a call the fake answers at once took over 0.3 s, and a third attempt began.
        expect(f.calls(method, path)).toHaveLength(o.calls);
        expect(performance.now() - t0).toBeLessThan(15_000);
      } finally {
        await b.stop();
        await f.close();
        w.cleanup();
      }
    },
  );

  it('GIVEN Discord refusing the slash-command definitions THEN one warning, and the bot still logs in and answers', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start();
    f.fail(/^\/applications\/\d+\/commands$/, { kind: 'error', status: 400, code: 50035, message: 'Invalid Form Body' }, 1, 'PUT');
    const b = makeDiscord(w, discordEnv(f));
    try {
      await b.start();
      await b.ready();
      const { token } = f.interact(slashInteraction({ name: 'help' }));
      await f.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
      const warned = w.log.lines.filter((l) => /slash commands/.test(l));
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatch(/Discord refused the slash commands \(400 50035: .*Invalid Form Body.*\).*next start tries again/);
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  });

  it('GIVEN a Discord that takes the request and never answers THEN stop() (Ctrl-C) ends the start at once, nothing else is sent, and the log says nothing misleading', async () => {
    const w = makeWorld();
    const seen: string[] = [];
    const silent = createServer((req) => seen.push(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const api = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api`;
    const b = makeDiscord(w, { DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '900000000000000001', DISCORD_API_BASE: api });
    try {
      const starting = b.start();
      await eventually(() => seen.length > 0);
      expect(seen).toHaveLength(1);
      await b.stop(); // resolves now, not when @discordjs/rest's 15 s timeout fires
      expect(await starting).toEqual({ kind: 'stopped' });
      expect(w.log.lines.filter((l) => /error|refused/i.test(l))).toEqual([]);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toHaveLength(1);
    } finally {
      silent.closeAllConnections();
      silent.close();
      w.cleanup();
    }
  });
});

describe('the harness reading a deferred answer', () => {
  it('GIVEN /ratio deferred publicly (not answered in time, as on a loaded machine) and its answer ephemeral (the apology of a failed chart) THEN interactionAnswer reads the follow-up', async () => {
    const w = makeWorld();
    const f = await FakeDiscord.start();
    const b = makeDiscord({ ...w, charts: { render: () => Promise.reject(new Error('disk full')) } as unknown as World['charts'] }, discordEnv(f), {
      deferAfterMs: 0,
    });
    try {
      await b.start();
      await b.ready();
      const { token } = f.interact(slashInteraction({ name: 'ratio' }));
      const answer = await interactionAnswer(f, token);
      // Deferred publicly, then the ephemeral apology as a follow-up (an edit cannot make the public placeholder ephemeral).
      expect(f.calls('POST', CALLBACK)[0]?.body.type).toBe(5);
      expect(answer.method).toBe('POST');
      expect(answer.body.content ?? answer.body.embeds?.[0]?.description).toBe(t('en', 'chat.failed'));
    } finally {
      await b.stop();
      await f.close();
      w.cleanup();
    }
  });
});
