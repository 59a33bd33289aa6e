/**
 * Chinese typed into Discord's free-text options, through the Discord fake and the real bot: a
 * time, hours, a zone, a date, a duration or a command name in either script (and the IME's
 * full-width forms) is answered exactly as its plain form is.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { World } from '../../helpers/telegram-harness.ts';
import { interactionAnswer, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import { type FakeDiscord, MANAGE_CHANNELS, slashInteraction } from '../../fakes/discord.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeAll(async () => ({ world, fake, bot } = await startDiscordBot()));
afterAll(() => stopDiscordBot({ world, fake, bot }));

/** A channel (and a member: no flood limit between rows) of its own for every interaction. */
let nextChannel = 730000000000000001n;

type Options = Readonly<Record<string, string>>;

/** The answer to `/name` with these string options in a fresh channel, by a channel manager: its embed's title and text (a chart's image name left out). */
async function ask(name: string, options: Options): Promise<string> {
  const channelId = String(nextChannel++);
  const { token } = fake.interact(
    slashInteraction({
      name,
      channelId,
      userId: String(nextChannel - 100000000000000000n),
      permissions: MANAGE_CHANNELS,
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    }),
  );
  const answer = await interactionAnswer(fake, token);
  const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
  return `${embed.title ?? ''}\n${embed.description ?? ''}`;
}

/** A command, its options in plain form, then as Chinese readers type them. */
const ROWS: readonly [string, Options, ...Options[]][] = [
  [
    'digest',
    { time: '08:00', timezone: 'Asia/Shanghai' },
    { time: '早上8点', timezone: '北京时间' },
    { time: '早上8點', timezone: '北京時間' },
    { time: '８：００', timezone: '上海' },
  ],
  [
    'digest',
    { time: '08:00', timezone: 'Asia/Taipei' },
    { time: '早上8點', timezone: '臺北' },
    { time: '早上8点', timezone: '台北时间' },
    { time: '8:00', timezone: '桃园' },
  ],
  [
    'quiet',
    { hours: '23:00-07:00', timezone: 'Asia/Hong_Kong' },
    { hours: '23：00～07：00', timezone: '香港' },
    { hours: '晚上11点到早上7点', timezone: '香港时间' },
  ],
  ['chart', { from: '2020-01-01' }, { from: '2020年以來' }, { from: '2020年以来' }, { from: '２０２０年以来' }],
  ['power', { base: '18m' }, { base: '18個月' }, { base: '18个月' }],
  ['help', { command: 'quiet' }, { command: '勿擾時段' }, { command: '勿扰时段' }, { command: '免打擾時段' }],
  // Its names now (頻道水位, 频道点位), and the old ones (我的水位, 我的点位) and what group readers say, still found.
  [
    'help',
    { command: 'mylevels' },
    { command: '頻道水位' },
    { command: '频道点位' },
    { command: '我的水位' },
    { command: '我的點位' },
    { command: '聊天室水位' },
    { command: '本群点位' },
  ],
];

/** The zones Discord suggests while `typed` is in /digest's timezone option. */
async function suggested(typed: string): Promise<string[]> {
  const payload = slashInteraction({
    name: 'digest',
    channelId: String(nextChannel++),
    permissions: MANAGE_CHANNELS,
    options: [
      { name: 'time', type: 3, value: '08:00' },
      { name: 'timezone', type: 3, value: typed },
    ],
  });
  (payload.data as { options: { focused?: boolean }[] }).options[1]!.focused = true;
  const { token } = fake.interact({ ...payload, type: 4 });
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return (callback!.body.data.choices as { value: string }[]).map((c) => c.value);
}

/** The commands Discord suggests while `typed` is in /help's command option, in a `locale` client. */
async function commandsSuggested(typed: string, locale: string): Promise<string[]> {
  const payload = slashInteraction({ name: 'help', channelId: String(nextChannel++), locale, options: [{ name: 'command', type: 3, value: typed }] });
  (payload.data as { options: { focused?: boolean }[] }).options[0]!.focused = true;
  const { token } = fake.interact({ ...payload, type: 4 });
  const [callback] = await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`));
  return (callback!.body.data.choices as { value: string }[]).map((c) => c.value);
}

describe('Chinese in Discord options, in either script', () => {
  // /mylevels's old names (我的水位, 我的点位) and the group's (本群点位) are found as they are typed, not only whole.
  test.each([
    ['我的', 'zh-TW'],
    ['我的', 'zh-CN'],
    ['我的點', 'zh-TW'],
    ['我的水', 'zh-CN'],
    ['本群', 'zh-CN'],
    ['聊天室', 'zh-TW'],
  ])('GIVEN %s being typed as /help command in a %s client THEN /mylevels is suggested', async (typed, locale) => {
    expect(await commandsSuggested(typed, locale)).toContain('mylevels');
  });

  test.each([
    ['北京时', 'Asia/Shanghai'],
    ['北京時間', 'Asia/Shanghai'],
    ['北京标准时间', 'Asia/Shanghai'],
    ['台北時', 'Asia/Taipei'],
    ['桃园', 'Asia/Taipei'],
    ['美东时间', 'America/New_York'],
  ])('GIVEN %s being typed as /digest timezone THEN %s is suggested', async (typed, zone) => {
    expect(await suggested(typed)).toContain(zone);
  });

  test.each(ROWS.flatMap(([name, plainForm, ...typed]) => typed.map((o) => [name, JSON.stringify(o), o, plainForm] as const)))(
    'GIVEN /%s %s THEN it is answered as its plain form is',
    async (name, _shown, options, plainForm) => {
      const expected = await ask(name, plainForm);
      expect(expected).not.toBe('\n');
      expect(await ask(name, options)).toBe(expected);
    },
  );
});

/** The next Monday after today (UTC), as the bot writes it in a UTC chat: what `until monday` ends on. */
function nextMondayUtc(): string {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() !== 1);
  return d.toISOString().slice(0, 10);
}

describe('/mute until an end, typed in its free-text option', () => {
  test.each([['until monday'], ['到下週一'], ['直到周一']])('GIVEN /mute duration:%s THEN muted to Monday 00:00, the answer naming it', async (typed) => {
    const channelId = String(nextChannel++);
    const asUser = { channelId, userId: '740000000000000001', permissions: MANAGE_CHANNELS };
    const sub = fake.interact(slashInteraction({ name: 'subscribe', ...asUser }));
    await interactionAnswer(fake, sub.token);
    const { token } = fake.interact(slashInteraction({ name: 'mute', ...asUser, options: [{ name: 'duration', type: 3, value: typed }] }));
    const answer = await interactionAnswer(fake, token);
    const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
    const monday = nextMondayUtc();
    // 到下週一 is next week's Monday: the same day as the next Monday, except typed on a Sunday (then still tomorrow).
    expect(`${embed.title ?? ''}\n${embed.description ?? ''}`).toContain(`until ${monday} 00:00 (UTC)`);
    expect((await world.deps.subs.get('discord', channelId))?.mutedUntil).toBe(Date.parse(`${monday}T00:00:00Z`));
  });
});

describe('/mute lengths as people write them, in its free-text option', () => {
  test.each([['一個半小時'], ['1hr30'], ['1 hour and 30 minutes']])('GIVEN /mute duration:%s THEN muted an hour and a half', async (typed) => {
    const channelId = String(nextChannel++);
    const asUser = { channelId, userId: '740000000000000002', permissions: MANAGE_CHANNELS };
    await interactionAnswer(fake, fake.interact(slashInteraction({ name: 'subscribe', ...asUser })).token);
    const before = Date.now();
    const { token } = fake.interact(slashInteraction({ name: 'mute', ...asUser, options: [{ name: 'duration', type: 3, value: typed }] }));
    const answer = await interactionAnswer(fake, token);
    const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
    expect(`${embed.title ?? ''}\n${embed.description ?? ''}`).toContain('Muted until');
    const until = (await world.deps.subs.get('discord', channelId))?.mutedUntil ?? 0;
    expect(until - before).toBeGreaterThanOrEqual(90 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(90 * 60_000);
  });
});

describe('/mute phrases once refused generically, typed in its free-text option (on the real clock)', () => {
  test.each([
    ['until march close', /^"until march close" names no one day, and a close is one day's: name the day, e\.g\. until 20\d\d-03-\d\d close\.$/m],
    // Typed in Chinese in an English channel: answered in English.
    ['半小時到一小時', /^"半小時到一小時" is a range, not one length: give a single number, e\.g\. 30m or 60m\.$/m],
    ['1.5-2 hours', /^"1\.5-2 hours" is a range, not one length: give a single number, e\.g\. 1\.5h or 2h\.$/m],
  ])('GIVEN /mute duration:%s THEN the one line naming what works; not muted', async (typed, line) => {
    const channelId = String(nextChannel++);
    const asUser = { channelId, userId: '740000000000000003', permissions: MANAGE_CHANNELS };
    await interactionAnswer(fake, fake.interact(slashInteraction({ name: 'subscribe', ...asUser })).token);
    const { token } = fake.interact(slashInteraction({ name: 'mute', ...asUser, options: [{ name: 'duration', type: 3, value: typed }] }));
    const answer = await interactionAnswer(fake, token);
    const embed = answer.body.embeds?.[0] ?? answer.body.data?.embeds?.[0] ?? {};
    expect(`${embed.title ?? ''}\n${embed.description ?? ''}`).toMatch(line);
    expect((await world.deps.subs.get('discord', channelId))?.mutedUntil ?? null).toBeNull();
  });
});
