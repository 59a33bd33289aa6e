/**
 * Bad input to the chat commands of issue 18, one row each (the chat-side sibling of
 * bad-input.test.ts): the words a Telegram user types and the option values Discord hands over go
 * through the same validation; each gets a usage line naming what was wrong and writes nothing.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { findCommand } from '../src/chat/registry.ts';
import { plainText } from '../src/chat/reply.ts';
import type { ArgValues } from '../src/chat/args.ts';
import { chatCtx, chatWorld, type ChatWorld } from './helpers/chat.ts';

let w: ChatWorld;
beforeEach(async () => {
  w = chatWorld();
  // A subscribed chat with quiet hours and four move alerts: a bad command must leave all of it as it is.
  await findCommand('subscribe')!.run(w.deps, chatCtx(), []);
  await findCommand('quiet')!.run(w.deps, chatCtx(), ['22:00-06:00', 'Asia/Taipei']);
  for (const m of [
    ['spx', '10', '20'],
    ['spx', '5', '5'],
    ['qqq', '15', '60'],
    ['qqq', '20', '250'],
  ])
    await findCommand('move')!.run(w.deps, chatCtx(), m);
});
afterEach(() => w.close());

interface Row {
  readonly words: string;
  /** The same input as Discord option values. */
  readonly values: ArgValues;
  /** The reason shown above the usage line. */
  readonly reason: string;
  readonly usage: string;
}

const QUIET_USAGE = '/quiet [HH:MM-HH:MM|off] [timezone, e.g. Asia/Taipei]';
const MOVE_USAGE = '/move [add|remove <spx|qqq> <percent, e.g. 10> <trading days, e.g. 20, 4w or 1y>]';

const ROWS: readonly Row[] = [
  {
    words: '/quiet 25:00-7',
    values: { hours: '25:00-7' },
    reason: '"25:00" in "25:00-7" is no time of day (00:00 to 23:59): quiet hours are a start and an end, like 23:00-07:00 or 11pm-7am.',
    usage: QUIET_USAGE,
  },
  {
    words: '/quiet 07:00-07:00',
    values: { hours: '07:00-07:00' },
    reason: 'Quiet hours must start and end at different times, got "07:00-07:00".',
    usage: QUIET_USAGE,
  },
  {
    words: '/quiet 22:00-06:00 Mars/Olympus',
    values: { hours: '22:00-06:00', timezone: 'Mars/Olympus' },
    reason: 'Unknown time zone "Mars/Olympus": use a city or a zone name, like Taipei, Asia/Taipei or UTC.',
    usage: QUIET_USAGE,
  },
  {
    words: '/quiet 22:00-06:00 CST',
    values: { hours: '22:00-06:00', timezone: 'CST' },
    reason: '"CST" names several time zones (America/Chicago',
    usage: QUIET_USAGE,
  },
  { words: '/quiet 22:00-06:00 UTC extra', values: { hours: '22:00-06:00 UTC extra' }, reason: '', usage: QUIET_USAGE },
  {
    words: '/move spx 0 5',
    values: { pair: 'spx', percent: 0, days: 5 },
    reason: 'Percent must be a number from 1 to 100, like 10, got "0".',
    usage: MOVE_USAGE,
  },
  {
    words: '/move spx 500 5',
    values: { pair: 'spx', percent: 500, days: 5 },
    reason: 'Percent must be a number from 1 to 100, like 10, got "500".',
    usage: MOVE_USAGE,
  },
  {
    words: '/move spx 10 0',
    values: { pair: 'spx', percent: 10, days: 0 },
    reason: 'Days must be a whole number of trading days from 1 to 1,260, like 20, or weeks, months or years, like 4w, 3m or 1y; got "0".',
    usage: MOVE_USAGE,
  },
  {
    words: '/move spx 10 2000',
    values: { pair: 'spx', percent: 10, days: 2000 },
    reason: 'Days must be a whole number of trading days from 1 to 1,260, like 20, or weeks, months or years, like 4w, 3m or 1y; got "2000".',
    usage: MOVE_USAGE,
  },
  {
    words: '/move spx 10 2.5',
    values: { pair: 'spx', percent: 10, days: 2.5 },
    reason: 'Days must be a whole number of trading days from 1 to 1,260, like 20, or weeks, months or years, like 4w, 3m or 1y; got "2.5".',
    usage: MOVE_USAGE,
  },
  { words: '/move btc 10 5', values: { pair: 'btc', percent: 10, days: 5 }, reason: 'Unknown pair "btc": use spx or qqq.', usage: MOVE_USAGE },
  // Part of a move: what is still missing is named.
  { words: '/move spx 10', values: { pair: 'spx', percent: 10 }, reason: 'Still needed: the trading days (e.g. 20, 4w or 1y).', usage: MOVE_USAGE },
  {
    words: '/move remove spx',
    values: { action: 'remove', pair: 'spx' },
    reason: 'Still needed: the percent (e.g. 10), the trading days (e.g. 20, 4w or 1y).',
    usage: MOVE_USAGE,
  },
];

describe('GIVEN bad /quiet and /move input THEN a usage line naming what was wrong, and nothing changed', () => {
  test.each(ROWS)('$words (Telegram words)', async (row) => {
    const before = w.dump();
    const [name, ...words] = row.words.slice(1).split(' ');
    const r = await findCommand(name!)!.run(w.deps, chatCtx(), words);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain(row.reason);
    expect(plainText(r)).toContain(row.usage);
    expect(plainText(r).split('\n')).toHaveLength(2);
    expect(w.dump()).toBe(before);
  });

  test.each(ROWS.filter((r) => !r.words.endsWith('extra')))('$words (Discord option values)', async (row) => {
    const before = w.dump();
    const name = row.words.slice(1).split(' ')[0]!;
    const r = await findCommand(name)!.runNamed(w.deps, chatCtx({ platform: 'discord', chatId: '1001' }), row.values);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain(row.reason);
    expect(w.dump()).toBe(before);
  });

  test('GIVEN a fifth move alert THEN added; a sixth THEN the usage line with the limit, nothing stored', async () => {
    expect((await findCommand('move')!.run(w.deps, chatCtx(), ['spx', '7.5', '10'])).status).toBe('ok');
    const before = w.dump();
    const r = await findCommand('move')!.run(w.deps, chatCtx(), ['qqq', '7.5', '10']);
    expect(r.status).toBe('usage');
    expect(plainText(r)).toContain('A chat can have at most 5 move alerts: remove one first (/move lists them).');
    expect(plainText(r)).toContain(MOVE_USAGE);
    expect(w.dump()).toBe(before);
  });
});
