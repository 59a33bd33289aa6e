/**
 * A command keeps its readings of what was typed (define-command.ts: a burst types the same few
 * words), by the words, the trading day, the platform and the chat's language: the same words read
 * again on a later day, or in another language, are read for that day and language, never answered
 * from the reading kept for another.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { findCommand } from '../../src/chat/registry.ts';
import { chatCtx, chatWorld, LANG_CHATS, NOW_MS, type ChatWorld } from '../helpers/chat.ts';

let w: ChatWorld;
beforeAll(() => {
  w = chatWorld();
});
afterAll(() => w.close());

const text = (r: unknown) => JSON.stringify(r);

test('GIVEN a start in the future, typed again once that day has passed THEN the second is read on its own day', async () => {
  const power = findCommand('power')!;
  const words = ['2026-12-01'];
  const before = text(await power.run(w.deps, chatCtx({ chatId: 'kept-1' }), words));
  expect(before).toContain('future');
  // Read the same again the same day: the same answer (kept or not, it must not change).
  expect(text(await power.run(w.deps, chatCtx({ chatId: 'kept-1' }), words))).toBe(before);
  const later = text(await power.run(w.deps, chatCtx({ chatId: 'kept-1', nowMs: NOW_MS + 20 * 86_400_000 }), words));
  expect(later).not.toContain('future');
});

test('GIVEN 100年 typed in a zh-TW chat and then in an English one THEN each is read as its language reads it', async () => {
  const chart = findCommand('chart')!;
  const words = ['spx', '100年'];
  const tw = text(await chart.run(w.deps, LANG_CHATS['zh-TW'], words));
  const en = text(await chart.run(w.deps, LANG_CHATS.en, words));
  expect(tw).not.toBe(en);
  // zh-TW: 民國100年 is 2011, a chart of it; English asks which year was meant.
  expect(en).toContain('2011');
  expect(en).not.toContain('"chart"');
  expect(tw).toContain('"chart"');
});
