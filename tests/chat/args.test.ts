/**
 * Arguments as data: the parser table runs through the commands' declarations (Telegram words and
 * Discord named values give the same result), the usage lines derived from them, and the Discord
 * slash-command definitions checked against Discord's limits.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { bindWords, parseArgs, parseWords, usageLine, type ArgSpec, type ArgValues } from '../../src/chat/args.ts';
import { CHAT_COMMANDS, commandsOn, findCommand } from '../../src/chat/registry.ts';
import { discordCommandDefinitions, DISCORD_OPTION, MANAGE_CHANNELS } from '../../src/platforms/discord/manifest.ts';
import { LANG_INFO, LANGS, t } from '../../src/domain/i18n/index.ts';
import { PLATFORMS } from '../../src/domain/platform.ts';
import { CHART_RANGES } from '../../src/domain/chart-request.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatMessage } from '../../src/chat/parse.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';

const C = { today: '2026-11-21', platform: 'telegram' } as const;
const D = { today: '2026-11-21', platform: 'discord' } as const;
const specsOf = (name: string): readonly ArgSpec[] => findCommand(name)!.args;
/** A result as comparable data: the parsed arguments, or the error key ('usage' for a bare usage error). */
const outcome = (r: ReturnType<typeof parseArgs>): unknown => (r.ok ? r.value : (r.error?.key ?? 'usage'));
/** Levels as short text: the essay's by id, one's own as pair@value. */
const levelsOf = (r: ReturnType<typeof parseArgs>): unknown =>
  r.ok
    ? `levels: ${(r.value.levels as { kind: string; level?: { id: string }; pair?: string; value?: number }[]).map((l) => (l.kind === 'essay' ? l.level!.id : `${l.pair}@${l.value}`)).join(' ')}`
    : r.error?.key;

describe('the parser table, through the declarations', () => {
  test.each<[string, string[], unknown]>([
    ['ratio', [], {}],
    ['ratio', ['QQQ'], { pair: 'qqq-gold' }],
    ['ratio', ['dow'], 'chat.err.pair'],
    // Both named where none means both: both, as `all` (it was a word too many).
    ['ratio', ['spx', 'qqq'], {}],
    // `all` where a pair filters: every pair, as leaving it out; not where one pair is needed.
    ['ratio', ['all'], {}],
    ['history', ['全部'], {}],
    ['unsubscribe', ['all'], { pairs: ['spx-gold', 'qqq-gold'] }],
    ['subscribe', ['spx', 'both'], { pairs: ['spx-gold', 'qqq-gold'] }],
    ['move', ['add', 'all', '10', '20'], 'chat.err.pair'],
    ['chart', [], {}],
    ['chart', ['power', '5y'], { chart: 'power', range: '5Y' }],
    // A span no range names is a window from that far back.
    ['chart', ['spx', '2Y'], { chart: 'spx-gold', from: '2024-11-21' }],
    ['chart', ['spx', '2x'], 'chat.err.range'],
    ['chart', ['btc'], 'chat.err.chartTarget'],
    // After a range, a word that is no date at all is a word too many (it was "A date is a day…, got 🚀"); a mistyped date stays one.
    ['chart', ['spx', '1Y', 'x'], 'chat.err.extra'],
    // An emoji after a value is no part of it, as Telegram's words drop it (`/chart spx 1y 🚀🚀`) and a Discord option's value does.
    ['chart', ['spx', '5y', '🚀'], { chart: 'spx-gold', range: '5Y' }],
    ['chart', ['spx', '5y', '2O2O'], 'chat.err.date'],
    ['power', ['2020', 'x'], 'chat.err.extra'],
    ['power', ['x'], 'chat.err.date'],
    // A word an optional argument is not, but a later one is, leaves the first out.
    ['chart', ['5y'], { range: '5Y' }],
    // Arguments given out of their order, where each word fits one argument only: read as meant.
    ['chart', ['5y', 'spx'], { chart: 'spx-gold', range: '5Y' }],
    ['chart', ['1y', 'qqq'], { chart: 'qqq-gold', range: '1Y' }],
    ['chart', ['last', '5', 'years', 'power'], { chart: 'power', range: '5Y' }],
    ['chart', ['2007', '2009', 'qqq'], { chart: 'qqq-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['5y', 'spx', 'qqq'], 'chat.err.oneChart'],
    // A word too many after a valid window is that word, not an unknown range (it was "Unknown range "2007"").
    ['chart', ['spx', '2007', '2009', 'extra'], 'chat.err.extra'],
    ['chart', ['qqq', '2007', 'to', '2009', 'now'], 'chat.err.extra'],
    ['chart', ['spx', '2007-2009', 'extra'], 'chat.err.extra'],
    ['chart', ['2007', '2009', 'qqq', 'extra'], 'chat.err.extra'],
    // A second pair to /chart, which draws one, is refused as that (it was a word too many).
    ['chart', ['spx', 'qqq'], 'chat.err.oneChart'],
    ['chart', ['spx', '5y', 'qqq'], 'chat.err.oneChart'],
    // A second value of an argument given already is a word too many, not a bad value of the next one.
    ['chart', ['spx', '5y', 'power'], 'chat.err.extra'],
    ['levels', ['qqq', 'x'], 'chat.err.extra'],
    // A range first and a span said in words after it: two ranges (it was "Unknown chart 1y").
    ['chart', ['1y', 'last', '5', 'years'], 'chat.err.twoRanges'],
    // Two ranges (a span back after a range is one too): pick one, not "a range or dates".
    ['chart', ['spx', '1y', '5y'], 'chat.err.twoRanges'],
    ['chart', ['spx', '1y', '2y'], 'chat.err.twoRanges'],
    ['chart', ['spx', '1y', 'last', '5', 'years'], 'chat.err.twoRanges'],
    ['chart', ['spx', '5y', 'since', '2020'], { chart: 'spx-gold', range: '5Y', from: '2020-01-01' }],
    // Days instead of a range: a year from its first day, a year as the end to its last.
    ['chart', ['spx', '2007', '2009'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['2008'], { from: '2008-01-01' }],
    ['chart', ['qqq', '2020-03'], { chart: 'qqq-gold', from: '2020-03-01' }],
    ['chart', ['qqq', '2020-03-05'], { chart: 'qqq-gold', from: '2020-03-05' }],
    // A window as people type one: joined by a dash, a tilde, 至 or to, in one word or three.
    ['chart', ['spx', '2007-2009'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['spx', '2007~2009'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['spx', '2007年至2009年'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['spx', '2007', '-', '2009'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['spx', '2007', 'to', '2009'], { chart: 'spx-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', ['spx', '2019-03-2020-05'], { chart: 'spx-gold', from: '2019-03-01', to: '2020-05-31' }],
    ['power', ['2011-09-06-2020-01-02'], { base: '2011-09-06', to: '2020-01-02' }],
    ['power', ['2011', '至', '2020'], { base: '2011-01-01', to: '2020-12-31' }],
    ['power', ['2011', '-'], 'chat.err.date'],
    // A date refused for its value is still that date, refused as one: never an unknown range.
    ['chart', ['spx', '2030'], 'chat.err.dateFuture'],
    ['chart', ['spx', '2027'], 'chat.err.dateFuture'],
    ['chart', ['2030'], 'chat.err.dateFuture'],
    ['chart', ['标普', '2030'], 'chat.err.dateFuture'],
    ['chart', ['qqq', 'since', '2099'], 'chat.err.dateFuture'],
    ['chart', ['spx', '2020-02-30'], 'chat.err.noSuchDate'],
    ['chart', ['spx', '2007-2030'], 'chat.err.dateFuture'],
    ['chart', ['spx', '2007', '-', '2030'], 'chat.err.dateFuture'],
    // A list's commas: `2.5, 0.6`, `spx、qqq` (a comma inside a number is a decimal one).
    ['subscribe', ['spx', '2.5,', '0.6', '1,8'], 'levels: spx-gold-2.5 spx-gold-0.6-0.7 spx-gold@1.8'],
    ['subscribe', ['spx、qqq'], { pairs: ['spx-gold', 'qqq-gold'] }],
    // Values typed with a space inside.
    ['mute', ['2', 'hours'], { duration: { months: 0, ms: 7_200_000 } }],
    ['mute', ['1h', '30m'], { duration: { months: 0, ms: 5_400_000 } }],
    ['mute', ['1', 'hour', '30', 'minutes'], { duration: { months: 0, ms: 5_400_000 } }],
    ['mute', ['1y'], { duration: { months: 0, ms: 365 * 86_400_000 } }],
    ['mute', ['3', 'months'], { duration: { months: 3, ms: 0 } }],
    ['mute', ['1', '個月', '2', '週'], { duration: { months: 1, ms: 14 * 86_400_000 } }],
    ['move', ['spx', '10', '%', '20', 'trading', 'days'], { pair: 'spx-gold', percent: 10, days: { days: 20 } }],
    // A span as people say one: a range when it is one, else a span back (today is 2026-11-21).
    ['chart', ['spx', 'last', '5', 'years'], { chart: 'spx-gold', range: '5Y' }],
    ['chart', ['spx', 'past', 'year'], { chart: 'spx-gold', range: '1Y' }],
    ['chart', ['spx', '過去一年'], { chart: 'spx-gold', range: '1Y' }],
    ['chart', ['spx', '最近三個月'], { chart: 'spx-gold', range: '3M' }],
    ['chart', ['spx', '6', 'months'], { chart: 'spx-gold', range: '6M' }],
    ['chart', ['spx', 'last', '2', 'years'], { chart: 'spx-gold', from: '2024-11-21' }],
    ['chart', ['spx', '過去兩年'], { chart: 'spx-gold', from: '2024-11-21' }],
    // A start as people write one.
    ['chart', ['spx', 'since', '2020'], { chart: 'spx-gold', from: '2020-01-01' }],
    ['chart', ['spx', '2020年以來'], { chart: 'spx-gold', from: '2020-01-01' }],
    ['chart', ['spx', 'from', '2020', 'to', '2022'], { chart: 'spx-gold', from: '2020-01-01', to: '2022-12-31' }],
    ['power', ['自2011年'], { base: '2011-01-01' }],
    // Two numbers in a row are two values, never one: 1 0y is no 10Y.
    ['chart', ['spx', '1', '0y'], 'chat.err.range'],
    // …and never 52%, never a 100% move.
    ['move', ['spx', '5', '2'], { pair: 'spx-gold', percent: 5, days: { days: 2 } }],
    ['move', ['spx', '10%', 'over', '4', 'weeks'], { pair: 'spx-gold', percent: 10, days: { days: 20, typed: { count: 4, unit: 'week' } } }],
    ['move', ['spx', '10%', 'in', '20', 'days'], { pair: 'spx-gold', percent: 10, days: { days: 20 } }],
    ['move', ['spx', '10', '0'], 'chat.err.moveDays'],
    // (The first word, a count without its unit, is what is wrong, as `1` is no range above.)
    ['mute', ['1', '5h'], 'chat.err.duration'],
    // Words left over after one the command refused: the refused one is named, the first wrong word
    // (it was '"--" is more than this command takes' for /chart '; DROP TABLE subscriptions;--).
    ['chart', ["';", 'DROP', 'TABLE', 'subscriptions;--'], 'chat.err.chartTarget'],
    ['move', ['add', "';", 'DROP', 'TABLE', 'subscriptions;--'], 'chat.err.pair'],
    ['digest', ['8.30'], { time: '08:30' }],
    // Full-width digits, full stops, commas, signs and dashes (a Chinese keyboard) read as their half-width forms.
    ['mylevels', ['add', 'spx', '１.８'], { action: 'add', pair: 'spx-gold', value: 1.8 }],
    ['mylevels', ['add', 'spx', '１．８'], { action: 'add', pair: 'spx-gold', value: 1.8 }],
    ['mylevels', ['add', 'spx', '１，８'], { action: 'add', pair: 'spx-gold', value: 1.8 }],
    ['subscribe', ['spx', '２．５，０．６', '１．８'], 'levels: spx-gold-2.5 spx-gold-0.6-0.7 spx-gold@1.8'],
    ['subscribe', ['spx', '０．６－０．７', 'spx-gold-５．５'], 'levels: spx-gold-0.6-0.7 spx-gold-5.5'],
    ['move', ['spx', '１０％', '２０'], { pair: 'spx-gold', percent: 10, days: { days: 20 } }],
    ['move', ['spx', '７，５', '２０天'], { pair: 'spx-gold', percent: 7.5, days: { days: 20 } }],
    ['digest', ['８．３０'], { time: '08:30' }],
    ['digest', ['８ｐｍ'], { time: '20:00' }],
    ['quiet', ['２３：００－０７：００'], { hours: { start: '23:00', end: '07:00' } }],
    ['quiet', ['２３：００', '－', '０７：００'], { hours: { start: '23:00', end: '07:00' } }],
    ['mute', ['１，５h'], { duration: { months: 0, ms: 5_400_000 } }],
    ['power', ['２０１１－２０２０'], { base: '2011-01-01', to: '2020-12-31' }],
    ['move', ['add', 'spx', '150', '20'], 'chat.err.movePct'],
    ['digest', ['Asia/Taipei'], { timezone: 'Asia/Taipei' }],
    ['mylevels', ['spx', '1.8'], { pair: 'spx-gold', value: 1.8 }],
    ['power', ['1999-03-10'], { base: '1999-03-10' }],
    ['power', ['2027-01-01'], 'chat.err.dateFuture'],
    ['power', ['10/03/1999'], 'chat.err.dateOrder'],
    ['power', ['27/12/2021'], { base: '2021-12-27' }],
    ['power', ['1999-02-30'], 'chat.err.noSuchDate'],
    ['power', ['2023-13-01'], 'chat.err.noSuchDate'],
    ['history', ['qqq'], { pair: 'qqq-gold' }],
    ['levels', ['x'], 'chat.err.pair'],
    ['levels', ['qqq'], { pair: 'qqq-gold' }],
    ['levels', ['qqq', 'x'], 'chat.err.extra'],
    ['status', [], {}],
    ['mute', ['2h'], { duration: { months: 0, ms: 7_200_000 } }],
    ['mute', [], 'usage'],
    ['mute', ['1h', '2h'], 'chat.err.extra'],
    ['mute', ['whenever'], 'chat.err.duration'],
    ['mute', ['forever'], 'chat.err.muteForever'],
    ['lang', ['zh'], { language: 'zh-TW' }],
    ['lang', ['fr'], 'chat.err.lang'],
    ['mylevels', [], {}],
    ['mylevels', ['add', 'qqq', '0,2'], { action: 'add', pair: 'qqq-gold', value: 0.2 }],
    ['mylevels', ['add', 'spx'], 'chat.err.missing'],
    ['mylevels', ['add', 'spx', '1.8'], { action: 'add', pair: 'spx-gold', value: 1.8 }],
    ['mylevels', ['drop', 'spx', '1.8'], 'chat.err.choice'],
    ['mylevels', ['add', 'spx', '4500'], 'chat.err.levelRange'],
    ['mylevels', ['add', 'spx', '1.8', 'extra'], 'chat.err.extra'],
    ['subscribe', ['dow'], 'chat.err.pairOrLevel'],
    ['subscribe', ['1.8'], 'chat.err.levelAmbiguous'],
    ['subscribe', ['spx', 'qqq-gold-0.25'], 'chat.err.levelPair'],
  ])('GIVEN /%s %j THEN %j', (name, words, expected) => {
    const r = parseWords(specsOf(name), words, C);
    expect(typeof expected === 'string' && expected.startsWith('levels:') ? levelsOf(r) : outcome(r)).toEqual(expected);
  });

  test("GIVEN words left over THEN the refusal names them, cut to one short line; choices are listed the language's way", () => {
    expect(parseWords(specsOf('history'), ['spx', 'dark', 'theme'], C)).toEqual({
      ok: false,
      error: { key: 'chat.err.extra', params: { input: 'dark theme' } },
    });
    // A verb left out, and a word too many after the rest: the word too many is what is wrong.
    expect(parseWords(specsOf('mylevels'), ['spx', '1.8', '3'], C)).toEqual({ ok: false, error: { key: 'chat.err.extra', params: { input: '3' } } });
    expect(outcome(parseWords(specsOf('move'), ['add', 'spx', '150', '20'], C))).toBe('chat.err.movePct');
    // Both ranges named as typed, in every language.
    const two = parseWords(specsOf('chart'), ['1y', 'last', '5', 'years'], C);
    expect(two.ok ? [] : (['en', 'zh-TW', 'zh-CN'] as const).map((l) => chatMessage(l, two.error!))).toEqual([
      'Two ranges given, "1y" and "last 5 years": pick one.',
      '您給了兩個區間「1y」與「last 5 years」：請擇一。',
      '您给了两个区间“1y”和“last 5 years”：请选其一。',
    ]);
    // The word too many after a window is named, not the window's start, in every language.
    const extra = parseWords(specsOf('chart'), ['spx', '2007', '2009', 'extra'], C);
    expect(extra.ok ? [] : (['en', 'zh-TW', 'zh-CN'] as const).map((l) => chatMessage(l, extra.error!))).toEqual([
      '"extra" is more than this command takes.',
      '此指令用不到「extra」。',
      '此命令用不到“extra”。',
    ]);
    expect(parseWords(specsOf('chart'), ['qqq', '2007', 'to', '2009', 'now'], C)).toEqual({
      ok: false,
      error: { key: 'chat.err.extra', params: { input: 'now' } },
    });
    const long = parseWords(specsOf('ratio'), ['spx', 'x'.repeat(500)], C);
    expect(long.ok ? '' : chatMessage('en', long.error!)).toMatch(/^"x{39}…" is more than this command takes\.$/);
    const lang = parseWords(specsOf('lang'), ['xx'], C);
    expect(lang.ok ? '' : chatMessage('zh-CN', lang.error!)).toBe('无法识别语言“xx”：请使用 en、zh-TW、zh-CN。');
    expect(lang.ok ? '' : chatMessage('en', lang.error!)).toBe('Unknown language "xx": use en, zh-TW, zh-CN.');
  });

  test('GIVEN /subscribe spx 2.5 1.8 THEN leading pairs, then levels read against those pairs', () => {
    const r = parseWords(specsOf('subscribe'), ['spx', '2.5', '1.8'], C);
    expect(r.ok).toBe(true);
    const v = r.ok ? r.value : {};
    expect(v.pairs).toEqual(['spx-gold']);
    expect((v.levels as { kind: string; level?: { id: string }; value?: number }[]).map((l) => (l.kind === 'essay' ? l.level?.id : l.value))).toEqual([
      'spx-gold-2.5',
      1.8,
    ]);
    expect(bindWords(specsOf('subscribe'), ['spx', 'qqq', '0.25'], C)).toEqual({ ok: true, value: { pairs: 'spx qqq', levels: '0.25' } });
  });

  test.each<[string, ArgValues, string[]]>([
    ['subscribe', { pairs: 'spx', levels: '2.5 1.8' }, ['spx', '2.5', '1.8']],
    ['mylevels', { action: 'add', pair: 'qqq', value: 0.2 }, ['add', 'qqq', '0.2']],
    ['mute', { duration: 'forever' }, ['forever']],
    ['power', { base: '2027-01-01' }, ['2027-01-01']],
    ['chart', { range: '5y' }, ['spx', '5y']],
  ])('GIVEN Discord options for /%s %j THEN the same validation as Telegram words', (name, values, words) => {
    const named = outcome(parseArgs(specsOf(name), values, D));
    const typed = outcome(parseWords(specsOf(name), words, C));
    if (name === 'chart') expect(named).toEqual({ range: '5Y' });
    else expect(named).toEqual(typed);
  });

  test.each<[string, ArgValues, unknown]>([
    ['chart', { chart: 'qqq', from: '2007 2009' }, { chart: 'qqq-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', { chart: 'qqq', from: '2007-2009' }, { chart: 'qqq-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', { chart: 'qqq', from: '2007 to 2009' }, { chart: 'qqq-gold', from: '2007-01-01', to: '2009-12-31' }],
    ['chart', { from: '2019-03-2020-05' }, { from: '2019-03-01', to: '2020-05-31' }],
    ['power', { base: '2011 2020' }, { base: '2011-01-01', to: '2020-12-31' }],
    // A month, a day or a start as people write one stays one date.
    ['chart', { from: '2020-03' }, { from: '2020-03-01' }],
    ['chart', { from: 'since 2020' }, { from: '2020-01-01' }],
    ['chart', { from: '2020-02-30' }, 'chat.err.noSuchDate'],
    // The window's own refusals, and an end given twice.
    ['chart', { from: '2007-2030' }, 'chat.err.dateFuture'],
    ['chart', { chart: 'qqq', from: '2007-2009', to: '2010' }, 'chat.err.windowAndEnd'],
    ['power', { base: '2011 2020', to: '2021' }, 'chat.err.windowAndEnd'],
  ])("GIVEN Discord's /%s %j (a window in the start's option) THEN %j", (name, values, expected) => {
    expect(outcome(parseArgs(specsOf(name), values, D))).toEqual(expected);
  });

  test('GIVEN an option the command does not declare, or /mylevels with a pair but no action THEN a usage error', () => {
    expect(outcome(parseArgs(specsOf('ratio'), { pair: 'spx', colour: 'red' }, D))).toBe('usage');
    expect(outcome(parseArgs(specsOf('mylevels'), { pair: 'spx' }, D))).toEqual({ pair: 'spx-gold' });
  });

  test.each<[ArgSpec, string, unknown]>([
    [{ name: 'time', kind: 'time' }, '8:30', { time: '08:30' }],
    [{ name: 'time', kind: 'time' }, '25:00', 'chat.err.timeValue'],
    [{ name: 'time', kind: 'time' }, 'teatime', 'chat.err.time'],
    [{ name: 'timezone', kind: 'timezone' }, 'Asia/Taipei', { timezone: 'Asia/Taipei' }],
    [{ name: 'timezone', kind: 'timezone' }, 'Mars/Olympus', 'chat.err.timezone'],
    [{ name: 'channel', kind: 'channel' }, '123456789012345678', { channel: '123456789012345678' }],
    [{ name: 'channel', kind: 'channel' }, '#general', 'chat.err.channel'],
    [{ name: 'role', kind: 'role' }, '500000000000000001', { role: '500000000000000001' }],
    [{ name: 'role', kind: 'role' }, '@everyone', 'chat.err.role'],
  ])('GIVEN the kind of %j and %j THEN %j', (spec, input, expected) => {
    expect(outcome(parseArgs([spec], { [spec.name]: input }, D))).toEqual(expected);
  });

  test('GIVEN an argument only Discord has THEN Telegram neither binds nor shows it', () => {
    const specs: ArgSpec[] = [
      { name: 'pairs', kind: 'pair', many: true },
      { name: 'channel', kind: 'channel', platforms: ['discord'] },
    ];
    expect(usageLine('subscribe', specs, 'en', 'telegram')).toBe('/subscribe [spx|qqq]');
    expect(usageLine('subscribe', specs, 'en', 'discord')).toBe('/subscribe [pairs:SPX/Gold|QQQ/Gold] [channel:the channel for the alerts; default this one]');
    // On Telegram the pairs are the last argument and take every word: 123 is read as a pair.
    expect(outcome(parseWords(specs, ['spx', '123'], C))).toBe('chat.err.pair');
  });
});

describe('usage lines from the declarations', () => {
  test.each(['zh-TW', 'zh-CN'] as const)(
    'GIVEN a %s chat on Telegram THEN /chart lists the ranges by their names, as Discord shows them, and each name typed is that range',
    (lang) => {
      const chart = findCommand('chart')!;
      const line = usageLine('chart', chart.args, lang, 'telegram');
      const names = CHART_RANGES.map((r) => t(lang, `chart.range.short.${r}`));
      expect(line).toContain(`[${names.join('|')}]`);
      expect(line).not.toMatch(/\b(1M|YTD|MAX)\b/);
      for (const [i, name] of names.entries())
        expect(parseWords(chart.args, ['spx', name], C)).toMatchObject({ ok: true, value: { chart: 'spx-gold', range: CHART_RANGES[i] } });
    },
  );

  test.each(['zh-TW', 'zh-CN'] as const)(
    'GIVEN a %s chat THEN /mute lists durations and an end in its words (it listed 30m|2h|1d|1w), and each is read as the English one',
    (lang) => {
      const mute = findCommand('mute')!;
      const names = t(lang, 'chat.arghint.duration').split('|');
      expect(usageLine('mute', mute.args, lang, 'telegram')).toBe(`/mute <${names.join('|')}>`);
      expect(names.map((n) => parseWords(mute.args, [n], C))).toEqual(
        ['30m', '2h', '1d', '1w', 'until monday'].map((n) => parseWords(mute.args, n.split(' '), C)),
      );
    },
  );

  test('GIVEN every command THEN its usage line in English and Traditional Chinese', () => {
    const lines = Object.fromEntries(CHAT_COMMANDS.map((c) => [c.name, [usageLine(c.name, c.args, 'en'), usageLine(c.name, c.args, 'zh-TW')]]));
    expect(lines).toEqual({
      start: ['/start', '/start'],
      help: ['/help [command, e.g. digest]', '/help [指令，例如 digest]'],
      ratio: ['/ratio [spx|qqq]', '/ratio [spx|qqq]'],
      chart: [
        '/chart [spx|qqq|power] [1M|3M|6M|YTD|1Y|5Y|10Y|MAX] [or from: a date, month or year] [to: a date, month or year]',
        '/chart [spx|qqq|power] [1個月|3個月|6個月|今年|1年|5年|10年|全部] [或起始日：日期、月份或年份] [結束日：日期、月份或年份]',
      ],
      power: [
        '/power [base: a date, month, year or 5y; default 1999-03-10] [end: a date, month or year]',
        '/power [基準：日期、月份、年份或 5y，預設 1999-03-10] [結束：日期、月份或年份]',
      ],
      levels: ['/levels [spx|qqq]', '/levels [spx|qqq]'],
      history: ['/history [spx|qqq]', '/history [spx|qqq]'],
      status: ['/status', '/status'],
      subscribe: ['/subscribe [spx|qqq] [levels, e.g. 2.5 0.25 spx-gold-0.6-0.7]', '/subscribe [spx|qqq] [水位，例如 2.5 0.25 spx-gold-0.6-0.7]'],
      unsubscribe: ['/unsubscribe [spx|qqq] [levels, e.g. 2.5 1.8]', '/unsubscribe [spx|qqq] [水位，例如 2.5 1.8]'],
      mylevels: ['/mylevels [add|remove <spx|qqq> <value, e.g. 1.8>]', '/mylevels [add|remove <spx|qqq> <數值，例如 1.8>]'],
      mute: ['/mute <30m|2h|1d|1w|until monday>', '/mute <30分鐘|2小時|1天|1週|到週一>'],
      unmute: ['/unmute', '/unmute'],
      lang: ['/lang [en|zh-TW|zh-CN]', '/lang [en|zh-TW|zh-CN]'],
      digest: ['/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]', '/digest [HH:MM|off|now] [時區，例如 Asia/Taipei]'],
      quiet: ['/quiet [HH:MM-HH:MM|off] [timezone, e.g. Asia/Taipei]', '/quiet [HH:MM-HH:MM|off] [時區，例如 Asia/Taipei]'],
      move: [
        '/move [add|remove <spx|qqq> <percent, e.g. 10> <trading days, e.g. 20, 4w or 1y>]',
        '/move [add|remove <spx|qqq> <百分比，例如 10> <交易日數，例如 20、4週或1年>]',
      ],
    });
  });

  test.each(PLATFORMS)(
    'GIVEN every command in every language on %s THEN each argument of its usage line says what it takes: its choices, or its name and a description (no bare [to], [timezone], [channel])',
    (platform) => {
      const bare: string[] = [];
      for (const lang of LANGS)
        for (const c of CHAT_COMMANDS) {
          const line = usageLine(c.name, c.args, lang, platform);
          // Each argument as the line shows it: the text after each [ or < up to the next bracket;
          // a required named option unbracketed (Discord's ` duration:…`) is what is left after the command.
          const shown = [...line.matchAll(/[[<]([^[\]<>]+)/g)].map((m) => m[1]!.trim());
          const rest = line
            .replace(/\[.*\]|<.*>/g, '')
            .split(' ')
            .slice(1)
            .join(' ')
            .trim();
          if (rest !== '') shown.push(rest);
          const shownArgs = c.args.filter((a) => a.platforms === undefined || a.platforms.includes(platform));
          expect(shown.length, `${lang} ${line}`).toBe(shownArgs.length);
          const sep = [t(lang, 'chat.arglabel.sep'), t(lang, 'chat.arglabel.sepExample'), ':'];
          // Choices (spx|qqq), or a name followed by what to put in (`to: a date…`, `時區，例如 …`, Discord's `to:a date…`).
          for (const a of shown)
            if (!a.includes('|') && !sep.some((x) => a.indexOf(x) > 0 && a.length > a.indexOf(x) + x.length))
              bare.push(`${lang} /${c.name}: [${a}] in ${line}`);
        }
      expect(bare).toEqual([]);
    },
  );

  test("GIVEN Discord THEN each usage line names the options as Discord's form shows them (name:what to put in), in the chat's language", () => {
    const on = (lang: 'en' | 'zh-TW') => (name: string) => usageLine(name, findCommand(name)!.args, lang, 'discord');
    expect(['chart', 'power', 'subscribe', 'mylevels', 'mute', 'digest'].map(on('en'))).toEqual([
      '/chart [chart:SPX/Gold|QQQ/Gold|purchasing power] [range:1M|3M|6M|YTD|1Y|5Y|10Y|MAX] [from:a date, month or year, or 2007-2009] [to:a date, month or year]',
      '/power [base:a date, month, year or 5y; default 1999-03-10] [to:a date, month or year]',
      '/subscribe [pairs:SPX/Gold|QQQ/Gold] [levels:e.g. 2.5 0.25 spx-gold-0.6-0.7] [channel:the channel for the alerts; default this one] [role:a role to mention with each alert]',
      '/mylevels [action:add|remove] [pair:SPX/Gold|QQQ/Gold] [value:e.g. 1.8]',
      '/mute duration:30m|2h|1d|1w|until monday',
      '/digest [time:HH:MM|off|now] [timezone:e.g. Asia/Taipei]',
    ]);
    expect(['chart', 'mylevels', 'digest'].map(on('zh-TW'))).toEqual([
      '/圖表 [圖表:標普500/黃金|QQQ/黃金|購買力] [區間:1個月|3個月|6個月|今年|1年|5年|10年|全部] [起始日:日期、月份或年份，或 2007-2009] [結束日:日期、月份或年份]',
      '/頻道水位 [動作:新增|移除] [比率:標普500/黃金|QQQ/黃金] [數值:例如 1.8]',
      '/摘要 [時間:HH:MM|off|now] [時區:例如 Asia/Taipei]',
    ]);
  });

  test("GIVEN every command and language THEN a Discord usage line's names are the ones the slash-command definitions give", () => {
    for (const def of discordCommandDefinitions())
      for (const lang of LANGS) {
        const locale = LANG_INFO[lang].discordLocales[0];
        const named = (x: { name: string; name_localizations: Readonly<Record<string, string>> }) =>
          locale === undefined ? x.name : x.name_localizations[locale];
        const line = usageLine(def.name, findCommand(def.name)!.args, lang, 'discord');
        expect(`${line} `.startsWith(`/${named(def)} `), `${lang}: ${line}`).toBe(true);
        // Each option as the form labels it: `[name:…]`, `[name]`, or a required ` name:…`.
        for (const o of def.options) {
          const n = named(o);
          const shown = line.includes(`[${n}:`) || line.includes(`[${n}]`) || (o.required && line.includes(` ${n}:`));
          expect(shown, `${lang} ${def.name} ${n}: ${line}`).toBe(true);
        }
      }
  });
});

describe('Discord slash-command definitions', () => {
  const defs = discordCommandDefinitions();
  const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
  const validName = (s: string) => NAME.test(s) && s === s.toLowerCase();
  const validDescription = (s: string) => s.length >= 1 && s.length <= 100;

  test('GIVEN the chat commands THEN every one Discord has, /start left out, names unique', () => {
    expect(defs.map((d) => d.name)).toEqual([
      'help',
      'ratio',
      'chart',
      'power',
      'levels',
      'history',
      'status',
      'subscribe',
      'unsubscribe',
      'mylevels',
      'mute',
      'unmute',
      'lang',
      'digest',
      'quiet',
      'move',
    ]);
    expect(commandsOn('discord').map((c) => c.name)).toEqual(defs.map((d) => d.name));
  });

  test('GIVEN a date or time option THEN Discord lets through every length the parsers take (5y, 2020, 2020年12月31日; 8, 8am, 晚上9點半, 07:30 p.m.)', () => {
    const samples = {
      date: ['5y', '半年', '2020', '2020-03', '2020-03-05', '2020年12月31日', '2020年3月'],
      time: ['8', '8am', '08:30', '早上8點', '晚上9點半', '07:30 p.m.'],
    };
    const today = '2026-11-21';
    for (const d of defs)
      for (const o of d.options ?? []) {
        const spec = findCommand(d.name)!.args.find((a) => a.name === o.name)!;
        if (spec.kind !== 'date' && spec.kind !== 'time') continue;
        // A span back (5y) is a base, never an end.
        for (const input of samples[spec.kind].filter((x) => !(spec.end === true && /y$|年$/.test(x)))) {
          // Each sample is one the parser takes…
          expect(parseArgs([spec], { [spec.name]: input }, { today, platform: 'discord' }).ok, `${d.name} ${o.name} ${input}`).toBe(true);
          // …and one Discord's client lets the user send.
          expect(input.length, `/${d.name} ${o.name}:${input}`).toBeGreaterThanOrEqual(o.min_length ?? 0);
          expect(input.length, `/${d.name} ${o.name}:${input}`).toBeLessThanOrEqual(o.max_length ?? 6000);
        }
      }
  });

  test.each(discordCommandDefinitions().map((d) => [d.name, d] as const))(
    "GIVEN /%s THEN it is within Discord's limits and localized into zh-TW and zh-CN",
    (_name, d) => {
      expect(d.type).toBe(1);
      expect(validName(d.name)).toBe(true);
      expect(validDescription(d.description)).toBe(true);
      // One loop over the languages: every Discord locale of every non-English language.
      expect(Object.keys(d.name_localizations)).toEqual(['zh-TW', 'zh-CN']);
      expect(Object.keys(d.description_localizations)).toEqual(['zh-TW', 'zh-CN']);
      for (const locale of ['zh-TW', 'zh-CN']) {
        expect(validName(d.name_localizations[locale]!)).toBe(true);
        expect(d.name_localizations[locale]).not.toBe(d.name);
        expect(validDescription(d.description_localizations[locale]!)).toBe(true);
        expect(d.description_localizations[locale]).not.toBe(d.description);
      }
      expect(d.description_localizations['zh-CN']).not.toBe(d.description_localizations['zh-TW']);
      expect(d.options.length).toBeLessThanOrEqual(25);
      expect(new Set(d.options.map((o) => o.name)).size).toBe(d.options.length);
      // Required options come first.
      const firstOptional = d.options.findIndex((o) => !o.required);
      expect(d.options.slice(Math.max(0, firstOptional)).every((o) => !o.required || firstOptional === -1)).toBe(true);
      let chars = d.name.length + d.description.length;
      for (const o of d.options) {
        expect(Object.values(DISCORD_OPTION)).toContain(o.type);
        expect(validName(o.name)).toBe(true);
        expect(validName(o.name_localizations['zh-TW']!)).toBe(true);
        expect(validName(o.name_localizations['zh-CN']!)).toBe(true);
        expect(validDescription(o.description)).toBe(true);
        expect(validDescription(o.description_localizations['zh-TW']!)).toBe(true);
        expect(validDescription(o.description_localizations['zh-CN']!)).toBe(true);
        chars += o.name.length + o.description.length;
        if (o.choices !== undefined) {
          expect(o.type).toBe(DISCORD_OPTION.STRING);
          expect(o.choices.length).toBeGreaterThan(0);
          expect(o.choices.length).toBeLessThanOrEqual(25);
          for (const c of o.choices) {
            expect(c.name.length).toBeGreaterThanOrEqual(1);
            expect(c.name.length).toBeLessThanOrEqual(100);
            expect(c.value.length).toBeLessThanOrEqual(100);
            expect(c.name_localizations['zh-TW']!.length).toBeGreaterThanOrEqual(1);
            expect(c.name_localizations['zh-CN']!.length).toBeGreaterThanOrEqual(1);
            chars += c.name.length + c.value.length;
          }
        }
      }
      // Discord: name, description and option texts of one command total at most 4000 characters.
      expect(chars).toBeLessThanOrEqual(4000);
      // Hidden from ordinary members: the commands that only change settings. /mylevels lists and
      // /lang alone says the language for anyone (their changes are refused at run time), so they have no default.
      const managers = ['subscribe', 'unsubscribe', 'mute', 'unmute'];
      expect(d.default_member_permissions).toBe(managers.includes(d.name) ? MANAGE_CHANNELS : null);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    },
  );

  test('GIVEN /mylevels and /lang THEN typed options with their choices, localized', () => {
    const mylevels = defs.find((d) => d.name === 'mylevels')!;
    expect(mylevels.options.map((o) => [o.name, o.type, o.required, o.choices?.map((c) => c.value)])).toEqual([
      ['action', DISCORD_OPTION.STRING, false, ['add', 'remove']],
      ['pair', DISCORD_OPTION.STRING, false, ['spx', 'qqq']],
      ['value', DISCORD_OPTION.NUMBER, false, undefined],
    ]);
    expect(mylevels.options[0]?.choices?.map((c) => c.name_localizations['zh-TW'])).toEqual(['新增', '移除']);
    expect(mylevels.options[0]?.choices?.map((c) => c.name_localizations['zh-CN'])).toEqual(['添加', '删除']);
    const lang = defs.find((d) => d.name === 'lang')!;
    expect(lang.options).toMatchObject([
      {
        name: 'language',
        required: false,
        choices: [
          { value: 'en', name: 'English' },
          { value: 'zh-TW', name: 'Traditional Chinese', name_localizations: { 'zh-TW': '繁體中文', 'zh-CN': '繁体中文' } },
          { value: 'zh-CN', name: 'Simplified Chinese', name_localizations: { 'zh-TW': '簡體中文', 'zh-CN': '简体中文' } },
        ],
      },
    ]);
    expect(lang.default_member_permissions).toBeNull();
  });
});

describe('runNamed: Discord options run the same command', () => {
  let w: ChatWorld;
  afterEach(() => w.close());

  test('GIVEN /subscribe with options pairs=spx levels="2.5 1.8" THEN the same subscription as the words', async () => {
    w = chatWorld();
    const ctx = chatCtx({ platform: 'discord', chatId: 'c1' });
    const r = await findCommand('subscribe')!.runNamed(w.deps, ctx, { pairs: 'spx', levels: '2.5 1.8' });
    expect(r.status).toBe('ok');
    expect(await w.deps.subs.get('discord', 'c1')).toMatchObject({
      pairs: ['spx-gold'],
      levelIds: ['spx-gold-2.5'],
      customLevels: [{ pair: 'spx-gold', value: 1.8 }],
    });
  });

  test('GIVEN Discord options ending as a sentence does (20天。, 2小時吧！, an emoji) THEN read as the value, as Telegram’s last word already is', async () => {
    w = chatWorld();
    const ctx = chatCtx({ platform: 'discord', chatId: 'c1', userLanguageCode: 'zh-TW' });
    expect((await findCommand('subscribe')!.runNamed(w.deps, ctx, { pairs: 'spx' })).status).toBe('ok');
    const move = await findCommand('move')!.runNamed(w.deps, ctx, { pair: '標普', percent: '10趴', days: '20天。' });
    expect(move.status, plainText(move)).toBe('ok');
    expect((await findCommand('move')!.runNamed(w.deps, ctx, { pair: 'spx', percent: '5 🙏', days: '一季吧' })).status).toBe('ok');
    const sub = await w.deps.subs.get('discord', 'c1');
    expect(await w.deps.moves!.list(sub!.id)).toEqual(
      expect.arrayContaining([
        { pair: 'spx-gold', pct: 10, days: 20 },
        { pair: 'spx-gold', pct: 5, days: 63 },
      ]),
    );
    const mute = await findCommand('mute')!.runNamed(w.deps, { ...ctx, nowMs: Date.parse('2026-11-20T00:00:00Z') }, { duration: '2小時吧！' });
    expect(plainText(mute)).toBe('已靜音至2026年11月20日 02:00（UTC）。');
    // An emoji alone is no value: refused as typed.
    const alone = await findCommand('mute')!.runNamed(w.deps, ctx, { duration: '🙏' });
    expect(alone.status).toBe('usage');
    expect(plainText(alone)).toContain('🙏');
  });

  test("GIVEN text typed after a Discord command (it lands in one option) THEN it is read as the words after a Telegram command; words it cannot take keep the option's refusal", async () => {
    w = chatWorld();
    const ctx = chatCtx({ platform: 'discord' });
    // Discord's client must let each through: within the option's max_length.
    const limit = (command: string, option: string) =>
      discordCommandDefinitions()
        .find((d) => d.name === command)!
        .options.find((o) => o.name === option)!.max_length!;
    const typed = { digest: '07:30 p.m. America/Argentina/Buenos_Aires', power: '2011-09-06 2020-01-02' };
    expect(typed.digest.length).toBeLessThanOrEqual(limit('digest', 'time'));
    expect(typed.power.length).toBeLessThanOrEqual(limit('power', 'base'));
    const digest = await findCommand('digest')!.runNamed(w.deps, ctx, { time: typed.digest });
    expect(plainText(digest)).toMatch(/^Daily digest set for 19:30 \(Buenos Aires time\)\./);
    const quiet = await findCommand('quiet')!.runNamed(w.deps, ctx, { hours: '11 pm - 7 am Asia/Tokyo' });
    expect(plainText(quiet)).toMatch(/^Quiet hours set: 23:00-07:00 \(Japan time\)\./);
    // /power's two dates in its first option: past the parser (this world has no quotes to index).
    const power = await findCommand('power')!.runNamed(w.deps, ctx, { base: typed.power });
    expect(power.status).not.toBe('usage');
    expect(plainText(power)).toContain('2011-09-06');
    // Not words the command takes: the option's own refusal, naming what was typed.
    const bad = await findCommand('digest')!.runNamed(w.deps, ctx, { time: '08:00 Asia/Taipei extra' });
    expect(bad.status).toBe('usage');
    expect(plainText(bad)).toContain('got "08:00 Asia/Taipei extra"');
    // A window in one option.
    const chart = await findCommand('chart')!.runNamed(w.deps, ctx, { from: '2007-2009' });
    expect(chart.chart).toMatchObject({ kind: 'ratio', window: { from: '2007-01-01', to: '2009-12-31' } });
    // Two options given: each is its own, never read again as words.
    expect((await findCommand('digest')!.runNamed(w.deps, ctx, { time: '08:00 Asia/Taipei', timezone: 'Asia/Tokyo' })).status).toBe('usage');
  });

  test('GIVEN a time or a window typed with spaces inside (7:30 pm, 11 pm - 7 am) THEN one value, on Telegram too', async () => {
    w = chatWorld();
    const ctx = chatCtx({});
    const said = async (name: string, words: string[]) => plainText(await findCommand(name)!.run(w.deps, ctx, words));
    expect(await said('digest', ['7:30', 'pm', 'Asia/Taipei'])).toMatch(/^Daily digest set for 19:30 \(Taipei time\)\./);
    expect(await said('digest', ['6', 'a.m.'])).toMatch(/^Daily digest set for 06:00 /);
    expect(await said('digest', ['早上', '8點', '台北'])).toMatch(/^Daily digest set for 08:00 \(Taipei time\)\./);
    expect(await said('quiet', ['11', 'pm', 'to', '7', 'am', 'Asia/Tokyo'])).toMatch(/^Quiet hours set: 23:00-07:00 \(Japan time\)\./);
    // A zone is never taken into the time.
    expect(await said('digest', ['08:00', 'Asia/Taipei', 'pm'])).toBe(
      '"pm" is more than this command takes.\n/digest [HH:MM|off|now] [timezone, e.g. Asia/Taipei]',
    );
  });

  test('GIVEN a bad option value THEN the usage line, nothing stored; a non-admin is refused before any parsing', async () => {
    w = chatWorld();
    const before = w.dump();
    const bad = await findCommand('mute')!.runNamed(w.deps, chatCtx({ platform: 'discord' }), { duration: 'forever' });
    expect(bad.status).toBe('usage');
    // As Discord takes it: the option by name.
    expect(plainText(bad)).toContain('/mute duration:30m|2h|1d|1w|until monday');
    const ctx = chatCtx({ platform: 'discord', chatType: 'group', admin: false });
    expect((await findCommand('mute')!.runNamed(w.deps, ctx, { duration: 'forever' })).status).toBe('denied');
    expect(w.dump()).toBe(before);
  });
});

describe("Discord's pickers as declared argument kinds", () => {
  test('GIVEN /subscribe THEN its channel and role options come from its declaration, with the wire values Discord expects', () => {
    const subscribe = discordCommandDefinitions().find((d) => d.name === 'subscribe')!;
    expect(subscribe.options.map((o) => [o.name, o.type, o.channel_types, o.name_localizations['zh-TW']])).toEqual([
      ['pairs', 3, undefined, '比率'],
      ['levels', 3, undefined, '水位'],
      ['channel', 7, [0, 5], '頻道'],
      ['role', 8, undefined, '身分組'],
    ]);
    expect(MANAGE_CHANNELS).toBe('16');
    expect(subscribe.contexts).toEqual([0, 1]);
  });
});
