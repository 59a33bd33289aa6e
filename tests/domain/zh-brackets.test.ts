/**
 * zh-TW never mixes full-width and half-width brackets in one line: every chat command's answer,
 * the digest and every kind of alert, rendered in zh-TW and read line by line.
 */
import { afterEach, expect, test } from 'vitest';
import { CHAT_COMMANDS, findCommand } from '../../src/chat/registry.ts';
import { plainText } from '../../src/chat/reply.ts';
import { alertMessage, type AlertEvent } from '../../src/domain/alert-message.ts';
import { digestText } from '../../src/domain/digest.ts';
import { localize } from '../../src/domain/message.ts';
import { story } from '../../src/domain/story.ts';
import { storyLine } from '../../src/domain/digest.ts';
import { addDays } from '../../src/domain/dates.ts';
import { digestOf } from '../../src/store/digest-view.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';

let w: ChatWorld;
afterEach(() => w?.close());

const half = /[()]/;
const full = /[（）]/;
const cjk = /[\u3400-\u9fff]/;
/** A line of Chinese text takes full-width brackets only: a half-width one beside full-width ones, or in a Chinese sentence, mixes the two. */
const mixed = (text: string) => text.split('\n').filter((line) => half.test(line) && (full.test(line) || cjk.test(line)));

test('GIVEN every command, the digest, the story and each alert kind in zh-TW THEN no Chinese line uses half-width brackets, so none mixes （） with ()', async () => {
  w = chatWorld();
  w.events.insert({
    date: '2026-11-20',
    pair: 'spx-gold',
    levelId: 'spx-gold-2.5',
    watchKey: 'spx-gold-2.5',
    kind: 'approach',
    direction: 'up',
    value: 2.44,
    levelValue: 2.5,
    basis: 'close',
    createdAt: 0,
  });
  // A break up through 2.5 in June 2024 held six closes: /history lists it as history.
  const june = ['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07', '2024-06-10', '2024-06-11'];
  await w.quotes.upsertCloses(
    'gold',
    june.map((date) => ({ date, close: 2000, source: 'seed' })),
  );
  await w.quotes.upsertCloses(
    'spx',
    june.map((date, i) => ({ date, close: i === 0 ? 4800 : 5200, source: 'seed' })),
  );
  const zh = chatCtx({ userLanguageCode: 'zh-TW' });
  const texts: string[] = [];
  const calls: [string, string[]][] = [
    ...CHAT_COMMANDS.map((c): [string, string[]] => [c.name, []]),
    ['ratio', ['spx']],
    ['power', ['2025-12-31']],
    ['chart', ['qqq', '5y']],
    ['digest', ['now']],
    ['digest', ['07:00', 'CST']],
    ['digest', ['25:00']],
    ['history', ['spx']],
  ];
  for (const [name, args] of calls) texts.push(plainText(await findCommand(name)!.run(w.deps, zh, args)));
  texts.push(plainText(await findCommand('ratio')!.run({ ...w.deps, historyLoading: () => true }, zh, [])));
  const d = (await digestOf(w.deps.view, { approachPct: 3 }))!;
  const t = digestText(d, 'zh-TW');
  texts.push(t.head, t.rest);
  // The story's sentences, every kind: a break, closes beyond that did not hold, retests from each side, pending.
  const day = (i: number) => addDays('2020-01-01', i);
  const path = (values: number[]) => values.map((value, i) => ({ date: day(i), value }));
  for (const series of [
    { 'spx-gold': path([2.7, 2.4, 2.4, 2.4, 2.4, 2.4, 2.51, 2.3, 2.45, 2.2, 2.0, 2.51, 2.52]) },
    { 'qqq-gold': path([0.04, 0.0305, 0.035, 0.04, 0.029, 0.04]) },
    { 'spx-gold': path([0.8, 0.65, 0.65, 0.65, 0.65, 0.65, 0.59, 0.66, 0.71, 0.66]) },
  ]) {
    for (const p of story(series, { approachPct: 3 }).pairs) texts.push(storyLine(p, 'zh-TW', 3));
  }
  const kinds: Pick<AlertEvent, 'kind' | 'direction'>[] = [
    { kind: 'cross-up', direction: 'up' },
    { kind: 'cross-down', direction: 'down' },
    { kind: 'zone-enter', direction: 'up' },
    { kind: 'zone-enter', direction: 'down' },
    { kind: 'zone-exit', direction: 'up' },
    { kind: 'zone-exit', direction: 'down' },
    { kind: 'approach', direction: 'up' },
    { kind: 'approach', direction: 'down' },
  ];
  for (const k of kinds) {
    const m = localize(
      alertMessage({ date: '2026-11-20', pair: 'spx-gold', levelId: 'spx-gold-0.6-0.7', value: 0.65, levelValue: 0.6, basis: 'close', ...k }),
      'zh-TW',
    );
    texts.push([m.title ?? '', ...m.lines].join('\n'));
  }
  expect(texts.join('\n')).toContain('2024年6月4日：標普500/黃金向上突破 2.5，報 2.600（歷史）');
  expect(texts.flatMap(mixed)).toEqual([]);
});
