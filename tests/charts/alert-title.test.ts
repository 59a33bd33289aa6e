import { describe, expect, test } from 'vitest';
import { alertTitleKey } from '../../src/charts/spec-alert.ts';
import { levelById } from '../../src/domain/levels.ts';
import { t } from '../../src/domain/i18n/index.ts';

const ZONE = levelById('spx-gold-0.6-0.7')!;
const LINE = levelById('spx-gold-2.5')!;
const series = (before: number) => [{ date: '2011-08-05', value: before }];

describe('the alert chart title says what happened', () => {
  test.each([
    ['a zone entered from above (2011-08-08)', ZONE, 0.72, 0.6546, undefined, 'SPX/Gold fell into the 0.6–0.7 zone'],
    ['a zone entered from below', ZONE, 0.58, 0.62, undefined, 'SPX/Gold rose into the 0.6–0.7 zone'],
    ['a zone left downward', ZONE, 0.61, 0.5985, undefined, 'SPX/Gold fell below the 0.6–0.7 zone'],
    ['a zone left upward', ZONE, 0.69, 0.73, undefined, 'SPX/Gold rose above the 0.6–0.7 zone'],
    ['a line broken downward', LINE, 2.53, 2.459, undefined, 'SPX/Gold broke below 2.5'],
    ['a line broken upward', LINE, 2.47, 2.53, undefined, 'SPX/Gold broke above 2.5'],
    ['an approach from below', LINE, 2.3, 2.44, 'approach', 'SPX/Gold nears 2.5 from below'],
    ['the event named, whatever the data says', LINE, 2.4, 2.45, 'cross-down', 'SPX/Gold broke below 2.5'],
  ] as const)('GIVEN %s THEN the title reads right', (_name, level, before, value, event, expected) => {
    const key = alertTitleKey({ series: series(before), level, date: '2011-08-08', value, ...(event ? { event } : {}) });
    expect(t('en', key, { pair: 'SPX/Gold', level: level.high > level.low ? '0.6–0.7' : '2.5' })).toBe(expected);
    expect(t('zh-TW', key)).not.toBe(key);
  });
});
