/**
 * `goldratio webhook test` sends an alert as a real one reaches the hook (its title and lines, its
 * tone, its chart, its `data`), marked as a test: the latest level event decided, else a made-up
 * one on the latest close. A receiver built against the test then sees what alerts will bring.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { multipartBoundary, parseMultipart } from '../../fakes/multipart.ts';
import { t } from '../../../src/domain/i18n/index.ts';
import { onSqlite } from '../../../src/store/engine.ts';
import { runUnit } from '../../../src/store/unit.ts';
import { EventStore } from '../../../src/store/events.ts';
import { watchesOf } from '../../../src/domain/watches.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(() => w.close());

const jsonAt = (path: string, i = 0) => JSON.parse(w.rx.at(path)[i]!.body.toString('utf8'));
const discordAt = (path: string) => {
  const got = w.rx.at(path)[0]!;
  const mp = parseMultipart(got.body, multipartBoundary(got.headers['content-type'])!);
  return { payload: JSON.parse(mp.fields.find((f) => f.name === 'payload_json')!.value), file: mp.files.find((f) => f.name === 'files[0]') };
};

describe('webhook test: the latest alert, marked as a test', () => {
  test('GIVEN an alert delivered to one hook THEN `webhook test` of another sends that alert as it came (data, chart, title, lines), marked as a test', async () => {
    const real = await w.add('/real');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: real.id }]);
    expect(await w.dispatcher(w.notifier()).drain()).toMatchObject({ sent: 1 });
    const tried = await w.add('/tried');
    const r = await w.cli('webhook', 'test', tried.id);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(
      new RegExp(`^webhook ${tried.id}: sending the latest alert \\(spx-gold spx-gold-2\\.5 cross-down on \\d{4}-\\d\\d-\\d\\d\\), marked as a test\\n`),
    );
    const alert = jsonAt('/real');
    const sample = jsonAt('/tried');
    expect(w.rx.at('/tried')[0]?.headers['x-goldratio-event']).toBe('test');
    expect(sample).toMatchObject({
      schema: 'goldratio.webhook',
      version: 1,
      kind: 'test',
      lang: 'en',
      tone: alert.tone,
      fields: alert.fields,
      footer: alert.footer,
    });
    expect(sample.data).toEqual({ ...alert.data, test: true, sample: 'latest' });
    expect(sample.data.type).toBe('level');
    expect(sample.title).toBe(`Test: ${alert.title}`);
    expect(sample.lines).toEqual([t('en', 'webhook.test.latest'), ...alert.lines]);
    expect(Buffer.from(sample.chart.base64, 'base64').subarray(0, 4)).toEqual(PNG);
    expect(sample.chart.content_type).toBe('image/png');
    // The chart is the alert's drawn again with its title marked as a test: never the real one's
    // picture, which, forwarded or previewed alone, reads as news.
    expect(sample.chart.filename).toBe(alert.chart.filename.replace(/-(light|dark)-en\.png$/, '-test-$1-en.png'));
    expect(sample.chart.base64).not.toBe(alert.chart.base64);
  });

  test("GIVEN the newest event is one chat's own level (and an older one the essay's) THEN `webhook test` sends the essay's: a chat's own level is not another receiver's to see", async () => {
    const real = await w.add('/real');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: real.id }]);
    const db = onSqlite(w.world.db);
    await runUnit(db, () =>
      new EventStore(db).insert({
        date: '2026-11-20',
        pair: 'spx-gold',
        levelId: 'spx-gold-custom-1.777',
        watchKey: 'spx-gold-custom-1.777',
        kind: 'cross-up',
        direction: 'up',
        value: 1.78,
        levelValue: 1.777,
        basis: 'close',
        createdAt: Date.now() + 1000,
      }),
    );
    const tried = await w.add('/tried');
    const r = await w.cli('webhook', 'test', tried.id);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sending the latest alert (spx-gold spx-gold-2.5 cross-down');
    expect(JSON.stringify(jsonAt('/tried'))).not.toContain('1.777');
  });

  test('GIVEN a discord hook in zh-TW THEN the sample is an embed in Traditional Chinese, titled as a test, with the chart attached and nobody pinged', async () => {
    const hook = await w.add('/discord', '--format', 'discord', '--lang', 'zh-TW');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: 'wh_other' }]);
    expect((await w.cli('webhook', 'test', hook.id)).code).toBe(0);
    const { payload, file } = discordAt('/discord');
    expect(payload.embeds[0].title.startsWith(`測試：${t('zh-TW', 'pair.spx-gold')}`)).toBe(true);
    expect(payload.embeds[0].description).toContain(t('zh-TW', 'webhook.test.latest'));
    expect(file?.bytes.subarray(0, 4)).toEqual(PNG);
    expect(payload.embeds[0].image.url).toBe(`attachment://${file?.filename}`);
    expect(payload.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('webhook test with no alert decided yet: a made-up one', () => {
  test('GIVEN no level event THEN a made-up alert on the latest SPX/Gold close, data filled as a real one and marked test / made-up, in the hook language', async () => {
    const hook = await w.add('/made', '--lang', 'zh-CN');
    const r = await w.cli('webhook', 'test', hook.id);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(
      /sending a made-up alert \(no level event decided yet on the essay's levels: spx-gold spx-gold-2\.5 cross-(up|down) on \d{4}-\d\d-\d\d\), marked as a test/,
    );
    const last = (await w.world.deps.view.ratio('spx-gold')).at(-1)!;
    const body = jsonAt('/made');
    expect(body).toMatchObject({ kind: 'test', lang: 'zh-CN' });
    expect(body.data).toEqual({
      type: 'level',
      pair: 'spx-gold',
      level_id: 'spx-gold-2.5',
      level: 2.5,
      event: last.value < 2.5 ? 'cross-down' : 'cross-up',
      direction: last.value < 2.5 ? 'down' : 'up',
      value: last.value,
      date: last.date,
      basis: 'close',
      test: true,
      sample: 'made-up',
    });
    expect(body.title.startsWith(`测试：${t('zh-CN', 'pair.spx-gold')}`)).toBe(true);
    expect(body.lines[0]).toBe(t('zh-CN', 'webhook.test.madeUp'));
    expect(Buffer.from(body.chart.base64, 'base64').subarray(0, 4)).toEqual(PNG);
    // Its ratio and date are the latest close's, the market's own: what is made up is the break,
    // and the intro says that, not that its figures are not the market's.
    for (const lang of ['en', 'zh-TW', 'zh-CN'] as const) expect(t(lang, 'webhook.test.madeUp')).not.toMatch(/figures|數字|数字/);
  });

  test("GIVEN no event on the essay's levels, and one on a hook's own level THEN that hook's test sends it; another hook's says it made one up, what it looked for and why the stored event is not its to send", async () => {
    const own = await w.add('/own');
    const sub = await w.world.deps.subs.upsert('webhook', own.id, { customLevels: [{ pair: 'spx-gold', value: 1.777 }] });
    const key = watchesOf(sub, sub.approachPct).find((x) => x.watch.level.id === 'spx-gold-custom-1.777')!.watch.key;
    const db = onSqlite(w.world.db);
    await runUnit(db, () =>
      new EventStore(db).insert({
        date: '2026-11-20',
        pair: 'spx-gold',
        levelId: 'spx-gold-custom-1.777',
        watchKey: key,
        kind: 'cross-up',
        direction: 'up',
        value: 1.78,
        levelValue: 1.777,
        basis: 'close',
        createdAt: Date.now(),
      }),
    );
    const r = await w.cli('webhook', 'test', own.id);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`webhook ${own.id}: sending the latest alert (spx-gold spx-gold-custom-1.777 cross-up on 2026-11-20), marked as a test`);
    expect(jsonAt('/own').data).toMatchObject({ level_id: 'spx-gold-custom-1.777', test: true, sample: 'latest' });
    const other = await w.add('/other');
    const o = await w.cli('webhook', 'test', other.id);
    expect([o.code, o.stderr]).toEqual([0, '']);
    expect(o.stdout).toMatch(
      /sending a made-up alert \(no level event decided yet on the essay's levels; the events stored are other chats' own levels, not sent to this hook: spx-gold spx-gold-2\.5 cross-(up|down) on \d{4}-\d\d-\d\d\), marked as a test/,
    );
    expect(JSON.stringify(jsonAt('/other'))).not.toContain('1.777');
  });

  test('GIVEN a slack hook THEN the header says test and the made-up alert follows, as text and blocks, no chart (Slack takes none)', async () => {
    const hook = await w.add('/slack', '--format', 'slack');
    expect((await w.cli('webhook', 'test', hook.id)).code).toBe(0);
    const body = jsonAt('/slack');
    expect(body.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: expect.stringMatching(/^Test: SPX\/Gold /) } });
    expect(body.text).toContain(t('en', 'webhook.test.madeUp'));
    expect(JSON.stringify(body)).not.toMatch(/image/);
  });
});

describe('webhook test --digest: the largest message a hook gets', () => {
  test('GIVEN --digest THEN the digest of the latest closes goes as the 17:30 one does (its lines, its chart inline), marked as a test, in the hook language', async () => {
    const { id } = await w.add('/digest', '--lang', 'zh-TW');
    const r = await w.cli('webhook', 'test', id, '--digest');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^webhook ${id}: sending the digest of the US close of \\d{4}-\\d\\d-\\d\\d, marked as a test\\n`));
    expect(w.rx.at('/digest')[0]?.headers['x-goldratio-event']).toBe('test');
    const sample = jsonAt('/digest');
    expect(sample).toMatchObject({ kind: 'test', lang: 'zh-TW', tone: 'neutral', data: { test: true, sample: 'digest' } });
    // Stored nowhere: its id is the run's, as docs/webhook.md says, and so is the delivery's.
    expect(sample.message_id).toMatch(/^test-\d{13}$/);
    expect(w.rx.at('/digest')[0]?.headers['webhook-id']).toBe(`${sample.message_id}.${id}`);
    expect(Object.keys(sample.data).sort()).toEqual(['sample', 'test']);
    expect(sample.title).toMatch(/^測試：goldratio 每日摘要/);
    expect(sample.lines[0]).toBe(t('zh-TW', 'webhook.test.digest'));
    expect(sample.lines[1]).toMatch(/^標普500\/黃金 /);
    expect(Buffer.from(sample.chart.base64, 'base64').subarray(0, 4)).toEqual(PNG);
  });

  test('GIVEN a slack hook (Slack gets no chart) THEN the digest test promises none: its intro speaks of no chart, in any language', async () => {
    for (const [path, lang] of [
      ['/slack-en', 'en'],
      ['/slack-tw', 'zh-TW'],
      ['/slack-cn', 'zh-CN'],
    ] as const) {
      const hook = await w.add(path, '--format', 'slack', '--lang', lang);
      expect((await w.cli('webhook', 'test', hook.id, '--digest')).code).toBe(0);
      const body = JSON.stringify(jsonAt(path));
      expect(body).toContain(t(lang, 'webhook.test.digest'));
      expect(body).not.toMatch(/image|chart|圖表|图表/);
    }
  });

  test('GIVEN a receiver that takes at most 100 KB (Express’s default) THEN the alert test passes and --digest fails, naming the size refused', async () => {
    const { createServer } = await import('node:http');
    const limited = createServer((req, res) => {
      const size = Number(req.headers['content-length']);
      req.resume();
      req.on('end', () => res.writeHead(size > 100 * 1024 ? 413 : 204).end());
    });
    await new Promise<void>((r) => limited.listen(0, '127.0.0.1', () => r()));
    try {
      const added = await w.cli('webhook', 'add', `http://127.0.0.1:${(limited.address() as { port: number }).port}/small`);
      const id = /added webhook (wh_[0-9a-f]+)/.exec(added.stdout)![1]!;
      expect((await w.cli('webhook', 'test', id)).code).toBe(0);
      const digest = await w.cli('webhook', 'test', id, '--digest');
      expect(digest.code).toBe(1);
      // Said as the real digest's refusal is (a digest, not "a message"), so the operator knows which body to allow for.
      expect(digest.stderr).toMatch(
        /failed after \d+ ms: HTTP 413 Payload Too Large: the receiver refused a body of 1\d\d KB \(a digest carries its chart inline\); let it accept 256 KB\n$/,
      );
    } finally {
      limited.closeAllConnections();
      await new Promise((r) => limited.close(r));
    }
  });

  test.each([
    [['webhook', 'list', '--digest'], /^goldratio webhook: --digest goes with webhook test\. Usage: goldratio webhook test <id> \[--digest\]\n$/],
    [['webhook', 'add', 'https://x.example/h', '--digest'], /--digest goes with webhook test/],
  ])('GIVEN %j THEN one line, exit 2', async (args, said) => {
    const r = await w.cli(...args);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(said);
  });
});
