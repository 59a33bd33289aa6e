/** Where the real-history tests find their data, and what they do without it. */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HISTORY_FILES, historyLocation } from './helpers/history.ts';

describe('the real history location', () => {
  const root = mkdtempSync(join(tmpdir(), 'goldratio-history-loc-'));
  const full = join(root, 'full');
  mkdirSync(full);
  for (const f of Object.values(HISTORY_FILES)) writeFileSync(join(full, f), 'date,close\n');
  const partial = join(root, 'partial');
  mkdirSync(partial);
  writeFileSync(join(partial, HISTORY_FILES.spx), 'date,close\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test.each([
    ['unset: ../shared/market-history from the project root', {}, join(root, 'project', '../shared/market-history'), false, 'skip'],
    ['an absolute folder with every file', { GOLDRATIO_HISTORY_DIR: full }, full, true, 'run'],
    ['a relative folder, from the project root', { GOLDRATIO_HISTORY_DIR: '../full' }, full, true, 'run'],
    ['a folder missing some files', { GOLDRATIO_HISTORY_DIR: partial }, partial, false, 'skip'],
    ['a missing folder under CI', { GOLDRATIO_HISTORY_DIR: join(root, 'nope'), CI: 'true' }, join(root, 'nope'), false, 'fail'],
    ['the folder present under CI', { GOLDRATIO_HISTORY_DIR: full, CI: 'true' }, full, true, 'run'],
  ] as const)('GIVEN %s THEN found or not, and the tests run, skip or fail', (_what, env, dir, present, mode) => {
    expect(historyLocation(env, join(root, 'project'))).toEqual({ dir: join(dir), present, mode });
  });
});
