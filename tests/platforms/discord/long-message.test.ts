/**
 * A message longer than one Discord message holds (the quiet-hours summary of many held alerts):
 * delivered whole, in order, as several messages within Discord's limits, each part once, through
 * the dispatcher and the real notifier (@discordjs/rest) against the fake, which refuses an
 * over-limit payload with 50035 as Discord does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { openDatabase } from '../../../src/store/db.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { runChildScript } from '../../helpers/process.ts';
import { drain } from '../../fakes/drain-once.ts';
import { partNotifier } from '../../fakes/discord-part-crash-child.ts';
import { writeDatabase } from '../../helpers/sqlite-image.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { DiscordNotifier } from '../../../src/platforms/discord/notifier.ts';
import { quietSummary, type HeldAlert } from '../../../src/domain/quiet-summary.ts';
import { localize } from '../../../src/domain/message.ts';
import { sleep } from '../../../src/sleep.ts';
import { renderReplies } from '../../../src/platforms/discord/render.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { type FakeDiscord, formErrors } from '../../fakes/discord.ts';
import type { World } from '../../helpers/telegram-harness.ts';
import { eachWithFakeDiscord, fakeNotifier } from '../../helpers/discord-world.ts';

const CHANNEL = '730000000000000001';
const MESSAGES = new RegExp(`^/channels/${CHANNEL}/messages$`);
let fake: FakeDiscord;
let world: World;

eachWithFakeDiscord((s) => ({ fake, world } = s));

/** `count` held alerts, each titled with its own number and an emoji (a surrogate pair). */
function held(count: number): HeldAlert[] {
  const start = Date.UTC(2026, 10, 23, 16, 0);
  return Array.from({ length: count }, (_, i) => ({
    message: { title: `📉 Alert number ${i + 1}: SPX/Gold closed below 2.5 (essay level), now 1.83`, lines: ['detail'] },
    decidedAt: start + i * 60_000,
  }));
}

async function queue(count: number): Promise<void> {
  const sub = await world.deps.subs.upsert('discord', CHANNEL);
  await new OutboxStore(onSqlite(world.db)).enqueue('alert', quietSummary(held(count), 'Asia/Taipei'), [sub.id]);
}

function dispatcher(): Dispatcher {
  const notifier = fakeNotifier(fake, world.log);
  return new Dispatcher(new OutboxStore(onSqlite(world.db)), world.deps.subs, { notifiers: [notifier], charts: world.charts, log: world.log, backoffMs: 50 });
}

async function drainAll(d: Dispatcher, maxRounds = 20): Promise<void> {
  for (let i = 0; i < maxRounds && (await d.pending()) > 0; i++) {
    await d.drain();
    if ((await d.pending()) > 0) await sleep(100);
  }
}

/** The text of every embed of the delivered messages, in order. */
function delivered(): string {
  return fake.requests
    .filter((r) => r.method === 'POST' && MESSAGES.test(r.path) && r.status === 200)
    .flatMap((r) =>
      (r.body.embeds as { title?: string; description?: string; footer?: { text: string } }[]).map((e) =>
        [e.title, e.description, e.footer?.text].filter((x) => x !== undefined).join('\n'),
      ),
    )
    .join('\n');
}

describe('Discord: a message longer than one Discord message', () => {
  test('GIVEN an over-limit embed THEN the fake refuses it as Discord does: 50035, naming the field', () => {
    expect(formErrors('/channels/1/messages', { embeds: [{ description: 'x'.repeat(4097) }] })).toEqual({
      embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 4096 or fewer in length.' }] } } },
    });
    expect(formErrors('/channels/1/messages', { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] })).toMatchObject({
      embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED' }] },
    });
    // Discord counts characters: 4096 emoji (8192 UTF-16 units) are not over 4096.
    expect(formErrors('/channels/1/messages', { embeds: [{ description: '📉'.repeat(4096) }] })).toBeUndefined();
  });

  test('GIVEN a quiet-hours summary of 200 held alerts THEN every item arrives, in order, in messages Discord accepts, none cut', async () => {
    await queue(200);
    await drainAll(dispatcher());
    const posts = fake.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path));
    expect(posts.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(posts.length).toBeGreaterThan(1);
    const text = delivered();
    const numbers = [...text.matchAll(/Alert number (\d+):/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each item whole, its emoji intact, and nothing replaced by an ellipsis.
    expect(text.match(/📉 Alert number \d+: SPX\/Gold closed below 2\\?\.5 \(essay level\), now 1\\?\.83/g)).toHaveLength(200);
    expect(text).not.toContain('…');
    expect(text).toContain(localize(quietSummary(held(200), 'Asia/Taipei'), 'en').footer);
    expect(await dispatcher().pending()).toBe(0);
  });

  test('GIVEN the third part of a long summary refused (502, twice: the REST retries once) THEN the retry starts at the third part: no part twice, none lost', async () => {
    await queue(200);
    fake.fail(MESSAGES, { kind: '5xx', status: 502 }, 2, 'POST', 2);
    await drainAll(dispatcher());
    const posts = fake.requests.filter((r) => r.method === 'POST' && MESSAGES.test(r.path));
    expect(posts.map((r) => r.status).slice(0, 4)).toEqual([200, 200, 502, 502]);
    const numbers = [...delivered().matchAll(/Alert number (\d+):/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // The first part (the title, the role mention's place) went once.
    expect(delivered().match(/Quiet hours are over/g)).toHaveLength(1);
  });
});

describe('Discord: a long reply or message as payloads', () => {
  /** Every payload as the fake would take it: undefined when Discord accepts it. */
  const refusals = (bodies: readonly Record<string, unknown>[]) => bodies.map((b) => formErrors('/channels/1/messages', b)).filter((e) => e !== undefined);

  test('GIVEN a command reply of 300 lines (about 20,000 characters) THEN every line is in one of several payloads Discord accepts, the buttons on the first only', () => {
    const lines = Array.from({ length: 300 }, (_, i) => [
      { code: `2026-01-${String((i % 28) + 1).padStart(2, '0')}` },
      ` line ${i + 1} 🟢 `,
      { bold: 'SPX/Gold' },
      ' crossed 2.5 *down* on the close',
    ]);
    const payloads = renderReplies({ status: 'ok', title: 'History', lines, footer: 'Source: test', buttons: [[{ label: 'More', action: 'history:more' }]] });
    expect(payloads.length).toBeGreaterThan(3);
    expect(refusals(payloads.map((p) => ({ embeds: p.embeds })))).toEqual([]);
    const text = payloads.flatMap((p) => p.embeds.map((e) => e.description ?? '')).join('\n');
    expect([...text.matchAll(/ line (\d+) 🟢/g)].map((m) => Number(m[1]))).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(payloads.map((p) => p.components.length)).toEqual([1, ...payloads.slice(1).map(() => 0)]);
    expect(payloads.at(-1)?.embeds.at(-1)?.footer?.text).toBe('Source: test');
  });

  test('GIVEN one line of 10,000 characters with emoji at every cut THEN it arrives whole, in pieces Discord accepts, no emoji halved', () => {
    const long = '📈'.repeat(5000);
    const payloads = renderReplies({ status: 'ok', lines: [[long]] });
    expect(refusals(payloads.map((p) => ({ embeds: p.embeds })))).toEqual([]);
    const text = payloads.flatMap((p) => p.embeds.map((e) => e.description ?? '')).join('');
    expect(text.replace(/\n/g, '')).toBe(long);
  });

  test('GIVEN a long summary whose channel refuses its chart THEN the first message still has room for the note saying why', () => {
    const m = localize(quietSummary(held(200), 'Asia/Taipei'), 'zh-TW');
    const plain = DiscordNotifier.bodies(m, '123', 'attachment://c.png');
    const noted = DiscordNotifier.bodies(m, '123', undefined, t('zh-TW', 'discord.noFiles'));
    expect(refusals(noted)).toEqual([]);
    // The parts fall at the same lines either way: a resumed send skips exactly what went.
    expect(noted.length).toBe(plain.length);
    expect(JSON.stringify(noted[0])).toContain(t('zh-TW', 'discord.noFiles').slice(0, 10));
    expect(noted.slice(1)).toEqual(plain.slice(1));
  });
});

describe('Discord: a crash between two parts of one long message', () => {
  const CHILD = fileURLToPath(new URL('../../fakes/discord-part-crash-child.ts', import.meta.url));

  const runChild = (args: string[]) => runChildScript(CHILD, args);

  test('GIVEN the process dies after the first message of a 200-item summary THEN the restart sends the rest only: the first once, every item once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'goldratio-dc-parts-'));
    try {
      const path = writeDatabase(join(dir, 'outbox.db'));
      const db = openDatabase(path);
      const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
      const sub = await subs.upsert('discord', CHANNEL);
      await new OutboxStore(onSqlite(db)).enqueue('alert', quietSummary(held(200), 'Asia/Taipei'), [sub.id]);
      db.close();

      const crashed = await runChild([path, fake.api, fake.token, 'kill']);
      expect(crashed.signal, crashed.out).toBe('SIGKILL');
      expect(fake.requests.filter((r) => MESSAGES.test(r.path)).map((r) => r.status)).toEqual([200]);

      // The restart: a new dispatcher on the file, as a restarted process's first drain (the child killed
      // mid-send is the process this is about; a second one to resume it was a start for nothing).
      const again = openDatabase(path);
      expect(await drain(again, partNotifier(fake.api, fake.token, false))).toBe(1);
      again.close();
      expect(delivered().match(/Quiet hours are over/g)).toHaveLength(1);
      const numbers = [...delivered().matchAll(/Alert number (\d+):/g)].map((m) => Number(m[1]));
      expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Discord: a long line that grows when drawn', () => {
  test('GIVEN a 6,000-character line naming /help over and over (each a command mention five times its length) THEN every piece fits an embed Discord accepts', () => {
    const line = '/help '.repeat(1000).trim();
    const ids = new Map([['help', '1234567890123456789']]);
    const payloads = renderReplies({ status: 'ok', lines: [[line]] }, { commandIds: ids });
    expect(payloads.flatMap((p) => p.embeds).every((e) => (e.description ?? '').length <= 4096)).toBe(true);
    expect(payloads.map((p) => formErrors('/channels/1/messages', { embeds: p.embeds })).filter((e) => e !== undefined)).toEqual([]);
    const text = payloads.flatMap((p) => p.embeds.map((e) => e.description ?? '')).join(' ');
    expect(text.match(/<\/help:1234567890123456789>/g)).toHaveLength(1000);
  });
});
