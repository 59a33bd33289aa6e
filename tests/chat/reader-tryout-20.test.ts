/**
 * A stranger's tryout in English (round 20), typed into the Telegram fake and the Discord fake,
 * answered by the real bots (their data made to Wednesday 2026-11-18, 10:00 in New York): a chart of
 * a span wholly before the history told so (not to pick a longer span inside it), the far-level note
 * of /subscribe below the summary its "Added to this chat's alerts:" introduces, and two commands in
 * one message refused as such. And what was right, kept so: /ratio, /levels and the digest's preview
 * say the same figures on both platforms, and those are the closes fed, reckoned here from the stored
 * closes themselves.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FakeUser } from '../fakes/telegram.ts';
import { type RunningBots, startBothBots, stopBothBots } from '../helpers/discord-harness.ts';
import { linesOf, readerTryout } from '../helpers/reader-tryout.ts';
import { nextAnswer } from '../helpers/telegram-harness.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';

const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');
let bots: RunningBots;

beforeAll(async () => {
  bots = await startBothBots(() => WEDNESDAY_10_NY);
});
afterAll(() => stopBothBots(bots));

const { nextChatId, telegram, discord } = readerTryout(() => bots, 20000, 920000000000000001n);

/** The first and last close of SPX/Gold the world holds: what a chart's refusal names. */
async function spxSpan(): Promise<{ first: string; last: string }> {
  const series = (await bots.world.deps.view.snapshot()).ratio('spx-gold');
  return { first: series[0]!.date, last: series.at(-1)!.date };
}

describe('a chart of a span the history does not reach', () => {
  test('GIVEN the world’s closes THEN they start in 2023 and end on 2026-11-18 (what the refusals below name)', async () => {
    expect(await spxSpan()).toEqual({ first: '2023-10-26', last: '2026-11-18' });
  });

  test('GIVEN Telegram /chart spx 2007-2009, wholly before the first close THEN said to be outside the history, not to pick a longer span inside it', async () => {
    const lines = await telegram('en', '/chart spx 2007-2009');
    expect(lines).toContain(
      'No closes for the SPX/Gold chart (2007-01-01 to 2009-12-31): its history runs from 2023-10-26 to 2026-11-18, outside that span. Pick a span inside it.',
    );
    expect(lines.join('\n')).not.toMatch(/longer span/);
  });

  test('GIVEN Discord /chart with from:2007-2009 THEN the same words', async () => {
    const lines = await discord('en', 'chart', { chart: 'qqq', from: '2007-2009' });
    expect(lines.join('\n')).toContain(
      'No closes for the QQQ/Gold chart (2007-01-01 to 2009-12-31): its history runs from 2023-10-26 to 2026-11-18, outside that span. Pick a span inside it.',
    );
  });

  test('GIVEN a Chinese reader’s span before the history THEN the same said in Chinese', async () => {
    expect((await telegram('zh-TW', '/chart spx 2007-2009')).join('\n')).toContain('不在所選期間內。請在此範圍內選擇期間。');
    expect((await telegram('zh-CN', '/chart spx 2007-2009')).join('\n')).toContain('不在所选期间内。请在此范围内选择期间。');
  });
});

describe("/subscribe's note on a level far from its pair", () => {
  test('GIVEN a subscribed chat adding 9.9 on SPX/Gold (1.697 now) THEN "Added to this chat’s alerts:" is followed by the summary, and the far note comes after it', async () => {
    const chatId = nextChatId();
    const user: FakeUser = { id: chatId, first_name: 'Ann', language_code: 'en' };
    await nextAnswer(bots.tgFake, chatId, '/subscribe', user);
    const lines = linesOf(await nextAnswer(bots.tgFake, chatId, '/subscribe spx 9.9', user));
    expect(lines).toEqual([
      "Added to this chat's alerts:",
      'Alerts for SPX/Gold, QQQ/Gold',
      "SPX/Gold: essay levels 5.5, 2.5, 0.6–0.7; this chat's level 9.9",
      'QQQ/Gold: essay levels 0.4, 0.25, 0.03',
      'Approach alerts within 3%',
      'Language: English',
      'SPX/Gold is 1.697 now: 9.9 is 5.8× that.',
      'Tap a level to switch it on or off.',
    ]);
  });
});

describe('two commands in one message', () => {
  test.each([
    ['/ratio\n/levels', '/levels', '/ratio [spx|qqq]'],
    ['/ratio spx /ratio qqq', '/ratio', '/ratio [spx|qqq]'],
    ['/levels qqq\n/history@goldratio_test_bot', '/history', '/levels [spx|qqq]'],
    // linesOf takes the tags out and reads &amp; alone: the usage's brackets stay as Telegram's HTML writes them.
    ['/mylevels add spx 1.8 /unsubscribe', '/unsubscribe', '/mylevels [add|remove &lt;spx|qqq&gt; &lt;value, e.g. 1.8&gt;]'],
  ])('GIVEN Telegram "%s" THEN refused as two commands, naming the second, with the first one’s usage', async (typed, second, usageLine) => {
    const lines = await telegram('en', typed);
    expect(lines[0]).toBe(`One command a message: send ${second} in a message of its own.`);
    expect(lines.at(-1)).toBe(usageLine);
  });

  test('GIVEN a Chinese reader’s two commands THEN the same said in Chinese', async () => {
    expect((await telegram('zh-TW', '/ratio\n/levels'))[0]).toBe('一則訊息只能有一個指令：請把 /levels 另外傳送。');
    expect((await telegram('zh-CN', '/ratio\n/levels'))[0]).toBe('一条消息只能有一个命令：请把 /levels 单独发送。');
  });

  test('GIVEN a command named where one is taken, or a slash word that is no command THEN read as before', async () => {
    expect((await telegram('en', '/help /ratio'))[0]).toBe('/ratio [spx|qqq]');
    expect((await telegram('en', '/ratio /foo'))[0]).toBe('Unknown pair "/foo": use spx or qqq.');
  });
});

describe('what a Discord reader typed, echoed', () => {
  test('GIVEN /history with its pair option typed "spx /ratio" THEN the refusal quotes it as typed, no command mention inside the quotes', async () => {
    expect((await discord('en', 'history', { pair: 'spx /ratio' }))[0]).toBe('Unknown pair "spx /ratio": use spx or qqq.');
  });
});

describe('one set of figures, the closes fed', () => {
  /** SPX/Gold at the last close, the close before, and the last close of 2025, from the stored closes alone. */
  async function fedSpx(): Promise<{ last: number; before: number; yearEnd: number }> {
    const quotes = new QuoteStore(onSqlite(bots.world.db));
    const spx = new Map((await quotes.closes('spx')).map((p) => [p.date, p.value]));
    const ratios = (await quotes.closes('gold')).filter((g) => spx.has(g.date)).map((g) => ({ date: g.date, value: spx.get(g.date)! / g.value }));
    return {
      last: ratios.at(-1)!.value,
      before: ratios.at(-2)!.value,
      yearEnd: ratios.filter((r) => r.date <= '2025-12-31').at(-1)!.value,
    };
  }
  const pct = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(Math.abs(v) < 10 ? 2 : 1)}%`;

  test('GIVEN /ratio, /levels and /digest now on Telegram and Discord THEN SPX/Gold, its 1D, its YTD and the distance to 2.5 are the closes’ own, alike in each', async () => {
    const fed = await fedSpx();
    const value = fed.last.toFixed(3);
    const oneDay = pct((fed.last / fed.before - 1) * 100);
    const ytd = pct((fed.last / fed.yearEnd - 1) * 100);
    const to25 = pct((2.5 / fed.last - 1) * 100);
    const ratio = (await telegram('en', '/ratio spx')).join('\n');
    expect(ratio).toContain(`SPX/Gold ${value} (close 2026-11-18)`);
    expect(ratio).toContain(`1D ${oneDay} · `);
    expect(ratio).toContain(` · YTD ${ytd}`);
    expect(ratio).toContain(`Next level up: 2.5 (${to25})`);
    const levels = (await telegram('en', '/levels spx')).join('\n');
    expect(levels).toContain(`SPX/Gold ${value} (close 2026-11-18)`);
    expect(levels).toContain(`2.5 QE-decade resistance, "retested and failed" per the essay · 2012–2024 QE and tech · ${to25} away`);
    const digest = (await telegram('en', '/digest now')).join('\n');
    expect(digest).toContain(`SPX/Gold ${value} · 1D ${oneDay} · `);
    expect(digest).toContain(` · YTD ${ytd}`);
    expect(digest).toContain(`↑ 2.5 (${to25})`);
    // Discord says the same, in its own marks.
    expect((await discord('en', 'ratio', { pair: 'spx' })).join('\n').replaceAll('*', '').replaceAll('`', '')).toContain(
      ratio.split('\n').slice(0, 3).join('\n'),
    );
    expect((await discord('en', 'levels', { pair: 'spx' })).join('\n').replaceAll('*', '').replaceAll('`', '')).toBe(levels);
  });
});

describe('/power from the latest close, on a day London was shut', () => {
  let w: ChatWorld;
  beforeAll(async () => {
    w = chatWorld({ seed: false });
    // Easter Monday 2025: New York open, London shut (no gold fix); the gold price is Thursday's.
    const days = ['2025-04-14', '2025-04-15', '2025-04-16', '2025-04-17', '2025-04-21'];
    await w.quotes.upsertCloses(
      'spx',
      days.map((date, i) => ({ date, close: 5400 + i, source: 'seed' })),
    );
    await w.quotes.upsertCloses(
      'qqq',
      days.map((date, i) => ({ date, close: 460 + i, source: 'seed' })),
    );
    await w.quotes.upsertCloses(
      'gold',
      days.slice(0, 4).map((date, i) => ({ date, close: 3300 + i, source: 'seed' })),
    );
    await w.quotes.upsertCloses(
      'm2',
      ['2025-02-01', '2025-03-01'].map((date) => ({ date, close: 21700, source: 'seed' })),
    );
  });
  afterAll(() => w.close());

  test('GIVEN /power 2025-04-21, its base the latest close itself THEN the older gold price is said once, not twice in two wordings', async () => {
    const lines = plainText(await findCommand('power')!.run(w.deps, chatCtx({ nowMs: Date.parse('2025-04-22T12:00:00Z') }), ['2025-04-21'])).split('\n');
    expect(lines[0]).toBe('Indexed to 100 on 2025-04-21, as of 2025-04-21:');
    expect(lines.filter((l) => l.includes('gold price of 2025-04-17'))).toEqual([
      'The figures in gold use the gold price of 2025-04-17, the latest at the close of 2025-04-21.',
    ]);
  });
});
