/**
 * edgePadding: the room beside the x axis for its outermost label. Checked as geometry: with the
 * padding it gives, the plot narrows by it (the tick moving with the plot, as Chart.js lays it
 * out), and the label centred on the tick starts exactly SIDE_MARGIN from the edge, or further when
 * the tick needs no room.
 */
import { describe, expect, test } from 'vitest';
import { SIDE_MARGIN, edgePadding } from '../../src/charts/axis.ts';

/** Where the label starts once the axis [0, axis] is padded by `pad` on the tick's side. */
const labelStart = (at: number, label: number, axis: number, pad: number) => pad + at * (axis - pad) - label / 2;

describe('edgePadding', () => {
  test.each([
    ['a tick on the axis’s first day (a YTD chart’s 1 January)', 0, 62, 1100],
    ['a tick 1% in with a long label', 0.01, 90, 1100],
    ['a tick 3% in with a short label', 0.03, 20, 1100],
    ['a tick halfway, on a narrow axis', 0.5, 40, 60],
  ])('GIVEN %s THEN its label starts at least SIDE_MARGIN from the edge', (_, at, label, axis) => {
    const pad = edgePadding(at, label, axis);
    expect(pad).toBeGreaterThanOrEqual(0);
    const start = labelStart(at, label, axis, pad);
    if (pad > 0) expect(start).toBeCloseTo(SIDE_MARGIN, 9);
    else expect(start).toBeGreaterThanOrEqual(SIDE_MARGIN);
  });

  test('GIVEN a tick far enough in THEN no room is asked', () => {
    expect(edgePadding(0.2, 62, 1100)).toBe(0);
    expect(labelStart(0.2, 62, 1100, 0)).toBeGreaterThan(SIDE_MARGIN);
  });

  test('GIVEN the tick at the axis’s other end THEN no room is asked on this side (no division by zero)', () => {
    expect(edgePadding(1, 62, 1100)).toBe(0);
  });

  test('GIVEN a wider label THEN more room, and a margin of its own is kept', () => {
    expect(edgePadding(0, 80, 1100)).toBeGreaterThan(edgePadding(0, 40, 1100));
    expect(labelStart(0, 40, 1100, edgePadding(0, 40, 1100, 8))).toBeCloseTo(8, 9);
  });
});
