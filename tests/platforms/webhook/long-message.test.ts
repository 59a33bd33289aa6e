/**
 * A message longer than one Slack or Discord message holds (the quiet-hours summary of many held
 * alerts) to a Slack- or Discord-format hook: delivered whole, in order, as several POSTs within
 * the platform's limits, each part once, through the dispatcher and the real notifier against the
 * local receiver; a retry resumes at the first part not delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../src/store/db.ts';
import { SubscriptionStore } from '../../../src/store/subscriptions.ts';
import { addWithSubscription } from '../../../src/store/webhooks.ts';
import { WEBHOOK_DIGEST } from '../../../src/cli/webhook.ts';
import { runChildScript } from '../../helpers/process.ts';
import { drain } from '../../fakes/drain-once.ts';
import { partNotifier } from '../../fakes/webhook-part-crash-child.ts';
import { writeDatabase } from '../../helpers/sqlite-image.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import type { Dispatcher } from '../../../src/alerts/dispatcher.ts';
import { quietSummary, type HeldAlert } from '../../../src/domain/quiet-summary.ts';
import { localize } from '../../../src/domain/message.ts';
import type { Outgoing } from '../../../src/platforms/webhook/payload.ts';
import { sleep } from '../../../src/sleep.ts';
import { formErrors } from '../../fakes/discord.ts';
import { drainOnClock, hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import { wellFormed } from '../../helpers/text.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

/** `count` held alerts, each titled with its own number, an emoji (a surrogate pair) and characters both formats escape. */
function held(count: number): HeldAlert[] {
  const start = Date.UTC(2026, 10, 23, 16, 0);
  return Array.from({ length: count }, (_, i) => ({
    message: { title: `📉 Alert number ${i + 1}: SPX/Gold closed below 2.5 (essay level) & <1.9>, now 1.83`, lines: ['detail'] },
    decidedAt: start + i * 60_000,
  }));
}

async function queue(hookId: string, count: number): Promise<void> {
  const sub = await w.world.deps.subs.get('webhook', hookId);
  await new OutboxStore(onSqlite(w.world.db)).enqueue('alert', quietSummary(held(count), 'Asia/Taipei'), [sub!.id]);
}

async function drainAll(d: Dispatcher, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds && (await d.pending()) > 0; i++) {
    await d.drain();
    if ((await d.pending()) > 0) await sleep(20);
  }
}

const numbers = (text: string): number[] => [...text.matchAll(/Alert number (\d+):/g)].map((m) => Number(m[1]));
const all = Array.from({ length: 200 }, (_, i) => i + 1);
const footer = localize(quietSummary(held(200), 'Asia/Taipei'), 'en').footer!;

interface SlackBody {
  text: string;
  blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
}
const slackBodies = (path: string): SlackBody[] => w.rx.at(path).map((r) => JSON.parse(r.body.toString('utf8')) as SlackBody);
/** What Slack shows of the blocks, unescaped. */
const slackShown = (b: SlackBody): string =>
  b.blocks
    .flatMap((x) => [x.text?.text, ...(x.fields ?? []).map((f) => f.text), ...(x.elements ?? []).map((e) => e.text)])
    .filter((s) => s !== undefined)
    .join('\n')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

interface DiscordBody {
  embeds: { title?: string; description?: string; footer?: { text: string } }[];
}
const discordBodies = (path: string): DiscordBody[] => w.rx.at(path).map((r) => JSON.parse(r.body.toString('utf8')) as DiscordBody);
const discordShown = (b: DiscordBody): string =>
  b.embeds
    .map((e) => [e.title, e.description, e.footer?.text].filter((x) => x !== undefined).join('\n'))
    .join('\n')
    .replace(/\\(.)/g, '$1');

describe('a long message to a Slack-format hook', () => {
  test('GIVEN a quiet-hours summary of 200 held alerts THEN every item arrives, in order, in POSTs within Slack’s limits, none cut', async () => {
    const { id } = await w.add('/slack', '--format', 'slack');
    await queue(id, 200);
    await drainAll(w.dispatcher(w.notifier()));
    const bodies = slackBodies('/slack');
    expect(bodies.length).toBeGreaterThan(3);
    for (const b of bodies) {
      expect(b.text.length).toBeLessThanOrEqual(3000);
      expect(b.blocks.length).toBeLessThanOrEqual(50);
      for (const x of b.blocks) expect(x.text?.text.length ?? 0).toBeLessThanOrEqual(x.type === 'header' ? 150 : 3000);
      expect(wellFormed(b.text)).toBe(true);
      // No escape left half: every & starts one of the three.
      expect(b.text.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/[&<>]/);
    }
    // The blocks, and the text alone (a receiver that reads only it), both carry every item once, in order.
    const shown = bodies.map(slackShown).join('\n');
    const text = bodies.map((b) => b.text).join('\n');
    expect(numbers(shown)).toEqual(all);
    expect(numbers(text)).toEqual(all);
    expect(shown.match(/📉 Alert number \d+: SPX\/Gold closed below 2\.5 \(essay level\) & <1\.9>, now 1\.83/g)).toHaveLength(200);
    expect(shown).not.toContain('…');
    expect(shown).toContain(footer);
    expect(await w.dispatcher(w.notifier()).pending()).toBe(0);
  });

  test('GIVEN a 500 on the third POST THEN the retry resumes at the third: the first two once each, every item once, in order', async () => {
    const { id } = await w.add('/slack', '--format', 'slack');
    await queue(id, 200);
    w.rx.queued.set('/slack', [{ status: 200 }, { status: 200 }, { status: 500 }]);
    // The retry comes 5 s later, on the test's clock.
    const clock = new TestClock(Date.now());
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await drainOnClock(w.world, d, clock, async () => (await d.pending()) === 0);
    const got = w.rx.at('/slack');
    expect(got[3]?.body.toString('utf8')).toBe(got[2]?.body.toString('utf8'));
    const delivered = slackBodies('/slack').filter((_, i) => i !== 2);
    expect(numbers(delivered.map(slackShown).join('\n'))).toEqual(all);
    expect(delivered.filter((b) => b.blocks.some((x) => x.type === 'header'))).toHaveLength(1);
    expect(new Set(delivered.map((b) => JSON.stringify(b))).size).toBe(delivered.length);
  });
});

describe('a long message to a Discord-format hook', () => {
  test('GIVEN a quiet-hours summary of 200 held alerts THEN every item arrives, in order, in POSTs Discord accepts, none cut', async () => {
    const { id } = await w.add('/discord', '--format', 'discord');
    await queue(id, 200);
    await drainAll(w.dispatcher(w.notifier()));
    const bodies = discordBodies('/discord');
    expect(bodies.length).toBeGreaterThan(2);
    for (const b of bodies) expect(formErrors('/webhooks/1/token', b as never)).toBeUndefined();
    const shown = bodies.map(discordShown).join('\n');
    expect(numbers(shown)).toEqual(all);
    expect(shown.match(/📉 Alert number \d+: SPX\/Gold closed below 2\.5 \(essay level\) & <1\.9>, now 1\.83/g)).toHaveLength(200);
    expect(shown).not.toContain('…');
    expect(shown).toContain(footer);
    expect(await w.dispatcher(w.notifier()).pending()).toBe(0);
  });

  test('GIVEN a 500 on the third POST THEN the retry resumes at the third: the first two once each, every item once, in order', async () => {
    const { id } = await w.add('/discord', '--format', 'discord');
    await queue(id, 200);
    w.rx.queued.set('/discord', [{ status: 200 }, { status: 200 }, { status: 500 }]);
    // The retry comes 5 s later, on the test's clock.
    const clock = new TestClock(Date.now());
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    await drainOnClock(w.world, d, clock, async () => (await d.pending()) === 0);
    const got = w.rx.at('/discord');
    expect(got[3]?.body.toString('utf8')).toBe(got[2]?.body.toString('utf8'));
    const delivered = discordBodies('/discord').filter((_, i) => i !== 2);
    expect(numbers(delivered.map(discordShown).join('\n'))).toEqual(all);
    expect(delivered.filter((b) => b.embeds.some((e) => e.title !== undefined))).toHaveLength(1);
    expect(new Set(delivered.map((b) => JSON.stringify(b))).size).toBe(delivered.length);
  });
});

describe('`webhook test` of a long message (the probe it posts with)', () => {
  const summary = (): Outgoing => {
    const message = localize(quietSummary(held(200), 'Asia/Taipei'), 'en');
    return { kind: 'test', messageKey: 'test-1', lang: 'en', message, chart: undefined };
  };

  test.each(['slack', 'discord'] as const)(
    'GIVEN a message a %s hook takes in several POSTs THEN the probe posts every part, in order, each with its own delivery id, not the first alone',
    async (format) => {
      const { id } = await w.add(`/${format}`, '--format', format);
      const hook = (await w.hooks.get(id))!;
      const { count, parts } = await w.notifier().probe(hook, summary());
      expect(count).toBeGreaterThan(2);
      expect(parts.map((p) => p.ok)).toEqual(Array.from({ length: count }, () => true));
      const got = w.rx.at(`/${format}`);
      expect(got.map((r) => r.headers['x-goldratio-delivery'])).toEqual(Array.from({ length: count }, (_, i) => `test-1.${id}${i === 0 ? '' : `.${i + 1}`}`));
      const shown = format === 'slack' ? slackBodies('/slack').map(slackShown) : discordBodies('/discord').map(discordShown);
      expect(numbers(shown.join('\n'))).toEqual(all);
    },
  );

  test('GIVEN the receiver refuses the second part THEN the probe stops there, as a real send does, and the hook’s failure run is not counted', async () => {
    const { id } = await w.add('/slack', '--format', 'slack');
    w.rx.queued.set('/slack', [{ status: 200 }, { status: 500 }]);
    const { count, parts } = await w.notifier().probe((await w.hooks.get(id))!, summary());
    expect(parts.map((p) => (p.ok ? p.status : `${p.status} ${p.error}`))).toEqual([200, '500 HTTP 500']);
    expect(w.rx.at('/slack')).toHaveLength(2);
    expect(count).toBeGreaterThan(2);
    expect((await w.hooks.get(id))?.failures).toBe(0);
  });
});

describe('a crash between two parts of one long message to a hook', () => {
  const CHILD = fileURLToPath(new URL('../../fakes/webhook-part-crash-child.ts', import.meta.url));

  test.each(['slack', 'discord'] as const)(
    'GIVEN the process dies after the first POST of a 200-item summary to a %s hook THEN the restart sends the rest only: the first once, every item once, in order',
    async (format) => {
      const dir = mkdtempSync(join(tmpdir(), 'goldratio-hook-parts-'));
      try {
        const path = writeDatabase(join(dir, 'outbox.db'));
        const db = openDatabase(path);
        const subs = new SubscriptionStore(onSqlite(db), { approachPct: 3, lang: 'en' });
        const id = 'wh_0123456789ab';
        await addWithSubscription(
          onSqlite(db),
          subs,
          { id, url: w.rx.url(`/${format}`), format, secret: 's'.repeat(64), createdAt: Date.now() },
          'en',
          WEBHOOK_DIGEST,
        );
        const sub = await subs.get('webhook', id);
        await new OutboxStore(onSqlite(db)).enqueue('alert', quietSummary(held(200), 'Asia/Taipei'), [sub!.id]);
        db.close();

        const crashed = await runChildScript(CHILD, [path, 'kill']);
        expect(crashed.signal, crashed.out).toBe('SIGKILL');
        expect(w.rx.at(`/${format}`)).toHaveLength(1);

        // The restart: a new dispatcher on the file, as a restarted process's first drain (the child killed
        // mid-send is the process this is about; a second one to resume it was a start for nothing).
        const again = openDatabase(path);
        expect(await drain(again, partNotifier(again, false))).toBe(1);
        again.close();
        const shown = format === 'slack' ? slackBodies('/slack').map(slackShown) : discordBodies('/discord').map(discordShown);
        expect(shown.length).toBeGreaterThan(2);
        expect(shown.join('\n').match(/Quiet hours are over/g)).toHaveLength(1);
        expect(numbers(shown.join('\n'))).toEqual(all);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
