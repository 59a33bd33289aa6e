/**
 * `goldratio replay` on the real history (GOLDRATIO_HISTORY_DIR), in this process through the bin's
 * `main`, on a real SQLite file. The figures are the CSV's own closes.
 */
import { expect, test } from 'vitest';
import { describeWithHistory } from '../helpers/history.ts';
import { historyDatabase, runCliInProcess } from '../helpers/cli.ts';

describeWithHistory('goldratio replay on the real history', () => {
  const history = historyDatabase('2008-01-01', '2009-12-31');

  test('GIVEN QQQ/Gold 0.029984 on 2009-03-10 (27.33 / 911.50), approaching 0.03 from below THEN the line reads 0.02998, not 0.0300 (on the level), as the alert says it', async () => {
    const r = await runCliInProcess(['replay', '--from', '2009-03-01', '--to', '2009-03-12'], history.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2009-03-10  QQQ/Gold  qqq-gold-0.03       approach up      0.02998\n');
    // Figures away from their level keep their usual digits.
    expect(r.stdout).toContain('2009-03-11  QQQ/Gold  qqq-gold-0.03       cross-up         0.0308\n');
  });
});
