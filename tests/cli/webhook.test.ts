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
