/** `goldratio webhook list` where the database cannot be: the path's fault, not "add one". */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-webhook-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('webhook list with DATA_DIR naming a file', () => {
  test('GIVEN DATA_DIR is a file THEN the line says a part of the path is a file, as every other command does, not "add one"', async () => {
    const file = join(dir, 'spx.csv');
    writeFileSync(file, 'date,close\n');
    // Run from the temp folder: a checkout where `npm start` has run holds data/goldratio.db, which the
    // CLI would (rightly) point out instead.
    const r = await runCliInProcess(['webhook', 'list'], { DATA_DIR: file }, { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      `goldratio webhook: database ${file}/goldratio.db (DATA_DIR): a part of the path is a file, not a folder\n`,
    ]);
  });

  test('GIVEN no database yet in a folder that can hold one THEN it says there are no webhooks yet', async () => {
    const r = await runCliInProcess(['webhook', 'list'], { DATA_DIR: dir }, { cwd: dir });
    expect([r.code, r.stderr]).toEqual([
      2,
      `goldratio webhook: no database at ${dir}/goldratio.db (DATA_DIR), so no webhooks yet: add one with goldratio webhook add <https-url>\n`,
    ]);
  });
});

describe('webhook list --json, for an operator scripting hundreds of hooks', () => {
  test('GIVEN two hooks, one failing THEN --json lists each with its state and last answer, the address shortened, never a password or token', async () => {
    const env = { DATA_DIR: dir, DATABASE_PATH: join(dir, 'json.db') };
    const add = async (...args: string[]) => {
      const r = await runCliInProcess(['webhook', 'add', ...args], env, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return /added webhook (wh_[0-9a-f]+)/.exec(r.stdout)?.[1];
    };
    const signed = await add('https://alice:pa55word@hooks.example.net/in?token=tok3n');
    const slack = await add('https://hooks.slack.com/services/T0/B0/sl4cksecret', '--lang', 'zh-TW');
    // Nothing listens on port 9: the test fails, and the list says so.
    const down = await add('http://127.0.0.1:9/down');
    expect((await runCliInProcess(['webhook', 'test', down!], env, { cwd: dir })).code).toBe(1);
    const r = await runCliInProcess(['webhook', 'list', '--json'], env, { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    for (const secret of ['pa55word', 'tok3n', 'sl4cksecret']) expect(r.stdout).not.toContain(secret);
    const hooks = JSON.parse(r.stdout);
    expect(hooks).toEqual([
      {
        id: signed,
        format: 'json',
        storedAsSlack: false,
        lang: 'en',
        active: true,
        deactivatedReason: null,
        deactivatedAt: null,
        refusal: null,
        address: 'https://***@hooks.example.net/in?…',
        addressTooLong: false,
        failures: 0,
        lastStatus: null,
        lastError: null,
        lastAt: null,
        lastRefused: null,
        previousSecretUntil: null,
        keptMessages: 0,
        failingSince: null,
        nextTryAt: null,
        deactivatedIfFailingAt: null,
        givenUpAloneIfRefusedAt: null,
        waitingBehind: 0,
        failingLastError: null,
      },
      {
        id: slack,
        format: 'slack',
        storedAsSlack: false,
        lang: 'zh-TW',
        active: true,
        deactivatedReason: null,
        deactivatedAt: null,
        refusal: null,
        address: 'https://hooks.slack.com/services/T0…',
        addressTooLong: false,
        failures: 0,
        lastStatus: null,
        lastError: null,
        lastAt: null,
        lastRefused: null,
        previousSecretUntil: null,
        keptMessages: 0,
        failingSince: null,
        nextTryAt: null,
        deactivatedIfFailingAt: null,
        givenUpAloneIfRefusedAt: null,
        waitingBehind: 0,
        failingLastError: null,
      },
      {
        id: down,
        format: 'json',
        storedAsSlack: false,
        lang: 'en',
        active: true,
        deactivatedReason: null,
        deactivatedAt: null,
        refusal: null,
        address: 'http://127.0.0.1:9/down',
        addressTooLong: false,
        failures: 0,
        lastStatus: 0,
        lastError: 'connect ECONNREFUSED 127.0.0.1:9',
        lastAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        lastRefused: null,
        previousSecretUntil: null,
        keptMessages: 0,
        failingSince: null,
        nextTryAt: null,
        deactivatedIfFailingAt: null,
        givenUpAloneIfRefusedAt: null,
        waitingBehind: 0,
        failingLastError: null,
      },
    ]);
  });

  test.each([['remove'], ['test'], ['add']])('GIVEN --json with webhook %s THEN one line says it goes with webhook list, exit 2', async (verb) => {
    const r = await runCliInProcess(['webhook', verb, 'wh_x', '--json'], { DATA_DIR: dir }, { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'goldratio webhook: --json goes with webhook list. Usage: goldratio webhook list [--json]\n']);
  });
});

describe('webhook add --format as people type it', () => {
  test.each([
    ['JSON', 'json'],
    ['Slack', 'slack'],
    [' discord ', 'discord'],
  ])('GIVEN --format %j THEN it is read as %s, as --lang reads zh-tw', async (typed, format) => {
    const env = { DATA_DIR: dir, DATABASE_PATH: join(dir, `format-${format}.db`) };
    const r = await runCliInProcess(['webhook', 'add', `https://hooks.example.net/${format}`, '--format', typed], env, { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^added webhook wh_[0-9a-f]+: ${format}, en, `));
  });
});

describe('an address whose host is written in another script', () => {
  test.each([
    ['zh-TW', 'https://bücher.example/hook', 'https://xn--bcher-kva.example/hook (bücher.example)'],
    ['zh-CN', 'https://例子.测试/hook', 'https://xn--fsqu00a.xn--0zwm56d/hook (例子.测试)'],
  ])('GIVEN %s and %s THEN add and list show the ASCII host sent to, and the host as typed beside it', async (lang, url, shown) => {
    const env = { DATA_DIR: dir, DATABASE_PATH: join(dir, `idn-${lang}.db`) };
    const add = await runCliInProcess(['webhook', 'add', url, '--lang', lang], env, { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`json, ${lang}, ${shown}\n`);
    const list = await runCliInProcess(['webhook', 'list'], env, { cwd: dir });
    expect(list.stdout).toContain(`active  ${shown}  never sent`);
    // The JSON keeps the address alone, for scripts.
    const json = JSON.parse((await runCliInProcess(['webhook', 'list', '--json'], env, { cwd: dir })).stdout) as { address: string }[];
    expect(json[0]?.address).toBe(shown.replace(/ \(.*\)$/, ''));
  });

  test('GIVEN an ASCII host THEN nothing is added beside it', async () => {
    const env = { DATA_DIR: dir, DATABASE_PATH: join(dir, 'idn-ascii.db') };
    const add = await runCliInProcess(['webhook', 'add', 'https://example.com/hook'], env, { cwd: dir });
    expect(add.stdout).toContain('json, en, https://example.com/hook\n');
  });
});

describe('webhook test --digest before any close is stored', () => {
  test('GIVEN a hook in a database with no closes THEN --digest says there is no digest yet and how to load the closes, one line, exit 2, nothing posted', async () => {
    const env = { DATA_DIR: dir, DATABASE_PATH: join(dir, 'empty-digest.db') };
    // Nothing listens on port 9: a POST would fail with exit 1, not this line.
    const added = await runCliInProcess(['webhook', 'add', 'http://127.0.0.1:9/h'], env, { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    const id = /added webhook (wh_[0-9a-f]+)/.exec(added.stdout)![1]!;
    const r = await runCliInProcess(['webhook', 'test', id, '--digest'], env, { cwd: dir });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'goldratio webhook: no digest to send yet: no closes of both ratios are stored (goldratio backfill loads them)\n',
    ]);
  });
});
