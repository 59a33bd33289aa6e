/** Outgoing webhooks as the people who receive them see them: odd answers, and what the bot does next. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { drainOnClock, hookWorld, TestClock, type HookWorld } from '../../helpers/webhook-world.ts';
import { wellFormed } from '../../helpers/text.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

describe('a receiver whose 200 comes with a body that never ends', () => {
  test('GIVEN HTTP 200 then an endless body THEN the message is delivered once, on the status, not failed as "no answer" and sent again', async () => {
    const { id } = await w.add('/endless');
    w.rx.answers.set('/endless', { status: 200, endless: true });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const d = w.dispatcher(w.notifier({ timeoutMs: 1000 }));
    expect(await d.drain()).toMatchObject({ sent: 1, retried: 0 });
    expect(await d.pending()).toBe(0);
    expect(w.rx.at('/endless')).toHaveLength(1);
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastStatus: 200, lastError: null });
  });
});

describe('a page answering 200 in the place of Slack or Discord (a captive portal, a proxy login)', () => {
  const LOGIN = `<!DOCTYPE html><html><head><title>Sign in to Hotel Wi-Fi &amp; more</title></head><body>${'<p>x</p>'.repeat(200)}</body></html>`;
  test.each([
    ['slack', 'Slack'],
    ['discord', 'Discord'],
  ])(
    'GIVEN a %s hook answered 200 with an HTML login page THEN it is not delivered: retried, and the hook says what answered in one short line, no HTML',
    async (format, who) => {
      const { id } = await w.add(`/${format}`, '--format', format);
      w.rx.answers.set(`/${format}`, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: LOGIN });
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
      const d = w.dispatcher(w.notifier(), 60_000);
      expect(await d.drain()).toMatchObject({ sent: 0, retried: 1 });
      expect(await d.pending()).toBe(1);
      const hook = await w.hooks.get(id);
      expect(hook).toMatchObject({
        failures: 1,
        lastStatus: 200,
        lastError: `HTTP 200 from something other than ${who}: an HTML page "Sign in to Hotel Wi-Fi & more"`,
      });
      // One line naming the hook and what answered, said once while it lasts, never the page.
      await w.world.db.prepare("UPDATE outbox SET next_at = 0 WHERE chat_id = ? AND status = 'pending'").run(id);
      expect(await d.drain()).toMatchObject({ sent: 0, retried: 1 });
      const said = w.world.log.lines.filter((l) => l.includes(id) && !/\bDEBUG\b/.test(l));
      expect(said).toEqual([
        expect.stringMatching(
          new RegExp(`WARN.*webhook ${id}: HTTP 200 from something other than ${who}: an HTML page "Sign in to Hotel Wi-Fi & more"; not delivered, retried`),
        ),
      ]);
      expect(said.join('\n')).not.toMatch(/<p>|<html|127\.0\.0\.1/);
    },
  );

  test.each([
    ['slack', { status: 200, body: 'ok' }],
    ['slack-workflow', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }],
    ['discord', { status: 204 }],
    ['discord', { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"1","channel_id":"2","content":"x"}' }],
    ['json', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><title>whatever</title></html>' }],
  ] as const)('GIVEN a %s hook answered %j THEN it is delivered, as before', async (format, answer) => {
    const path = `/${format}-ok`;
    const { id } = await w.add(path, '--format', format);
    w.rx.answers.set(path, answer);
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    expect(await w.dispatcher(w.notifier()).drain()).toMatchObject({ sent: 1, retried: 0 });
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastError: null });
  });

  test("GIVEN a Slack hook answered 200 with a plain text that is not Slack's ok THEN its first 80 characters are said", async () => {
    const { id } = await w.add('/plain', '--format', 'slack');
    w.rx.answers.set('/plain', { status: 200, body: `Please accept the terms of use to continue browsing. ${'More words here. '.repeat(20)}` });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    expect(await w.dispatcher(w.notifier(), 60_000).drain()).toMatchObject({ sent: 0, retried: 1 });
    const error = (await w.hooks.get(id))?.lastError ?? '';
    expect(error).toMatch(/^HTTP 200 from something other than Slack: "Please accept the terms of use to continue browsing\. More words/);
    expect(error.length).toBeLessThan(140);
  });
});

describe('a receiver that answers 429 for a while', () => {
  test('GIVEN more 429s with Retry-After than the schedule has tries, then 200 THEN the message is delivered, not given up: a 429 is no failed attempt', async () => {
    const { id } = await w.add('/busy');
    w.rx.answers.set('/busy', { status: 429, headers: { 'retry-after': '0' } });
    const clock = new TestClock(Date.now());
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], clock.ms);
    const d = w.dispatcher(w.notifier({ now: clock.now }), 1, clock.now);
    // Past the 11 tries of the span's schedule (each 429 waits the 5 s floor, well within the span).
    await drainOnClock(w.world, d, clock, () => w.rx.at('/busy').length >= 14);
    w.rx.answers.set('/busy', { status: 200 });
    await drainOnClock(w.world, d, clock, async () => (await d.pending()) === 0);
    expect(w.rx.at('/busy').filter((r) => r.headers['x-goldratio-delivery'] !== w.rx.at('/busy')[0]?.headers['x-goldratio-delivery'])).toEqual([]);
    const row = w.world.db.prepare('SELECT status, attempts FROM outbox WHERE chat_id = ?').get(id);
    // The 429s counted no attempt: the success is the one.
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await w.world.deps.subs.get('webhook', id))?.active).toBe(true);
  });

  test.each([
    ['a far HTTP date', () => new Date(Date.now() + 30 * 86_400_000).toUTCString()],
    ['a year in seconds', () => String(365 * 86_400)],
  ])("GIVEN Retry-After of %s THEN the next try is at most an hour away (the backoff cap), not the receiver's far future", async (_, value) => {
    const { id } = await w.add('/later');
    w.rx.answers.set('/later', { status: 429, headers: { 'retry-after': value() } });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const before = Date.now();
    await w.dispatcher(w.notifier(), 5000).drain();
    const row = w.world.db.prepare("SELECT next_at FROM outbox WHERE chat_id = ? AND status = 'pending'").get(id) as { next_at: number };
    expect(row.next_at - before).toBeGreaterThan(3_500_000);
    expect(row.next_at - before).toBeLessThanOrEqual(3_600_000 + (Date.now() - before));
  });

  // Date.parse reads "-5" as May 2001 and "2" as February 2001: past dates, which meant "try again
  // now" (the 5 s floor) where the doc promises the 60 s of an unreadable value.
  test.each(['-5', '2s', '-1', 'soon', '1 2'])(
    'GIVEN Retry-After %j (neither seconds nor an HTTP date) THEN it waits the 60 s of an unreadable one',
    async (value) => {
      const { id } = await w.add('/odd');
      w.rx.answers.set('/odd', { status: 429, headers: { 'retry-after': value } });
      await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
      const before = Date.now();
      await w.dispatcher(w.notifier(), 5000).drain();
      expect(w.rx.at('/odd')).toHaveLength(1);
      const row = w.world.db.prepare("SELECT next_at, attempts FROM outbox WHERE chat_id = ? AND status = 'pending'").get(id) as {
        next_at: number;
        attempts: number;
      };
      expect(row.next_at - before).toBeGreaterThanOrEqual(60_000);
      expect(row.next_at - before).toBeLessThanOrEqual(60_000 + (Date.now() - before));
      expect(row.attempts).toBe(0);
    },
  );
});

describe('a receiver written from docs/webhook.md alone', () => {
  /** The doc's own verification snippet, run as the doc gives it, over the bytes received. */
  async function docVerifies(secret: string, rawBody: Buffer, headers: Record<string, unknown>): Promise<boolean> {
    const doc = readFileSync(new URL('../../../docs/webhook.md', import.meta.url), 'utf8');
    const snippet = /## Signature[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(snippet, 'docs/webhook.md has a js verification snippet under ## Signature').toBeDefined();
    const code = `${snippet!.replace(/^import .*$/m, '')}\nreturn ok;`;
    return new Function('createHmac', 'timingSafeEqual', 'secret', 'rawBody', 'req', code)(createHmac, timingSafeEqual, secret, rawBody, {
      headers,
    }) as boolean;
  }

  test("GIVEN a json hook THEN the doc's snippet verifies a real alert with the printed secret, and refuses one changed byte", async () => {
    const { id, secret } = await w.add('/doc');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier()).drain();
    const [got] = w.rx.at('/doc');
    expect(await docVerifies(secret!, got!.body, got!.headers)).toBe(true);
    const tampered = Buffer.from(got!.body);
    tampered[10] = tampered[10]! ^ 1;
    expect(await docVerifies(secret!, tampered, got!.headers)).toBe(false);
    // Another hook's delivery id on the same bytes: the id is signed too.
    expect(await docVerifies(secret!, got!.body, { ...got!.headers, 'webhook-id': `${got!.headers['webhook-id']}x` })).toBe(false);
  });

  test("GIVEN a real alert captured and replayed later THEN the doc's snippet refuses it past the 5 minutes, and a timestamp moved forward to pass breaks the signature", async () => {
    const { id, secret } = await w.add('/replay');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier()).drain();
    const [got] = w.rx.at('/replay');
    const sent = Number(got!.headers['webhook-timestamp']);
    expect(Math.abs(sent - Date.now() / 1000)).toBeLessThan(5);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Within the documented tolerance, and either side of it (a receiver's clock a little behind).
      vi.setSystemTime(sent * 1000 + 299_000);
      expect(await docVerifies(secret!, got!.body, got!.headers)).toBe(true);
      vi.setSystemTime(sent * 1000 - 299_000);
      expect(await docVerifies(secret!, got!.body, got!.headers)).toBe(true);
      vi.setSystemTime(sent * 1000 + 301_000);
      expect(await docVerifies(secret!, got!.body, got!.headers)).toBe(false);
      // The attacker writes a fresh time: the signature was over the old one.
      expect(await docVerifies(secret!, got!.body, { ...got!.headers, 'webhook-timestamp': String(sent + 301) })).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  test('GIVEN a message retried THEN each attempt carries its own time, signed, under the same webhook-id', async () => {
    const { id, secret } = await w.add('/again');
    w.rx.answers.set('/again', { status: 500 });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    let clock = Date.now();
    // The signature's time is under test, not the retry's wait: tries 10 ms apart, not the day's 5 s first.
    const notifier = w.notifier({ now: () => clock, retrySpan: { triesAtMs: [10, 20, 40, 80], minWaitMs: 10, maxWaitMs: 40 } });
    const d = w.dispatcher(notifier);
    await d.drain();
    clock += 3_600_000;
    w.rx.answers.set('/again', { status: 204 });
    while ((await d.pending()) > 0) {
      await d.drain();
      await new Promise((r) => setTimeout(r, 5));
    }
    // The first drain may have tried more than once (its tries are 10 ms apart), all before the clock moved.
    const all = w.rx.at('/again');
    const [first, second] = [all[0], all.at(-1)];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(Number(second!.headers['webhook-timestamp']) - Number(first!.headers['webhook-timestamp'])).toBe(3600);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(clock);
      expect(await docVerifies(secret!, second!.body, second!.headers)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test('GIVEN a level alert THEN the body carries its figures as data, in no language: pair, level, event, direction, ratio, date', async () => {
    const { id } = await w.add('/data', '--lang', 'zh-TW');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }], Date.parse('2026-11-17T22:00:00Z'));
    await w.dispatcher(w.notifier()).drain();
    const body = JSON.parse(w.rx.at('/data')[0]!.body.toString('utf8'));
    expect(body.data).toEqual({
      type: 'level',
      pair: 'spx-gold',
      level_id: 'spx-gold-2.5',
      level: 2.5,
      event: 'cross-down',
      direction: 'down',
      value: 1.83,
      date: '2026-11-17',
      basis: 'close',
    });
    // The text says the same, in the hook's language.
    expect(body.title).toContain('1.830');
    expect(body.title).toContain('跌破');
  });
});

describe('docs/webhook.md against a real body', () => {
  test("GIVEN a real alert THEN the doc's example body has exactly its fields, and its table names each one", async () => {
    const { id } = await w.add('/shape');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier()).drain();
    const real = JSON.parse(w.rx.at('/shape')[0]!.body.toString('utf8'));
    const doc = readFileSync(new URL('../../../docs/webhook.md', import.meta.url), 'utf8');
    const example = JSON.parse(/## Body[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)![1]!);
    expect(Object.keys(example).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(example.data).sort()).toEqual(Object.keys(real.data).sort());
    // The example is a real alert's shape: a field the doc shows filled is filled for real too.
    expect(example.fields.length > 0).toBe(real.fields.length > 0);
    for (const key of Object.keys(real)) expect(doc).toMatch(new RegExp(`^\\| (\`\\w+\`, )*\`${key}\`(, \`\\w+\`)* \\|`, 'm'));
  });
});

describe('what the operator sees of a receiver answering 429', () => {
  test('GIVEN deliveries answered 429 THEN `webhook list` shows that last answer (not an older 204), with no failure counted; a delivery clears it', async () => {
    const { id } = await w.add('/limited');
    expect((await w.cli('webhook', 'test', id)).code).toBe(0);
    w.rx.answers.set('/limited', { status: 429, headers: { 'retry-after': '30' } });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier()).drain();
    const line = (await w.cli('webhook', 'list')).stdout;
    expect(line).toMatch(
      new RegExp(
        `^${id} .* active .* last HTTP 429 at \\S+ \\(HTTP 429 Too Many Requests\\)  RETRYING a message failing since \\S+ \\(under a minute\\): next try \\S+; still failing at \\S+, it is given up and the hook deactivated$`,
        'm',
      ),
    );
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastStatus: 429 });
    w.rx.answers.set('/limited', { status: 204 });
    expect((await w.cli('webhook', 'test', id)).code).toBe(0);
    expect(await w.hooks.get(id)).toMatchObject({ failures: 0, lastStatus: 204, lastError: null });
  });

  test.each([
    ['an empty Retry-After', ''],
    ['an unreadable Retry-After', 'soon'],
  ])('GIVEN %s THEN it waits the documented 60 s, as without one', async (_, value) => {
    const { id } = await w.add('/odd');
    w.rx.answers.set('/odd', { status: 429, headers: { 'retry-after': value } });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const before = Date.now();
    await w.dispatcher(w.notifier()).drain();
    const row = w.world.db.prepare("SELECT next_at FROM outbox WHERE chat_id = ? AND status = 'pending'").get(id) as { next_at: number };
    expect(row.next_at - before).toBeGreaterThanOrEqual(60_000);
    expect(row.next_at - before).toBeLessThan(61_000 + (Date.now() - before));
  });
});

describe('a receiver whose body limit is below an alert with its chart', () => {
  test('GIVEN HTTP 413 THEN the failure names the body size and what to raise, not a bare "HTTP 413"', async () => {
    const { id } = await w.add('/small');
    w.rx.answers.set('/small', { status: 413 });
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    await w.dispatcher(w.notifier(), 60_000).drain();
    const size = w.rx.at('/small')[0]!.body.length;
    const kb = Math.ceil(size / 1024);
    expect((await w.hooks.get(id))?.lastError).toBe(
      `HTTP 413 Payload Too Large: the receiver refused a body of ${kb} KB (an alert carries its chart inline); let it accept 256 KB`,
    );
  });
});

describe('a long message to a Discord-format hook', () => {
  test("GIVEN texts of emoji past Discord's limits THEN the receiver gets them in POSTs within those limits: no half emoji, every field, 6,000 a message", async () => {
    const { id } = await w.add('/discord', '--format', 'discord');
    const many = (n: number) => `a${'📈'.repeat(n)}`;
    // Each field within its own 1,024 (a longer one goes into the body: payload.test.ts), 30 of them past one embed's 25.
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: many(500), inline: true }));
    const message = {
      lang: 'en' as const,
      title: many(200),
      lines: [many(3000)],
      fields,
      footer: many(1000),
      chart: undefined,
      mention: false,
      tone: 'up' as const,
    };
    const stored: number[] = [];
    const r = await w.notifier().send({
      kind: 'alert',
      chatId: id,
      lang: 'en',
      message,
      chart: undefined,
      messageKey: 'long',
      mention: null,
      fromPart: 0,
      partSent: async (i) => void stored.push(i),
    });
    expect(r).toEqual({ kind: 'sent' });
    const bodies = w.rx.at('/discord').map(
      (x) =>
        JSON.parse(x.body.toString('utf8')) as {
          embeds: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
        },
    );
    expect(bodies.length).toBeGreaterThan(1);
    // Each part stored as delivered but the last (the outcome stores it).
    expect(stored).toEqual(bodies.slice(1).map((_, i) => i));
    for (const b of bodies) {
      expect(b.embeds.length).toBeLessThanOrEqual(10);
      const texts = b.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', e.footer?.text ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]);
      for (const s of texts) expect(wellFormed(s)).toBe(true);
      expect(texts.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(6000);
    }
    expect(bodies.flatMap((b) => b.embeds.flatMap((e) => e.fields ?? []))).toHaveLength(30);
  });
});
