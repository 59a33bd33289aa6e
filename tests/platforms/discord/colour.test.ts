/**
 * Embed colours follow the chat's language: a rise is green and a fall red in English, the other
 * way round in Chinese (紅漲綠跌). One function decides (platforms/discord/render.ts toneColor);
 * the alert embed and the chart reply both go through it.
 */
import { describe, expect, test } from 'vitest';
import { alertMessage } from '../../../src/domain/alert-message.ts';
import { localize } from '../../../src/domain/message.ts';
import { DiscordNotifier } from '../../../src/platforms/discord/notifier.ts';
import { COLOR, toneColor } from '../../../src/platforms/discord/render.ts';

const event = (direction: 'up' | 'down') =>
  alertMessage({
    date: '2026-08-21',
    pair: 'spx-gold',
    levelId: 'spx-gold-2.5',
    kind: direction === 'up' ? 'cross-up' : 'cross-down',
    direction,
    value: direction === 'up' ? 2.51 : 2.49,
    levelValue: 2.5,
    basis: 'close',
  });

describe('embed colour by language', () => {
  test.each([
    ['en', 'up', COLOR.green],
    ['en', 'down', COLOR.red],
    ['zh-TW', 'up', COLOR.red],
    ['zh-TW', 'down', COLOR.green],
    ['zh-CN', 'up', COLOR.red],
    ['zh-CN', 'down', COLOR.green],
    ['zh-TW', 'neutral', COLOR.neutral],
    ['en', undefined, COLOR.neutral],
  ] as const)('GIVEN %s and a %s tone THEN its colour', (lang, tone, color) => {
    expect(toneColor(tone, lang)).toBe(color);
  });

  test.each([
    ['en', 'up', COLOR.green],
    ['zh-TW', 'up', COLOR.red],
    ['zh-CN', 'down', COLOR.green],
  ] as const)('GIVEN an alert read in %s going %s THEN the embed is coloured for that reader', (lang, direction, color) => {
    const body = DiscordNotifier.body(localize(event(direction), lang), undefined, undefined) as { embeds: { color: number; description: string }[] };
    expect(body.embeds[0]!.color).toBe(color);
  });

  test('GIVEN an alert read in zh-CN THEN its date went through the language (2026年8月21日收盘)', () => {
    const m = localize(event('up'), 'zh-CN');
    expect(m.lines).toContain('2026年8月21日收盘');
    expect(m.title).toBe('标普500/黄金向上突破 2.5：当前 2.510');
  });
});
