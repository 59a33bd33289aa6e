/**
 * `goldratio replay` on the real history (GOLDRATIO_HISTORY_DIR), in this process through the bin's
 * `main`, on a real SQLite file. The figures are the CSV's own closes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { QuoteStore } from '../../src/store/quotes.ts';
import { onSqlite } from '../../src/store/engine.ts';
import { describeWithHistory, loadHistory } from '../helpers/history.ts';
import { runCliInProcess } from '../helpers/cli.ts';

describeWithHistory('goldratio replay on the real history', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-replay-'));
    const db = openDatabase(join(dir, 'h.db'));
    await loadHistory(new QuoteStore(onSqlite(db)), '2008-01-01', '2009-12-31');
    db.close();
    env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('GIVEN QQQ/Gold 0.029984 on 2009-03-10 (27.33 / 911.50), approaching 0.03 from below THEN the line reads 0.02998, not 0.0300 (on the level), as the alert says it', async () => {
    const r = await runCliInProcess(['replay', '--from', '2009-03-01', '--to', '2009-03-12'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2009-03-10  QQQ/Gold  qqq-gold-0.03       approach up      0.02998\n');
    // Figures away from their level keep their usual digits.
    expect(r.stdout).toContain('2009-03-11  QQQ/Gold  qqq-gold-0.03       cross-up         0.0308\n');
  });
});
