/**
 * An alert in parts (its chart's caption, then a message) whose send is interrupted after the
 * caption goes on in the tense the caption said: one sent late says its value "then" to the end,
 * one whose caption said "now" says "now" in the rest, however late the rest goes. "then" and "now"
 * differ in length, so a rest prepared in the other tense would also be split elsewhere: a line
 * lost or sent twice. Through the real dispatcher and Telegram notifier against the fake Bot API: a
 * 502 between the parts, on SQLite and PostgreSQL, and a process killed between them, restarted.
 */
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Dispatcher } from '../../src/alerts/dispatcher.ts';
import { alertMessage } from '../../src/domain/alert-message.ts';
import type { Lang } from '../../src/domain/i18n/langs.ts';
import { localize, type Message } from '../../src/domain/message.ts';
import { thenTitle } from '../../src/domain/quiet-summary.ts';
import { memoryLogger } from '../../src/log.ts';
import { TelegramNotifier } from '../../src/platforms/telegram/notifier.ts';
import { openDatabase } from '../../src/store/db.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { OutboxStore } from '../../src/store/outbox.ts';
import { SubscriptionStore } from '../../src/store/subscriptions.ts';
import { CHILD_CHARTS, CHILD_PNG, partNotifier } from '../fakes/part-crash-child.ts';
import { drain } from '../fakes/drain-once.ts';
import { FakeTelegram } from '../fakes/telegram.ts';
import { describeOnEngines } from '../helpers/engines.ts';
import { runChildScript } from '../helpers/process.ts';
import { writeDatabase } from '../helpers/sqlite-image.ts';

const T = Date.parse('2026-11-24T22:00:00Z');
const MIN = 60_000;
const chart = { kind: 'ratio', pair: 'spx-gold', range: '1Y' } as const;
const CHART = { png: CHILD_PNG, filename: 'chart.png' };

const fell = alertMessage({
  date: '2026-11-24',
  pair: 'spx-gold',
  levelId: 'spx-gold-2.5',
  kind: 'cross-down',
  direction: 'down',
  value: 2.4,
  levelValue: 2.5,
  basis: 'close',
});

/** The message's Telegram parts in `lang`, saying its value then or now. */
const partsOf = (m: Message, lang: Lang, then: boolean): string[] =>
  TelegramNotifier.parts({ message: localize(then ? { ...m, title: thenTitle(m.title!) } : m, lang), chart: CHART });

/**
 * The alert with a first line just long enough that the English caption holds the title and that
 * line saying "now", but not saying "then" (one character longer): the rest begins at another line.
 */
function longAlert(): Message {
  const base: Message = { title: fell.title!, lines: [], chart };
  const titleNow = partsOf({ ...base, lines: ['x'] }, 'en', false)[0]!
    .replace(/<[^>]+>/g, '')
    .split('\n')[0]!;
  const first = `The break in figures: ${'word '.repeat(400)}`
    .slice(0, 1024 - titleNow.length - 1)
    .trimEnd()
    .padEnd(1024 - titleNow.length - 1, '.');
  return { ...base, lines: [first, 'The last line, after the caption.'] };
}

test('GIVEN the English split of "then" and "now" differing THEN the first line is in the caption saying "now", in the message saying "then" (the premise of the tests below)', () => {
  const m = longAlert();
  const [then, now] = [partsOf(m, 'en', true), partsOf(m, 'en', false)];
  expect(then[0]).toContain(': then 2.400');
  expect(now[0]).toContain(': now 2.400');
  expect(then[1]!.startsWith('The break in figures:')).toBe(true);
  expect(now[1]).toBe('The last line, after the caption.');
});

const EN = 77;
const TW = 78;

describeOnEngines('an alert in parts resumed after its caption went out', (open) => {
  let tg: FakeTelegram;
  beforeEach(async () => {
    tg = await FakeTelegram.start();
  });
  afterEach(async () => {
    await tg.close();
  });

  async function world() {
    const db = await open();
    const subs = new SubscriptionStore(db, { approachPct: 3, lang: 'en' });
    const outbox = new OutboxStore(db);
    const en = (await subs.upsert('telegram', String(EN), { lang: 'en' }))!;
    const tw = (await subs.upsert('telegram', String(TW), { lang: 'zh-TW' }))!;
    const clock = { now: T };
    const api = new Api(tg.token, { apiRoot: tg.apiRoot, timeoutSeconds: 5 });
    const notifier = new TelegramNotifier({ api, rate: 25, groupPerMinute: 20, paidBroadcast: false, log: memoryLogger() });
    const dispatcher = new Dispatcher(outbox, subs, {
      notifiers: [notifier],
      now: () => clock.now,
      backoffMs: 1000,
      charts: { render: async () => ({ png: CHILD_PNG, key: 'fixed', filename: 'chart.png' }) },
    });
    const m = longAlert();
    await outbox.enqueue('alert', m, [en.id, tw.id], { nowMs: T });
    /** Drains at `ms` after the alert was decided, then until nothing is left, a minute apart. */
    const drainAt = async (ms: number) => {
      clock.now = T + ms;
      await dispatcher.drain();
    };
    const rest = async (ms: number) => {
      clock.now = T + ms;
      for (let i = 0; i < 5 && (await dispatcher.pending()) > 0; i++) {
        await dispatcher.drain();
        clock.now += MIN;
      }
      expect(await dispatcher.pending()).toBe(0);
    };
    const said = (chat: number) => ({
      caption: tg.callsTo('sendPhoto', chat).map((c) => [c.status, String(c.params.caption)]),
      texts: tg.callsTo('sendMessage', chat).map((c) => [c.status, String(c.params.text)]),
    });
    return { m, drainAt, rest, said };
  }

  test('GIVEN an alert whose caption went out 40 minutes late (saying "then") and whose message got a 502 THEN the resumed rest is the rest of the "then" message, in en and zh-TW: every line once', async () => {
    const w = await world();
    tg.fault('*', { kind: 'server', status: 502 }, { methods: ['sendMessage'] });
    await w.drainAt(40 * MIN);
    tg.clearFaults();
    await w.rest(3 * 60 * MIN);
    for (const [chat, lang, word] of [
      [EN, 'en', ': then 2.400'],
      [TW, 'zh-TW', '當時 2.400'],
    ] as const) {
      const parts = partsOf(w.m, lang, true);
      const s = w.said(chat);
      expect(s.caption).toEqual([[200, parts[0]]]);
      expect(s.caption[0]![1]).toContain(word);
      expect(s.texts.filter(([status]) => status === 200)).toEqual(parts.slice(1).map((p) => [200, p]));
    }
    // The English message starts with the long line the caption had no room for, and ends with the last.
    const en = w.said(EN).texts.at(-1)![1] as string;
    expect(en.startsWith('The break in figures:')).toBe(true);
    expect(en.endsWith('The last line, after the caption.')).toBe(true);
  });

  test('GIVEN an alert whose caption went out 5 minutes after it was decided (saying "now") and whose rest went two hours later THEN the rest is the rest of the "now" message: nothing sent twice', async () => {
    const w = await world();
    tg.fault('*', { kind: 'server', status: 502 }, { methods: ['sendMessage'] });
    await w.drainAt(5 * MIN);
    tg.clearFaults();
    await w.rest(2 * 60 * MIN);
    for (const [chat, lang, word] of [
      [EN, 'en', ': now 2.400'],
      [TW, 'zh-TW', '目前 2.400'],
    ] as const) {
      const parts = partsOf(w.m, lang, false);
      const s = w.said(chat);
      expect(s.caption).toEqual([[200, parts[0]]]);
      expect(s.caption[0]![1]).toContain(word);
      expect(s.texts.filter(([status]) => status === 200)).toEqual(parts.slice(1).map((p) => [200, p]));
    }
    expect(w.said(EN).texts.at(-1)![1]).toBe('The last line, after the caption.');
  });
});

describe('an alert in parts whose process was killed after its caption', () => {
  const CHILD = fileURLToPath(new URL('../fakes/part-crash-child.ts', import.meta.url));
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const f of cleanups.splice(0).reverse()) f();
  });

  test('GIVEN an alert decided two hours before its send, the process SIGKILLed after the caption THEN the restart sends the rest of the "then" message', async () => {
    const tg = await FakeTelegram.start();
    cleanups.push(() => void tg.close());
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-tense-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = writeDatabase(join(dir, 'g.db'));
    const db = openDatabase(path);
    const sub = (await new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' }).upsert('telegram', String(EN), { lang: 'en' }))!;
    const m = longAlert();
    // The child drains on the real clock: decided two hours ago, so sent late.
    await new OutboxStore(onSqlite(db)).enqueue('alert', m, [sub.id], { nowMs: Date.now() - 120 * MIN });
    db.close();

    const crashed = await runChildScript(CHILD, [path, tg.apiRoot, tg.token, 'kill']);
    expect(crashed.signal, crashed.out).toBe('SIGKILL');
    // The restart: a new dispatcher on the file, as a restarted process's first drain (the child killed
    // mid-send is the process this is about; a second one to resume it was a start for nothing).
    const again = openDatabase(path);
    expect(await drain(again, partNotifier(tg.apiRoot, tg.token, false), CHILD_CHARTS)).toBe(1);
    again.close();
    const parts = partsOf(m, 'en', true);
    expect(tg.callsTo('sendPhoto', EN).map((c) => [c.status, String(c.params.caption)])).toEqual([[200, parts[0]]]);
    expect(tg.callsTo('sendMessage', EN).map((c) => [c.status, String(c.params.text)])).toEqual(parts.slice(1).map((p) => [200, p]));
  }, 60_000);
});
