/** Intents: chat/ decides message, edit or notice; a chart that cannot be drawn becomes a note; the apology; moved and removed chats. */
import { onSqlite } from '../../src/store/engine.ts';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { answerButton, answerCommand, apology, chatMoved, chatRemoved, withChart } from '../../src/chat/answer.ts';
import { findCommand } from '../../src/chat/registry.ts';
import { plainText, reply } from '../../src/chat/reply.ts';
import { ChartDataError } from '../../src/charts/errors.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { chatCtx, chatWorld, type ChatWorld } from '../helpers/chat.ts';

let w: ChatWorld;
beforeEach(async () => {
  w = chatWorld();
});
afterEach(() => w.close());

const cmd = (name: string) => findCommand(name)!;

describe('answers to commands', () => {
  test.each([
    ['ratio', [], 'ok', false],
    ['ratio', ['dow'], 'usage', true],
    ['subscribe', [], 'ok', true],
    ['lang', ['fr'], 'usage', true],
  ])('GIVEN /%s %j THEN a new message, %s, personal %s', async (name, words, status, personal) => {
    const a = await answerCommand(w.deps, chatCtx(), cmd(name), { words });
    expect(a).toMatchObject({ kind: 'message', personal, reply: { status } });
  });

  test('GIVEN option values (Discord) THEN the same command answers the same way', async () => {
    const a = await answerCommand(w.deps, chatCtx({ platform: 'discord' }), cmd('ratio'), { values: { pair: 'dow' } });
    expect(a).toMatchObject({ kind: 'message', personal: true, reply: { status: 'usage' } });
  });
});

describe('answers to buttons', () => {
  test('GIVEN a chart button THEN an edit of the pressed message', async () => {
    expect(await answerButton(w.deps, chatCtx(), 'chart:qqq-gold:5Y')).toMatchObject({
      kind: 'edit',
      reply: { chart: { kind: 'ratio', pair: 'qqq-gold', range: '5Y' } },
    });
  });

  test('GIVEN cmd:ratio THEN a new message', async () => {
    expect(await answerButton(w.deps, chatCtx(), 'cmd:ratio')).toMatchObject({ kind: 'message', personal: false });
  });

  test('GIVEN a stale button THEN a small notice to the presser, not an alert', async () => {
    expect(await answerButton(w.deps, chatCtx(), 'nonsense')).toEqual({
      kind: 'notice',
      text: 'This button is no longer valid. Try the command again.',
      alert: false,
    });
  });

  test('GIVEN a non-admin pressing a toggle in a group THEN an alert notice and nothing written', async () => {
    await cmd('subscribe').run(w.deps, chatCtx({ chatType: 'group', chatId: '-1' }), []);
    const before = w.dump();
    const a = await answerButton(w.deps, chatCtx({ chatType: 'group', chatId: '-1', admin: false }), 'sub:toggle:spx-gold-2.5');
    expect(a).toMatchObject({ kind: 'notice', alert: true, text: 'Sorry, only an administrator of this group can change its settings.' });
    expect(w.dump()).toBe(before);
  });
});

describe('the apology', () => {
  test('GIVEN a failure in a zh-TW chat THEN the apology in zh-TW, a notice for a button and a personal message for a command', async () => {
    await w.deps.subs.upsert('telegram', '9', { lang: 'zh-TW' });
    expect(await apology(w.deps, { platform: 'telegram', chatId: '9', userLanguageCode: 'en' }, true)).toEqual({
      kind: 'notice',
      text: '抱歉，系統發生問題，請稍後再試。',
      alert: false,
    });
    const m = await apology(w.deps, { platform: 'telegram', chatId: undefined, userLanguageCode: 'en-US' }, false);
    expect(m).toMatchObject({ kind: 'message', personal: true });
    expect(m.kind === 'message' ? plainText(m.reply) : '').toBe('Sorry, something went wrong on our side. Please try again in a minute.');
  });
});

describe('a chart that cannot be drawn', () => {
  const req = { kind: 'ratio', pair: 'spx-gold', range: '1Y' } as const;

  test('GIVEN too little data THEN the reply carries the reason as a note and no chart', async () => {
    const charts = { render: () => Promise.reject(new ChartDataError('Not enough data for a chart yet.')) };
    const r = await withChart(charts, reply([['SPX/Gold 1.39']], { chart: req }), 'en');
    expect(r.chart).toBeUndefined();
    expect(r.reply.lines).toEqual([['SPX/Gold 1.39'], [{ italic: 'Not enough data for a chart yet.' }]]);
  });

  test('GIVEN another failure THEN it throws (the apology answers it); GIVEN a chart THEN it is passed on', async () => {
    await expect(withChart({ render: () => Promise.reject(new Error('disk full')) }, reply([], { chart: req }), 'en')).rejects.toThrow('disk full');
    const chart = { png: Buffer.from('png'), key: 'k', filename: 'c.png' };
    expect(await withChart({ render: async () => chart }, reply([], { chart: req }), 'zh-TW')).toMatchObject({ chart });
  });
});

describe('moved and removed chats', () => {
  test('GIVEN a chat that removed the bot THEN it is inactive and its pending messages are given up; a moved chat keeps its subscription', async () => {
    const outbox = new OutboxStore(onSqlite(w.db));
    const gone = await w.deps.subs.upsert('telegram', '-5');
    const moving = await w.deps.subs.upsert('telegram', '-6');
    await outbox.enqueue('digest', { lines: ['hello'] }, [gone.id, moving.id]);
    await chatRemoved(w.deps, 'telegram', '-5', 'removed', 'bot kicked');
    expect(await w.deps.subs.get('telegram', '-5')).toMatchObject({ active: false, deactivatedReason: 'removed: bot kicked' });
    await chatMoved(w.deps, 'telegram', '-6', '-1006');
    expect((await w.deps.subs.get('telegram', '-1006'))?.id).toBe(moving.id);
    expect((await outbox.due('telegram', Date.now(), 10)).map((r) => r.chatId)).toEqual(['-1006']);
    // Removing an unknown or already inactive chat does nothing.
    await chatRemoved(w.deps, 'telegram', '-5', 'gone', 'again');
    await chatRemoved(w.deps, 'telegram', '-77', 'gone', 'never seen');
    expect((await w.deps.subs.get('telegram', '-5'))?.deactivatedReason).toBe('removed: bot kicked');
    expect(await w.deps.subs.get('telegram', '-77')).toBeUndefined();
  });
});
