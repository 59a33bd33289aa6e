/** A dated value. Dates are ISO calendar days, `YYYY-MM-DD`, in the instrument's own market. */
export interface Point {
  readonly date: string;
  readonly value: number;
}

export type { CloseRow } from './close-row.ts';

/** A result that is either a value or a clear, user-facing reason why not. */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = string>(error: E): Result<never, E> => ({ ok: false, error });
