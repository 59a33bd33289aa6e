/** The sources a chart's footer names: those of the closes over the dates it draws. */
import { expect, test } from 'vitest';
import { sourcesDrawn, type InstrumentSources } from '../../src/domain/source-spans.ts';

const spx: InstrumentSources = {
  instrument: 'spx',
  carryDays: 0,
  spans: [
    { source: 'yahoo', from: '2000-01-03', to: '2020-12-31' },
    { source: 'import:spx2.csv', from: '2021-01-04', to: '2021-01-08' },
    { source: 'yahoo', from: '2021-01-11', to: '2026-08-21' },
  ],
};
const gold: InstrumentSources = {
  instrument: 'gold',
  carryDays: 3,
  spans: [
    { source: 'lbma', from: '1999-01-04', to: '2000-08-29' },
    { source: 'yahoo', from: '2000-09-01', to: '2026-08-21' },
  ],
};

test.each([
  ['a span inside one run of each', '2007-01-01', '2009-12-31', ['yahoo']],
  ['a span across the imported week', '2020-06-01', '2021-06-01', ['yahoo', 'import:spx2.csv']],
  ['a span that starts on a Friday the first gold close of a source follows (carried in from lbma)', '2000-08-31', '2000-12-29', ['yahoo', 'lbma']],
  ['a span whose carried close is too old to count', '2000-09-05', '2000-12-29', ['yahoo']],
  ['a span before every close', '1990-01-01', '1990-12-31', []],
])('GIVEN %s THEN those sources, each once', (_name, from, to, expected) => {
  expect(sourcesDrawn([spx, gold], from, to)).toEqual(expected);
});
