/** A dated value. Dates are ISO calendar days, `YYYY-MM-DD`, in the instrument's own market. */
export interface Point {
  readonly date: string;
  readonly value: number;
}

/** The last point on or before `date` in an ascending series (binary search). */
export function pointOnOrBefore(series: readonly Point[], date: string): Point | undefined {
  let lo = 0;
  let hi = series.length - 1;
  let found: Point | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = series[mid]!;
    if (p.date <= date) {
      found = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export type { CloseRow } from './close-row.ts';

/** A result that is either a value or a clear, user-facing reason why not. */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = string>(error: E): Result<never, E> => ({ ok: false, error });
