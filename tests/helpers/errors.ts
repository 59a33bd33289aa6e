import { expect } from 'vitest';
import { QuoteSourceError } from '../../src/market/errors.ts';

/** Awaits a promise that must reject with a QuoteSourceError, and returns that error. */
export async function failure(p: Promise<unknown>): Promise<QuoteSourceError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(QuoteSourceError);
  return e as QuoteSourceError;
}
