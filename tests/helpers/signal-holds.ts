import { getEventListeners } from 'node:events';

/** What an AbortSignal still holds for others: its 'abort' listeners and (Node's own) the signals AbortSignal.any made of it. */
export function signalHolds(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find((k) => k.description === 'kDependantSignals');
  const set = dependants === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants];
  return getEventListeners(signal, 'abort').length + (set?.size ?? 0);
}
