/**
 * Discord's /move takes its days and its percent as Telegram's /move does: string options read by the
 * same parsers (20, 4w, 3m, 1y, 半年, 4週, 3個月; 10, 10%, 7,5, 百分之十, 1成), the usual spans suggested
 * as one types (never choices, which would allow nothing else), named in the reader's language; a
 * bad value gets Telegram's one line.
 * Through the registered commands and interactions of the fake Discord.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCommand } from '../../../src/chat/index.ts';
import { plainText } from '../../../src/chat/reply.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import type { Discord } from '../../../src/platforms/discord/client.ts';
import { type FakeDiscord, MANAGE_CHANNELS, type RecordedRequest, slashInteraction } from '../../fakes/discord.ts';
import { chatCtx } from '../../helpers/chat.ts';
import { interactionAnswer, mentioned, startDiscordBot, stopDiscordBot } from '../../helpers/discord-harness.ts';
import type { World } from '../../helpers/telegram-harness.ts';

let world: World;
let fake: FakeDiscord;
let bot: Discord;

beforeEach(async () => ({ world, fake, bot } = await startDiscordBot()));
afterEach(() => stopDiscordBot({ world, fake, bot }));

const CHANNEL = '700000000000000001';
const STRING = 3;

/** /move in the subscribed channel with these options (as Discord sends them), its answer's text. */
async function move(options: { name: string; type: number; value: string | number }[], locale = 'en-US'): Promise<string> {
  const { token } = fake.interact(slashInteraction({ name: 'move', options, locale, permissions: MANAGE_CHANNELS }));
  const answer = await interactionAnswer(fake, token);
  return (answer.body.embeds?.[0]?.description ?? answer.body.data?.embeds?.[0]?.description ?? '') as string;
}

/** The choices Discord gets while `typed` is in /move's days (focused), for a client in `locale`. */
async function suggested(typed: string, locale = 'en-US'): Promise<{ name: string; value: string }[]> {
  const payload = slashInteraction({
    name: 'move',
    locale,
    permissions: MANAGE_CHANNELS,
    options: [
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: '5' },
      { name: 'days', type: STRING, value: typed },
    ],
  });
  (payload.data as { options: { focused?: boolean }[] }).options[2]!.focused = true;
  const { token } = fake.interact({ ...payload, type: 4 });
  const [callback] = (await fake.waitFor('POST', new RegExp(`^/interactions/\\d+/${token}/callback$`))) as RecordedRequest[];
  expect(callback!.body.type).toBe(8);
  return callback!.body.data.choices;
}

describe('/move days on Discord', () => {
  it('GIVEN the registered commands THEN /move’s days is a string option Discord autocompletes, named and described in en, zh-TW and zh-CN from the catalogue', () => {
    const registered = (fake.commands.get('global') ?? []) as { name: string; options: Record<string, unknown>[] }[];
    const days = registered.find((c) => c.name === 'move')!.options.find((o) => o.name === 'days')!;
    expect(days).toMatchObject({
      type: STRING,
      autocomplete: true,
      description: t('en', 'chat.arg.move.days'),
      description_localizations: { 'zh-TW': t('zh-TW', 'chat.arg.move.days'), 'zh-CN': t('zh-CN', 'chat.arg.move.days') },
      name_localizations: { 'zh-TW': '天數', 'zh-CN': '天数' },
    });
    expect(days.choices).toBeUndefined();
    expect(t('en', 'chat.arg.move.days')).toContain('4w');
  });

  it('GIVEN /move pair:spx percent:5 days:4w THEN a move over 20 trading days, the reply saying how 4 weeks were read', async () => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true }))!;
    const said = await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: '5' },
      { name: 'days', type: STRING, value: '4w' },
    ]);
    expect(said).toContain('4 weeks read as 20 trading days (5 a week).');
    expect(await world.deps.moves!.list(sub.id)).toEqual([{ pair: 'spx-gold', pct: 5, days: 20 }]);
  });

  it('GIVEN days:3個月 from a zh-TW client and days:1y THEN 63 and 252 trading days, said in the chat’s language', async () => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true, lang: 'zh-TW' }))!;
    const tw = await move(
      [
        { name: 'pair', type: STRING, value: 'qqq' },
        { name: 'percent', type: STRING, value: '8' },
        { name: 'days', type: STRING, value: '3個月' },
      ],
      'zh-TW',
    );
    expect(tw).toContain('3 個月以 63 個交易日計算（每月 21 個交易日）。');
    await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: '10' },
      { name: 'days', type: STRING, value: '1y' },
    ]);
    expect(await world.deps.moves!.list(sub.id)).toEqual(
      expect.arrayContaining([
        { pair: 'qqq-gold', pct: 8, days: 63 },
        { pair: 'spx-gold', pct: 10, days: 252 },
      ]),
    );
  });

  it('GIVEN days:week and days:月 (a unit alone) THEN one of it: 5 and 21 trading days; days:一兩週 is refused as a range, nothing stored', async () => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true }))!;
    const week = await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: '5%' },
      { name: 'days', type: STRING, value: 'week' },
    ]);
    expect(week).toContain('1 week read as 5 trading days.');
    await move([
      { name: 'pair', type: STRING, value: 'qqq' },
      { name: 'percent', type: STRING, value: '10 pct' },
      { name: 'days', type: STRING, value: '月' },
    ]);
    expect(await world.deps.moves!.list(sub.id)).toEqual(
      expect.arrayContaining([
        { pair: 'spx-gold', pct: 5, days: 5 },
        { pair: 'qqq-gold', pct: 10, days: 21 },
      ]),
    );
    const range = await move(
      [
        { name: 'pair', type: STRING, value: 'spx' },
        { name: 'percent', type: STRING, value: '5' },
        { name: 'days', type: STRING, value: '一兩週' },
      ],
      'zh-TW',
    );
    expect(range.split('\n')[0]).toBe('"一兩週" is a range, not one length: give a single number, e.g. 1w or 2w.');
    expect(await world.deps.moves!.list(sub.id)).toHaveLength(2);
  });

  it('GIVEN the registered commands THEN /move’s percent is a string option too, described with the forms it takes', () => {
    const registered = (fake.commands.get('global') ?? []) as { name: string; options: Record<string, unknown>[] }[];
    const percent = registered.find((c) => c.name === 'move')!.options.find((o) => o.name === 'percent')!;
    expect(percent).toMatchObject({ type: STRING, min_length: 1, max_length: 20, description: t('en', 'chat.arg.move.percent') });
    expect(t('en', 'chat.arg.move.percent')).toContain('10%');
  });

  it.each([
    ['10%', '半年', 'zh-TW', 10, 126, '半年以 126 個交易日計算（每年 252 個交易日）。'],
    ['百分之十', '1.5y', 'en', 10, 378, '1.5 years read as 378 trading days (252 a year).'],
    ['7,5', '一年半', 'zh-CN', 7.5, 378, '1.5 年按 378 个交易日计算（每年 252 个交易日）。'],
    ['1成', '20', 'en', 10, 20, ''],
    ['兩成半', '4週', 'zh-TW', 25, 20, '4 週以 20 個交易日計算（每週 5 個交易日）。'],
    // A number in words, and a few (3) said back.
    ['ten percent', 'a few weeks', 'zh-CN', 10, 15, '“a few”按 3 计算。'],
    // 幾 (几) is Chinese for a few: 3, the reply naming the character typed.
    ['10%', '幾週', 'zh-TW', 10, 15, '「幾」以 3 計算。'],
    ['10%', '几个月', 'zh-CN', 10, 63, '“几”按 3 计算。'],
    ['five per cent', 'a couple of weeks', 'en', 5, 10, '2 weeks read as 10 trading days (5 a week).'],
  ])('GIVEN percent:%s days:%s (%s) THEN read as Telegram reads them', async (percent, days, lang, pct, n, said) => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true, lang: lang as 'en' }))!;
    const reply = await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: percent },
      { name: 'days', type: STRING, value: days },
    ]);
    expect(reply).toContain(said);
    expect(await world.deps.moves!.list(sub.id)).toEqual([{ pair: 'spx-gold', pct, days: n }]);
  });

  it.each([['0.5'], ['101%'], ['lots'], ['a few percent']])('GIVEN percent:%s THEN refused with Telegram’s /move line for it, and nothing set', async (bad) => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true }))!;
    const said = await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: bad },
      { name: 'days', type: STRING, value: '20' },
    ]);
    const telegram = plainText(await findCommand('move')!.run(world.deps, chatCtx(), ['spx', bad, '20']));
    const first = telegram.split('\n')[0]!;
    expect(first).toMatch(/percent|Percent/);
    expect(said.split('\n')[0]).toBe(mentioned(fake, first));
    expect(await world.deps.moves!.list(sub.id)).toEqual([]);
  });

  it.each([['abc'], ['0'], ['61 months'], ['20%']])('GIVEN days:%s THEN refused with Telegram’s /move line for it, and nothing set', async (bad) => {
    const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true }))!;
    const said = await move([
      { name: 'pair', type: STRING, value: 'spx' },
      { name: 'percent', type: STRING, value: '5' },
      { name: 'days', type: STRING, value: bad },
    ]);
    const telegram = plainText(await findCommand('move')!.run(world.deps, chatCtx(), ['spx', '5', ...bad.split(' ')]));
    const first = telegram.split('\n')[0]!;
    expect(first).not.toBe('');
    expect(said.split('\n')[0]).toBe(mentioned(fake, first));
    expect(await world.deps.moves!.list(sub.id)).toEqual([]);
  });

  it.each([
    // 好幾/好几 (quite a few) and several are no count; a few (幾個月) is read as 3, above.
    ['zh-TW', '好幾個月', '天數必須是 1 到 1,260 之間的整數（交易日），例如 20，也可寫週、月、年，例如 4週、3個月、1年；您輸入的是「好幾個月」。'],
    // 十几天 is a range (11 to 19 days) and gets the one-number line, as 两三天 does.
    ['zh-CN', '好几天', '天数必须是 1 到 1,260 之间的整数（交易日），例如 20，也可写周、月、年，例如 4周、3个月、1年；您输入的是“好几天”。'],
    [
      'en',
      'several months',
      'Days must be a whole number of trading days from 1 to 1,260, like 20, or weeks, months or years, like 4w, 3m or 1y; got "several months".',
    ],
  ])(
    'GIVEN a %s chat typing days:%s, a span it does not read THEN the refusal names the weeks, months and years it does, as the option’s description does',
    async (lang, typed, line) => {
      const sub = (await world.deps.subs.upsert('discord', CHANNEL, { active: true, lang: lang as 'en' }))!;
      const said = await move(
        [
          { name: 'pair', type: STRING, value: 'spx' },
          { name: 'percent', type: STRING, value: '5' },
          { name: 'days', type: STRING, value: typed },
        ],
        lang === 'en' ? 'en-US' : lang,
      );
      expect(said.split('\n')[0]).toBe(mentioned(fake, line));
      expect(await world.deps.moves!.list(sub.id)).toEqual([]);
    },
  );

  it('GIVEN nothing typed in days THEN a week, a month, a quarter and a year (1y, 1年) are suggested, named with their trading days', async () => {
    expect(await suggested('')).toEqual([
      { name: '5 trading days', value: '5' },
      { name: '21 trading days', value: '21' },
      { name: '63 trading days', value: '63' },
      { name: '1y: 252 trading days', value: '1y' },
    ]);
    expect(await suggested('', 'zh-CN')).toEqual([
      { name: '5 个交易日', value: '5' },
      { name: '21 个交易日', value: '21' },
      { name: '63 个交易日', value: '63' },
      { name: '1年：252 个交易日', value: '1年' },
    ]);
  });

  it('GIVEN 4w, 2 and 4週 typed THEN what was typed comes first with what it is read as, then the usual spans it begins; nonsense gets none', async () => {
    expect(await suggested('4w')).toEqual([{ name: '4w: 20 trading days', value: '4w' }]);
    expect(await suggested('2')).toEqual([
      { name: '2 trading days', value: '2' },
      { name: '21 trading days', value: '21' },
    ]);
    expect(await suggested('4週', 'zh-TW')).toEqual([{ name: '4週：20 個交易日', value: '4週' }]);
    expect(await suggested('1', 'zh-TW')).toEqual([
      { name: '1 個交易日', value: '1' },
      { name: '1年：252 個交易日', value: '1年' },
    ]);
    expect(await suggested('abc')).toEqual([]);
  });
});
