/**
 * A ratio chart whose last close divides by an older gold price says so under the chart, as /ratio,
 * /power and the alerts do: on the real history (GOLDRATIO_HISTORY_DIR) the files' gold ends on
 * 2026-08-20 and the stocks on 2026-08-21, and Easter Monday 2025-04-21 had New York open and London
 * shut. The chart's corner read "Latest 1.698 (2026-08-21)" and nothing of the gold price under it.
 * Which gold day stands under a close is worked out here from the CSV files alone.
 */
import { afterEach, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChartService } from '../../src/charts/service.ts';
import { describeWithHistory, HISTORY_DIR, HISTORY_FILES, loadHistory } from '../helpers/history.ts';
import { tempStore, type Fixture } from '../helpers/charts-fixtures.ts';

/** The dates of a `date,close` file. */
const datesOf = (file: string): string[] =>
  readFileSync(join(HISTORY_DIR, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]!);

const fixtures: Fixture[] = [];
afterEach(() => fixtures.splice(0).forEach((f) => f.cleanup()));

async function chartsTo(day: string): Promise<ChartService> {
  const f = tempStore();
  fixtures.push(f);
  await loadHistory(f.store, '2024-01-01', day);
  return new ChartService(f.view, { now: () => Date.parse(`${day}T22:00:00Z`) + 86_400_000 });
}

describeWithHistory('the gold price under a ratio chart’s last close, on the real history', () => {
  const gold = datesOf(HISTORY_FILES.gold);
  const spx = datesOf(HISTORY_FILES.spx);
  /** The gold day the files have on or before `day`. */
  const goldOn = (day: string) => gold.filter((d) => d <= day).at(-1)!;

  test('the files: the stocks end a day after gold, and Easter Monday 2025 has a close but no fix', () => {
    expect([spx.at(-1), goldOn(spx.at(-1)!)]).toEqual(['2026-08-21', '2026-08-20']);
    expect([spx.includes('2025-04-21'), goldOn('2025-04-21')]).toEqual([true, '2025-04-17']);
    expect(goldOn('2025-04-22')).toBe('2025-04-22');
  });

  test.each([
    ['en', 'The ratio of 2026-08-21 uses the gold price of 2026-08-20, the latest at its close.'],
    ['zh-TW', '2026年8月21日的比率所用的金價為2026年8月20日的報價，是當日收盤時最新的一筆。'],
    ['zh-CN', '2026年8月21日的比率采用2026年8月20日的金价，即当日收盘时可获得的最新金价。'],
  ] as const)(
    'GIVEN the closes to 2026-08-21 THEN /chart, the digest panels and an alert chart say the gold day under the last close (%s)',
    async (lang, note) => {
      const charts = await chartsTo(spx.at(-1)!);
      for (const pair of ['spx-gold', 'qqq-gold'] as const) {
        const ratio = await charts.spec({ kind: 'ratio', pair, range: '1Y' }, { lang });
        expect(ratio.notes, pair).toContain(note);
      }
      expect((await charts.spec({ kind: 'digest' }, { lang })).notes).toContain(note);
      const alert = await charts.spec({ kind: 'alert', pair: 'spx-gold', levelId: 'spx-gold-2.5', date: '2026-08-21', value: 1.698 }, { lang });
      expect(alert.notes).toContain(note);
    },
  );

  test('GIVEN the closes to Easter Monday 2025 THEN the chart names Thursday’s fix; to the Tuesday after, with its own fix, nothing', async () => {
    const monday = await chartsTo('2025-04-21');
    expect((await monday.spec({ kind: 'ratio', pair: 'spx-gold', range: '6M' }, { lang: 'en' })).notes).toContain(
      `The ratio of 2025-04-21 uses the gold price of ${goldOn('2025-04-21')}, the latest at its close.`,
    );
    const tuesday = await chartsTo('2025-04-22');
    const notes = (await tuesday.spec({ kind: 'ratio', pair: 'spx-gold', range: '6M' }, { lang: 'en' })).notes;
    expect(notes.filter((n) => typeof n === 'string' && n.includes('gold price'))).toEqual([]);
  });

  test('GIVEN a window ending on Easter Monday in a longer history THEN its last shown close names the fix under it', async () => {
    const charts = await chartsTo('2025-06-30');
    const s = await charts.spec({ kind: 'ratio', pair: 'qqq-gold', range: '1Y', window: { from: '2025-01-02', to: '2025-04-21' } }, { lang: 'en' });
    expect(s.notes).toContain(`The ratio of 2025-04-21 uses the gold price of ${goldOn('2025-04-21')}, the latest at its close.`);
  });
});
