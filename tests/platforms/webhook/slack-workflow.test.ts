/**
 * Slack Workflow Builder webhooks (`hooks.slack.com/workflows/…`, `/triggers/…`) start a workflow
 * with a flat JSON of string variables and refuse an incoming-webhook message: they are sent those
 * variables (`slack-workflow`), and `--format slack` to one is refused at `webhook add`.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { onSqlite } from '../../../src/store/engine.ts';
import { OutboxStore } from '../../../src/store/outbox.ts';
import { formatForUrl, sentFormat } from '../../../src/platforms/webhook/url.ts';
import type { WorkflowPayload } from '../../../src/platforms/webhook/payload.ts';
import { seedEvent } from '../../helpers/telegram-harness.ts';
import { hookWorld, type HookWorld } from '../../helpers/webhook-world.ts';
import { addWithSubscription } from '../../../src/store/webhooks.ts';
import { WEBHOOK_DIGEST } from '../../../src/cli/webhook.ts';
import { startApp } from '../../../src/main.ts';
import { loadConfig } from '../../../src/config.ts';
import { memoryLogger } from '../../../src/log.ts';
import { sourcesAt } from '../../helpers/sources.ts';

let w: HookWorld;
beforeEach(async () => {
  w = await hookWorld();
});
afterEach(async () => {
  await w.close();
});

const KEYS = ['kind', 'lang', 'message_id', 'title', 'body', 'text', 'tone', 'data'];

describe('which addresses are Slack workflows', () => {
  test.each([
    ['https://hooks.slack.com/workflows/T0001/A0002/3333/s3cret', 'slack-workflow'],
    ['https://hooks.slack.com/triggers/T0001/3333/s3cret', 'slack-workflow'],
    ['https://HOOKS.slack.com/triggers/T0001/3333/s3cret', 'slack-workflow'],
    ['https://hooks.slack-gov.com/triggers/T0001/3333/s3cret', 'slack-workflow'],
    ['https://hooks.slack.com/services/T0001/B0002/s3cret', 'slack'],
    ['https://example.com/triggers/T0001/3333/s3cret', 'json'],
  ])('GIVEN %s THEN %s', (url, format) => {
    expect(formatForUrl(new URL(url))).toBe(format);
  });

  test('GIVEN a workflow address stored as `slack` (before they were told apart) THEN it is sent as slack-workflow; an incoming webhook stays slack', () => {
    expect(sentFormat({ format: 'slack', url: 'https://hooks.slack.com/triggers/T0/1/s' })).toBe('slack-workflow');
    expect(sentFormat({ format: 'slack', url: 'https://hooks.slack.com/services/T0/B0/s' })).toBe('slack');
    expect(sentFormat({ format: 'json', url: 'https://hooks.slack.com/triggers/T0/1/s' })).toBe('json');
  });
});

describe('`webhook add` of a Slack workflow', () => {
  test('GIVEN the address alone THEN it is slack-workflow, read from the address, and listed so', async () => {
    const r = await w.cli('webhook', 'add', 'https://hooks.slack.com/triggers/T0001/3333/s3cret');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^added webhook wh_[0-9a-f]+: slack-workflow \(read from the address; --format json to send goldratio's own\), en, /m);
    expect(r.stdout).not.toContain('signing secret');
    expect((await w.cli('webhook', 'list')).stdout).toMatch(/^wh_[0-9a-f]+ {2}slack-workflow en +active/m);
  });

  test('GIVEN --format slack THEN one line says why it would be refused and what to use, exit 2, nothing stored', async () => {
    const r = await w.cli('webhook', 'add', 'https://hooks.slack.com/workflows/T0001/A0002/3333/s3cret', '--format', 'slack');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      "goldratio webhook: https://hooks.slack.com/workflows/T… is a Slack Workflow Builder webhook, which takes a workflow's variables, not a Slack message: leave out --format (it is read from the address as slack-workflow; the variables are in docs/webhook.md), or use an incoming webhook (https://hooks.slack.com/services/…) for --format slack",
    ]);
    expect(r.stderr).not.toContain('s3cret');
    expect((await w.cli('webhook', 'list')).stdout).toMatch(/no webhooks/);
  });

  test('GIVEN an unknown --format THEN the four are named', async () => {
    const r = await w.cli('webhook', 'add', 'https://example.com/x', '--format', 'teams');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('goldratio webhook: --format must be json, slack, slack-workflow or discord, got "teams"');
  });
});

describe('what a Slack workflow gets', () => {
  test('GIVEN an alert, a digest and `webhook test` THEN each is one POST of the same flat keys, every value a string, unsigned', async () => {
    const { id } = await w.add('/workflow', '--format', 'slack-workflow', '--lang', 'zh-TW');
    await seedEvent(w.world, [{ platform: 'webhook', chatId: id }]);
    const sub = (await w.world.deps.subs.get('webhook', id))!;
    await new OutboxStore(onSqlite(w.world.db)).enqueue('digest', { title: 'Digest', lines: ['both ratios', 'a second line'] }, [sub.id]);
    expect(await w.dispatcher(w.notifier()).drain()).toMatchObject({ sent: 2 });
    expect((await w.cli('webhook', 'test', id)).code).toBe(0);
    const got = w.rx.at('/workflow');
    expect(got).toHaveLength(3);
    const bodies = got.map((r) => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>);
    for (const [i, b] of bodies.entries()) {
      expect(Object.keys(b)).toEqual(KEYS);
      for (const v of Object.values(b)) expect(typeof v).toBe('string');
      expect(got[i]?.headers['content-type']).toBe('application/json');
      expect(got[i]?.headers['webhook-signature']).toBeUndefined();
    }
    const [alert, digest, probe] = bodies as unknown as [WorkflowPayload, WorkflowPayload, WorkflowPayload];
    expect(alert).toMatchObject({ kind: 'alert', lang: 'zh-TW', title: '標普500/黃金跌破 2.5：目前 1.830', tone: 'down' });
    expect(alert.text.startsWith(`${alert.title}\n${alert.body}`)).toBe(true);
    expect(JSON.parse(alert.data)).toMatchObject({ type: 'level', pair: 'spx-gold', level: 2.5, event: 'cross-down' });
    expect(digest).toEqual({
      kind: 'digest',
      lang: 'zh-TW',
      message_id: expect.any(String),
      title: 'Digest',
      body: 'both ratios\na second line',
      text: 'Digest\nboth ratios\na second line',
      tone: '',
      data: '',
    });
    expect(probe).toMatchObject({ kind: 'test' });
    expect(JSON.parse(probe.data)).toMatchObject({ test: true });
  });
});

describe('a workflow address stored as `slack` by a goldratio before workflows were told apart', () => {
  async function storeOld(): Promise<{ id: string; incoming: string }> {
    const db = onSqlite(w.world.db);
    const id = 'wh_00000000aaaa';
    const incoming = 'wh_00000000bbbb';
    const url = 'https://hooks.slack.com/triggers/T0001/3333/s3cretOfTheWorkflow';
    await addWithSubscription(db, w.world.deps.subs, { id, url, format: 'slack', secret: 's'.repeat(64), createdAt: 1 }, 'en', WEBHOOK_DIGEST);
    const services = 'https://hooks.slack.com/services/T0001/B0002/s3cretOfTheIncoming';
    await addWithSubscription(
      db,
      w.world.deps.subs,
      { id: incoming, url: services, format: 'slack', secret: 's'.repeat(64), createdAt: 2 },
      'en',
      WEBHOOK_DIGEST,
    );
    return { id, incoming };
  }

  test('GIVEN one THEN `webhook list` marks it (and --json says storedAsSlack) with the commands that store it so; an incoming webhook is not marked', async () => {
    const { id, incoming } = await storeOld();
    const lines = (await w.cli('webhook', 'list')).stdout.split('\n');
    expect(lines.find((l) => l.startsWith(id))).toContain(
      `STORED AS slack (a Slack workflow's address, added before workflows were told apart; sent as slack-workflow): to store it so, copy its address from the workflow's trigger in Slack (goldratio shows it only shortened), then goldratio webhook remove ${id}, then goldratio webhook add <its address>`,
    );
    expect(lines.find((l) => l.startsWith(incoming))).not.toContain('STORED AS');
    expect(lines.join('\n')).not.toContain('s3cretOf');
    const listed = JSON.parse((await w.cli('webhook', 'list', '--json')).stdout) as { id: string; format: string; storedAsSlack: boolean }[];
    expect(listed.map((h) => [h.id, h.format, h.storedAsSlack])).toEqual([
      [id, 'slack-workflow', true],
      [incoming, 'slack', false],
    ]);
  });

  test('GIVEN one WHEN goldratio starts THEN one warning names it by id (never its address) and the commands that fix it; those commands do', async () => {
    const { id, incoming } = await storeOld();
    const log = memoryLogger('info');
    const app = await startApp(
      loadConfig({
        DATABASE_PATH: w.world.config.databasePath,
        DATA_DIR: w.world.config.dataDir,
        CHART_WORKERS: '0',
        ...sourcesAt(),
        HTTP_RETRIES: '0',
      }),
      log,
      { out: () => {}, skipInitialSync: true },
    );
    try {
      await app.ready;
      expect(log.lines.filter((l) => l.includes(id))).toEqual([
        expect.stringMatching(
          new RegExp(
            `WARN .*webhook ${id}: a Slack Workflow Builder address stored as slack, which takes a workflow's variables, not a Slack message: it is sent them \\(slack-workflow, docs/webhook.md\\); store it so: copy its address from the workflow's trigger in Slack \\(goldratio shows it only shortened\\), then \`goldratio webhook remove ${id}\` \\(its pending messages are given up\\), then \`goldratio webhook add <its address>\` \\(the format is read from the address\\)`,
          ),
        ),
      ]);
      expect(log.lines.filter((l) => l.includes(incoming))).toEqual([]);
      expect(log.lines.join('\n')).not.toContain('s3cretOf');
    } finally {
      await app.stop();
    }
    // What it says to do: the address added again is stored as slack-workflow, and no longer marked.
    expect((await w.cli('webhook', 'remove', id)).code).toBe(0);
    const added = await w.cli('webhook', 'add', 'https://hooks.slack.com/triggers/T0001/3333/s3cretOfTheWorkflow');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(': slack-workflow (read from the address');
    expect((await w.cli('webhook', 'list')).stdout).not.toContain('STORED AS');
  });
});
