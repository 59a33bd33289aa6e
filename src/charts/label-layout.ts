/**
 * Where the overlay's labels go, as geometry only (no canvas): level labels spread apart and kept
 * off the data line, their own line and each other; a marker's label kept off the data beside it.
 */

/** Moves label centres apart so that no two are closer than `gap`, staying within [lo, hi]. */
export function spreadApart(ys: readonly number[], gap: number, lo: number, hi: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const out = order.map((o) => Math.min(Math.max(o.y, lo), hi));
  for (let k = 1; k < out.length; k++) out[k] = Math.max(out[k]!, out[k - 1]! + gap);
  const overflow = (out[out.length - 1] ?? lo) - hi;
  if (overflow > 0) {
    out[out.length - 1] = hi;
    for (let k = out.length - 2; k >= 0; k--) out[k] = Math.min(out[k]!, out[k + 1]! - gap);
  }
  const res = new Array<number>(ys.length);
  order.forEach((o, k) => (res[o.i] = out[k]!));
  return res;
}

/** A label's box as the overlay's textBox draws it: the text with 4 px either side, 3 px above and below. */
export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export function labelBox(x: number, y: number, width: number, align: 'left' | 'right', size = 13): Box {
  const left = align === 'left' ? x : x - width;
  return { left: left - 4, right: left + width + 4, top: y - size / 2 - 3, bottom: y + size / 2 + 3 };
}

const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * Whether the line through `points` (data units, ascending x, drawn straight between them in
 * pixels) passes through `box`. Only the points under the box are looked at: a binary search
 * finds the first.
 */
export function lineCrossesBox(
  points: readonly { readonly x: number; readonly y: number }[],
  box: Box,
  px: (v: number) => number,
  py: (v: number) => number,
): boolean {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const m = (lo + hi + 1) >> 1;
    if (px(points[m]!.x) <= box.left) lo = m;
    else hi = m - 1;
  }
  for (let k = lo; k < points.length - 1; k++) {
    const x0 = px(points[k]!.x);
    if (x0 >= box.right) break;
    const x1 = px(points[k + 1]!.x);
    if (x1 <= box.left) continue;
    const y0 = py(points[k]!.y);
    const y1 = py(points[k + 1]!.y);
    // The segment's part under the box, clipped to its left and right edges.
    const at = (xx: number) => (x1 === x0 ? y0 : y0 + ((y1 - y0) * (xx - x0)) / (x1 - x0));
    const ya = at(Math.max(x0, box.left));
    const yb = at(Math.min(x1, box.right));
    if (Math.max(ya, yb) > box.top && Math.min(ya, yb) < box.bottom) return true;
  }
  if (points.length === 1) {
    const x0 = px(points[0]!.x);
    const y0 = py(points[0]!.y);
    return x0 > box.left && x0 < box.right && y0 > box.top && y0 < box.bottom;
  }
  return false;
}

export interface PlacedLabel {
  readonly x: number;
  readonly y: number;
  readonly align: 'left' | 'right';
}

/** A level label's place and how many plotted points its box covers (0: none, though a segment may pass). */
export interface PlacedLevelLabel extends PlacedLabel {
  readonly covers: number;
}

/**
 * How many of `points` (data units, ascending x) fall inside `box` in pixels, at least 1 when the
 * line between them passes through it: what a label drawn there hides of the data.
 */
export function pointsUnder(
  points: readonly { readonly x: number; readonly y: number }[],
  box: Box,
  px: (v: number) => number,
  py: (v: number) => number,
): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (px(points[m]!.x) <= box.left) lo = m + 1;
    else hi = m;
  }
  let n = 0;
  for (let k = lo; k < points.length; k++) {
    const x = px(points[k]!.x);
    if (x >= box.right) break;
    const y = py(points[k]!.y);
    if (y > box.top && y < box.bottom) n++;
  }
  return n === 0 && lineCrossesBox(points, box, px, py) ? 1 : n;
}

/**
 * Where each level label goes: its spread-apart row above its line on the preferred side; where
 * the data line runs through it there, or the row covers the label's own line (pushed down off
 * the era names, or by a close level's label: the line then seems to stop short of the axis),
 * the other side (when `mayswitch`), then just under its line on either side. A place
 * overlapping a label already placed is never taken; when no place is clean, one that hides no
 * data, then the one covering the fewest plotted points (`covered`: a line along its level, MAX
 * near 2.5, an alert chart at its level), either side even when not `mayswitch` (`covered` counts
 * a marker heavily, so its label finds room after), one leaving its own line in view first among equals.
 * Each place says how many points it covers: a label over data is drawn see-through.
 *
 * `lines` are the rows of every level line and zone edge drawn: a place crossing one other than the
 * label's own (a chat's own level 8 px from an essay's, the essay's label across its dotted line)
 * hides it. A clean place (no data, off its own line) crossing none is taken first; where the four
 * places all cross one, the label is nudged to just above or under a line near its own (within
 * NUDGE_REACH px), the nearest such place first; where none of those is clean either, a place further
 * along its own line, inward from its side (`along`). Where there is no room, the first rule stands.
 */
export function placeLabels(
  labels: readonly { readonly width: number; readonly y: number; readonly line: number }[],
  area: Box,
  side: 'left' | 'right',
  mayswitch: boolean,
  covered: (box: Box) => number,
  lines: readonly number[] = [],
): PlacedLevelLabel[] {
  const at = (s: 'left' | 'right', y: number): PlacedLabel => ({ x: s === 'left' ? area.left + 10 : area.right - 10, y, align: s });
  const other = side === 'left' ? 'right' : 'left';
  const taken: Box[] = [];
  const across = (b: Box, row: number) => b.top < row + 1 && b.bottom > row - 1;
  return labels.map((l) => {
    // Just under the line, as the row is just above it.
    const under = Math.min(l.line + 11, area.bottom);
    // Held to its side (beside a marker, whose label has the other), a label covering data there
    // still goes to the other side when that covers less.
    const all = [at(side, l.y), at(other, l.y), at(side, under), at(other, under)];
    const places = mayswitch ? all : [all[0]!, all[2]!, all[1]!, all[3]!];
    const boxOf = (pl: PlacedLabel) => labelBox(pl.x, pl.y, l.width, pl.align);
    const onLine = (pl: PlacedLabel) => across(boxOf(pl), l.line);
    const others = lines.filter((row) => Math.abs(row - l.line) >= 1);
    const crossesOther = (pl: PlacedLabel) => others.some((row) => across(boxOf(pl), row));
    const isFree = (pl: PlacedLabel) => !taken.some((b) => overlaps(b, boxOf(pl)));
    const free = places.filter(isFree).map((pl) => ({ ...pl, covers: covered(boxOf(pl)) }));
    // Among equals, one leaving the other lines in view, then its own.
    const worse = (a: PlacedLevelLabel, b: PlacedLevelLabel) =>
      a.covers !== b.covers ? a.covers > b.covers : crossesOther(a) !== crossesOther(b) ? crossesOther(a) : onLine(a) && !onLine(b);
    const fewest = free.reduce<PlacedLevelLabel | undefined>((best, pl) => (best === undefined || worse(best, pl) ? pl : best), undefined);
    const first = mayswitch ? free : free.filter((pl) => pl.align === side);
    const clean = (pl: PlacedLevelLabel) => pl.covers === 0 && !onLine(pl);
    const chosen = first.find((pl) => clean(pl) && !crossesOther(pl)) ??
      nudged(l.line, others, area)
        .flatMap((y) => [at(side, y), at(other, y)].filter((pl) => mayswitch || pl.align === side))
        .filter(isFree)
        .map((pl) => ({ ...pl, covers: covered(boxOf(pl)) }))
        .find((pl) => clean(pl) && !crossesOther(pl)) ??
      along(l, side, mayswitch ? other : side, under, area)
        .filter(isFree)
        .map((pl) => ({ ...pl, covers: covered(boxOf(pl)) }))
        .find((pl) => clean(pl) && !crossesOther(pl)) ??
      first.find(clean) ??
      first.find((pl) => pl.covers === 0 && !crossesOther(pl)) ??
      first.find((pl) => pl.covers === 0) ??
      fewest ?? { ...places[0]!, covers: covered(boxOf(places[0]!)) };
    taken.push(boxOf(chosen));
    return chosen;
  });
}

/** The step (px) between the places along a level's line, inward from the plot's sides. */
const ALONG_STEP = 24;

/**
 * Places along the label's own line, inward from `side` (then from `other`), above it then under
 * it: where both ends of the line are crowded (the power chart's base = 100, where every line starts
 * at the left and several end near it at the right), a stretch of the line with no data over it
 * still carries its label.
 */
function along(l: { readonly width: number; readonly y: number }, side: 'left' | 'right', other: 'left' | 'right', under: number, area: Box): PlacedLabel[] {
  const out: PlacedLabel[] = [];
  for (const s of side === other ? [side] : [side, other])
    for (let d = ALONG_STEP; 10 + d + l.width <= area.right - area.left - 10; d += ALONG_STEP)
      for (const y of [l.y, under]) out.push(s === 'left' ? { x: area.left + 10 + d, y, align: 'left' } : { x: area.right - 10 - d, y, align: 'right' });
  return out;
}

/** How far (px, centre to line) a label may be nudged from its line to keep off another: near enough to read as its line's. */
export const NUDGE_REACH = 32;

/**
 * The rows a label may be nudged to: just above or under (11 px, as its own row is) each other
 * line near its own, inside `area`, the nearest to its own line first.
 */
function nudged(line: number, others: readonly number[], area: Box): number[] {
  return others
    .flatMap((row) => [row - 11, row + 11])
    .filter((y) => Math.abs(y - line) <= NUDGE_REACH && y >= area.top && y <= area.bottom)
    .sort((a, b) => Math.abs(a - line) - Math.abs(b - line));
}

/**
 * Where a marker's label goes (14 px): beside the marker, above or below it as `first` says; where
 * that hides the data line, the other row, the other side, then rows further out (up to 96 px). A place must
 * lie inside `area` and clear of `taken` (the level labels, the level lines, the marker itself);
 * when none is clean of the data, the first that is clear of `taken` still; when none is, `first`.
 */
export function placeMarkerLabel(
  px: number,
  py: number,
  width: number,
  first: PlacedLabel,
  area: Box,
  taken: readonly Box[],
  crosses: (box: Box) => boolean,
): PlacedLabel {
  // Further out in steps of a row: between two close level lines near the marker (0.25 and a
  // chat's 0.26) the nearer rows all run along one.
  const rows = [24, 48, 72, 96].flatMap((d) => (first.y < py ? [py - d, py + d + 2] : [py + d + 2, py - d]));
  const sides = [first.align, first.align === 'left' ? 'right' : 'left'] as const;
  const at = (align: 'left' | 'right', y: number): PlacedLabel => ({ x: align === 'left' ? px + 12 : px - 12, y, align });
  const places = [...rows.slice(0, 2).flatMap((y) => sides.map((s) => at(s, y))), ...rows.slice(2).flatMap((y) => sides.map((s) => at(s, y)))];
  const fits = (b: Box) => b.left >= area.left && b.right <= area.right && b.top >= area.top && b.bottom <= area.bottom;
  const clear = places.filter((pl) => {
    const b = labelBox(pl.x, pl.y, width, pl.align, 14);
    return fits(b) && !taken.some((t) => overlaps(t, b));
  });
  return clear.find((pl) => !crosses(labelBox(pl.x, pl.y, width, pl.align, 14))) ?? clear[0] ?? first;
}
