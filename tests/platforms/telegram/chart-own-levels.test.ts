/**
 * A chat's own levels (/mylevels) on /chart, through the real Telegram path against the fake Bot
 * API: the chat that set one sees it on its chart (read back from the PNG it was sent: the level's
 * own colour runs along a row of the plot), and on the chart a range button brings; a chat with
 * none gets the chart every such chat shares (drawn once, sent again by its file_id). The spec
 * says how each is labelled, in each language.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FakeTelegram, FakeUser, RecordedCall } from '../../fakes/telegram.ts';
import { startBot, stopBot, type World } from '../../helpers/telegram-harness.ts';
import type { Telegram } from '../../../src/platforms/telegram/bot.ts';
import { hexRgb, ownLineShare as lineShareOf } from '../../helpers/charts-fixtures.ts';
import { PALETTES } from '../../../src/charts/theme.ts';
import { LANGS, t } from '../../../src/domain/i18n/index.ts';
import { formatLevelValue } from '../../../src/domain/i18n/format.ts';
import '../../../src/chat/registry.ts';

const ANN: FakeUser = { id: 5005, first_name: 'Ann', language_code: 'en' };
const OWN = PALETTES.light.custom;

let fake: FakeTelegram;
let world: World;
let tg: Telegram;

beforeEach(async () => ({ fake, world, tg } = await startBot()));
afterEach(() => stopBot({ fake, world, tg }));

const messageIdOf = (c: RecordedCall): number => (c.result as { message_id: number }).message_id;

/** The share of a plot row in the chat's-own purple (charts-fixtures.ts ownLineShare), of a PNG the fake was sent. */
async function ownLineShare(png: Buffer | undefined): Promise<number> {
  expect(png).toBeDefined();
  const [r0, g0, b0] = hexRgb(OWN);
  expect(r0 - g0 > 30 && b0 - g0 > 50, "the palette's own colour is such a purple").toBe(true);
  return lineShareOf(png!);
}

/** A level of the chat's own just above the last SPX/Gold close of this world: inside the 1Y chart's range. */
async function levelInView(): Promise<number> {
  const last = (await world.deps.view.ratio('spx-gold')).at(-1)!.value;
  return Math.round(last * 1.02 * 100) / 100;
}

async function answer(chat: number, text: string, method: 'sendMessage' | 'sendPhoto'): Promise<RecordedCall> {
  const before = fake.callsTo(method, chat).length;
  fake.textMessage(chat, text, ANN);
  await fake.waitFor((c) => c.method === method && c.chatId === String(chat) && fake.callsTo(method, chat).length > before);
  return fake.callsTo(method, chat).at(-1)!;
}

describe('a chat’s own levels on /chart', () => {
  test('GIVEN a chat that added its own SPX/Gold level THEN its /chart spx draws it, and its range buttons keep it; chats without any share one chart, drawn once', async () => {
    const level = await levelInView();
    await answer(71, '/subscribe', 'sendMessage');
    const added = await answer(71, `/mylevels add spx ${level}`, 'sendMessage');
    expect(String(added.params.text)).toContain(formatLevelValue(level));

    // Two chats with no own level: the second gets the first's chart, not a new one.
    const plain = await answer(72, '/chart spx 1Y', 'sendPhoto');
    expect(plain.files).toHaveLength(1);
    const rendersBefore = world.charts.stats().renders;
    const shared = await answer(73, '/chart spx 1Y', 'sendPhoto');
    expect(shared.files, 'sent again by its file_id').toHaveLength(0);
    expect(world.charts.stats().renders).toBe(rendersBefore);
    expect(await ownLineShare(plain.files[0]?.bytes)).toBe(0);

    // The chat with its level: a chart of its own, the level's dotted line across the plot.
    const mine = await answer(71, '/chart spx 1Y', 'sendPhoto');
    expect(mine.files, 'a chart of its own, uploaded').toHaveLength(1);
    expect(world.charts.stats().renders).toBe(rendersBefore + 1);
    expect(await ownLineShare(mine.files[0]?.bytes)).toBeGreaterThan(0.25);

    // Its 5Y button: the chart it brings draws the level too.
    const kb = mine.params.reply_markup as { inline_keyboard: { callback_data: string }[][] };
    const fiveYears = kb.inline_keyboard.flat().find((b) => b.callback_data === 'chart:spx-gold:5Y');
    fake.callbackQuery(71, messageIdOf(mine), fiveYears?.callback_data ?? '', ANN);
    const edit = await fake.waitFor((c) => c.method === 'editMessageMedia' && c.chatId === '71');
    expect(edit.status).toBe(200);
    expect(await ownLineShare(edit.files[0]?.bytes)).toBeGreaterThan(0.25);

    // A QQQ/Gold chart in that chat has none of its SPX/Gold levels: the shared one.
    const before = world.charts.stats().renders;
    await answer(74, '/chart qqq 1Y', 'sendPhoto');
    const qqq = await answer(71, '/chart qqq 1Y', 'sendPhoto');
    expect(qqq.files).toHaveLength(0);
    expect(world.charts.stats().renders).toBe(before + 1);
  });

  test('GIVEN a group, a channel and another group holding the same own level THEN /chart draws the group’s labelled as the group’s (This group’s level), the channel’s as the channel’s, and the second group gets the first’s chart by its file_id, never the channel’s', async () => {
    const level = await levelInView();
    const [group, channel, other] = [-7301, -1007302, -1007303];
    const typeOf = (chat: number) => (chat === channel ? 'channel' : chat === group ? 'group' : 'supergroup');
    const ask = async (chat: number, text: string, method: 'sendMessage' | 'sendPhoto') => {
      const before = fake.callsTo(method, chat).length;
      fake.textMessage(chat, text, ANN, typeOf(chat));
      await fake.waitFor((c) => c.method === method && c.chatId === String(chat) && fake.callsTo(method, chat).length > before);
      return fake.callsTo(method, chat).at(-1)!;
    };
    for (const chat of [group, channel, other]) {
      if (chat !== channel) fake.setMember(chat, ANN.id, 'administrator');
      await ask(chat, '/subscribe spx', 'sendMessage');
      await ask(chat, `/mylevels add spx ${level}`, 'sendMessage');
    }
    const inGroup = await ask(group, '/chart spx 1Y', 'sendPhoto');
    const inChannel = await ask(channel, '/chart spx 1Y', 'sendPhoto');
    expect([inGroup.files.length, inChannel.files.length], 'each place its own upload').toEqual([1, 1]);
    const drawn = async (place: 'group' | 'channel') =>
      (await world.charts.render({ kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [level], place }, { lang: 'en' })).png;
    expect(inGroup.files[0]!.bytes.equals(await drawn('group')), 'the group’s chart is the one labelled for a group').toBe(true);
    expect(inChannel.files[0]!.bytes.equals(await drawn('channel')), 'the channel’s chart is the one labelled for a channel').toBe(true);
    expect(inGroup.files[0]!.bytes.equals(inChannel.files[0]!.bytes)).toBe(false);
    const again = await ask(other, '/chart spx 1Y', 'sendPhoto');
    expect(again.files, 'the group’s chart, sent again by its file_id').toHaveLength(0);
    expect(String(again.params.photo)).toBe((inGroup.result as { photo: { file_id: string }[] }).photo.at(-1)!.file_id);
    const label = async (place: 'group' | 'channel', lang: (typeof LANGS)[number]) =>
      (await world.charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [level], place }, { lang })).hlines.find((l) => l.value === level)!.label;
    expect(await label('group', 'en')).toBe(`${formatLevelValue(level)} · This group's level`);
    expect(await label('group', 'zh-TW')).toBe(`${formatLevelValue(level)} · 本群組水位`);
    expect(await label('group', 'zh-CN')).toBe(`${formatLevelValue(level)} · 本群点位`);
    expect(await label('channel', 'zh-TW')).toBe(`${formatLevelValue(level)} · 本頻道水位`);
  });

  test('GIVEN a chat’s own levels in view and off the chart THEN each is labelled as the chat’s own in every language, in its own colour and dash, apart from the essay’s', async () => {
    const level = await levelInView();
    for (const lang of LANGS) {
      const spec = await world.charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y', own: [level, 4] }, { lang });
      const own = t(lang, 'chart.level.custom');
      const line = spec.hlines.find((l) => l.value === level);
      expect(line, lang).toBeDefined();
      expect(line!.label, lang).toBe(`${formatLevelValue(level)} · ${own}`);
      expect(line!.color, lang).toBe(OWN);
      for (const essay of spec.hlines.filter((l) => l !== line)) {
        expect(essay.color, lang).not.toBe(OWN);
        expect(essay.dash, lang).not.toEqual(line!.dash);
      }
      // 4 lies far above a year of this world's ratio: the note above the chart names it as the chat's own.
      const above = spec.notes.find((n) => typeof n !== 'string' && n.items.some((i) => i.own));
      expect(above, lang).toBeDefined();
      expect(typeof above !== 'string' && above!.items.find((i) => i.own)!.full, lang).toContain(own);
    }
    // Without own levels, the chart every chat shares: no line, no note of a chat's own.
    const shared = await world.charts.spec({ kind: 'ratio', pair: 'spx-gold', range: '1Y' }, { lang: 'en' });
    expect(shared.hlines.some((l) => l.color === OWN)).toBe(false);
    expect(shared.notes.some((n) => typeof n !== 'string' && n.items.some((i) => i.own))).toBe(false);
  });
});
