/**
 * One renderer per platform: a command's Reply and an outbox message (through messageReply) are
 * drawn by the same code, so a title, fields, a footer and a tone look alike in both.
 */
import { describe, expect, test } from 'vitest';
import { messageReply } from '../../src/chat/message-lines.ts';
import { withChartCard } from '../../src/chat/chart-card.ts';
import type { Reply } from '../../src/chat/reply.ts';
import { localize, type Message } from '../../src/domain/message.ts';
import { t } from '../../src/domain/i18n/index.ts';
import { DiscordNotifier } from '../../src/platforms/discord/notifier.ts';
import { COLOR, renderReply as discordReply } from '../../src/platforms/discord/render.ts';
import { renderReply as telegramReply } from '../../src/platforms/telegram/render.ts';
import { TelegramNotifier } from '../../src/platforms/telegram/notifier.ts';
import { makeWorld } from '../helpers/telegram-harness.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';

const message: Message = {
  title: 'SPX/Gold broke 2.5 <up>',
  lines: ['From 2.41 to 2.53 *today*', 'Next: 3.0'],
  fields: [{ name: 'Ratio', value: '2.53', inline: true }],
  footer: 'Source: yahoo',
  tone: 'up',
};

describe('one renderer for replies and outbox messages', () => {
  test('Discord: the outbox embed is the reply embed (title, escaped text, fields, footer, colour by tone)', () => {
    const m = localize(message, 'en');
    const sent = DiscordNotifier.body(m, undefined, 'https://cdn.example/c.png') as { embeds: unknown[] };
    const replied = discordReply(messageReply(m)).embeds[0];
    expect(sent.embeds[0]).toEqual({ ...replied, image: { url: 'https://cdn.example/c.png' } });
    expect(replied).toMatchObject({
      title: 'SPX/Gold broke 2.5 <up>',
      description: 'From 2.41 to 2.53 \\*today\\*\nNext: 3.0',
      fields: [{ name: 'Ratio', value: '2.53', inline: true }],
      footer: { text: 'Source: yahoo' },
      color: COLOR.green,
    });
  });

  test('Telegram: the outbox parts are the reply text (bold title, escaped HTML, name: value, italic footer)', () => {
    const m = localize(message, 'en');
    const parts = TelegramNotifier.parts({ message: m, chart: undefined });
    expect(telegramReply(messageReply(m), false).messages).toEqual(parts);
    expect(parts).toEqual(['<b>SPX/Gold broke 2.5 &lt;up&gt;</b>\nFrom 2.41 to 2.53 *today*\nNext: 3.0\n<b>Ratio</b>: 2.53\n<i>Source: yahoo</i>']);
  });

  test('GIVEN a chart reply with its card THEN Discord shows both ratios, the tone and the source; a reply without a chart is left alone', async () => {
    const world = makeWorld();
    try {
      const plain: Reply = { status: 'ok', lines: [['no chart']] };
      expect(await withChartCard(world.deps, plain, 'en', Date.now())).toBe(plain);
      const card = await withChartCard(
        world.deps,
        { status: 'ok', lines: [['chart']], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } },
        'en',
        Date.now(),
      );
      const e = discordReply(card).embeds[0]!;
      expect(card.fields?.map((f) => f.name)).toEqual(['SPX/Gold', 'QQQ/Gold']);
      expect(e.footer?.text).toMatch(/^Source: .+ · data .+ old$/);
      expect(e.color).toBe(card.tone === 'down' ? COLOR.red : card.tone === 'up' ? COLOR.green : COLOR.neutral);
      expect((e.fields ?? []).map((f) => f.name)).toEqual((card.fields ?? []).map((f) => f.name));
      for (const f of e.fields ?? []) expect(f.value).toMatch(/^`\d+\.\d+`( \\?\([+-−]?[\d.]+%\))?$/);
    } finally {
      world.cleanup();
    }
  });

  test('GIVEN closes from two sources THEN the card lists them the language\'s way: "a, b" in English, "a、b" in Chinese', async () => {
    const world = makeWorld();
    try {
      const quotes = new QuoteStore(onSqlite(world.db));
      const last = (await quotes.lastClose('gold'))!;
      await quotes.upsertCloses('gold', [{ date: last.date, close: last.close, source: 'lbma' }]);
      const chart: Reply = { status: 'ok', lines: [['chart']], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } };
      expect((await withChartCard(world.deps, chart, 'en', Date.now())).footer).toMatch(/^Source: test, LBMA · /);
      expect((await withChartCard(world.deps, chart, 'zh-TW', Date.now())).footer).toMatch(/^資料來源：test、LBMA · /);
    } finally {
      world.cleanup();
    }
  });

  test('GIVEN a Chinese card THEN its footer gives the age under the words /ratio gives it (資料時間：…前), not as 資料為…前', async () => {
    const world = makeWorld();
    try {
      const chart: Reply = { status: 'ok', lines: [['chart']], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } };
      const tw = (await withChartCard(world.deps, chart, 'zh-TW', Date.now())).footer;
      const cn = (await withChartCard(world.deps, chart, 'zh-CN', Date.now())).footer;
      expect(tw).toMatch(/^資料來源：test · 資料時間：\S.*前$/);
      expect(cn).toMatch(/^数据来源：test · 数据时间：\S.*前$/);
      // The same words as /ratio's age line (chat.ratio.age), in each script.
      expect(t('zh-TW', 'chat.ratio.age', { numerator: 'a', numeratorAge: 'b', denominator: 'c', denominatorAge: 'd' })).toMatch(/^資料時間：/);
      expect(t('zh-CN', 'chat.ratio.age', { numerator: 'a', numeratorAge: 'b', denominator: 'c', denominatorAge: 'd' })).toMatch(/^数据时间：/);
    } finally {
      world.cleanup();
    }
  });

  test("GIVEN /power (measured against M2 too) THEN the card names M2's source; a ratio card does not", async () => {
    const world = makeWorld();
    try {
      await new QuoteStore(onSqlite(world.db)).upsertCloses('m2', [{ date: '2026-06-01', close: 22_000, source: 'fred' }]);
      const power: Reply = { status: 'ok', lines: [['power']], chart: { kind: 'power', base: '1999-03-10' } };
      expect((await withChartCard(world.deps, power, 'en', Date.now())).footer).toMatch(/^Source: test, FRED · /);
      const ratio: Reply = { status: 'ok', lines: [['chart']], chart: { kind: 'ratio', pair: 'spx-gold', range: '1Y' } };
      expect((await withChartCard(world.deps, ratio, 'en', Date.now())).footer).toMatch(/^Source: test · /);
    } finally {
      world.cleanup();
    }
  });
});
