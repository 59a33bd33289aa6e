/** `--lang` as operators type it: the codes of a locale (zh_TW, zh-Hant), the words the chat's /lang takes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.ts';
import { LANGS } from '../../src/domain/i18n/langs.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-lang-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = () => ({ DATA_DIR: dir, DATABASE_PATH: join(dir, 'g.db') });

describe('--lang', () => {
  test.each([
    ['zh_TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['tw', 'zh-TW'],
    ['zh_CN', 'zh-CN'],
    ['zh-hans', 'zh-CN'],
    ['EN', 'en'],
  ])('GIVEN webhook add --lang %s THEN the hook speaks %s', async (typed, lang) => {
    // One address per hook: a second hook on an address is refused.
    const r = await runCliInProcess(['webhook', 'add', `https://example.com/${typed}`, '--lang', typed], env());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(new RegExp(`^added webhook wh_[0-9a-f]+: json, ${lang}, https://example\\.com/${typed}$`));
  });

  test('GIVEN --lang fr THEN one line naming the languages, exit 2, no hook added', async () => {
    const r = await runCliInProcess(['webhook', 'add', 'https://example.com/other', '--lang', 'fr'], env());
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `goldratio webhook: --lang must be one of ${LANGS.join(', ')}, got "fr"\n`]);
    const list = await runCliInProcess(['webhook', 'list'], env());
    expect(list.stdout).not.toMatch(/example\.com\/other/);
  });
});
