/**
 * What a sync that waits on its quote sources says once, right after the first of them fails or is
 * slow (http.ts agenda): every source it will wait on, in the order it asks them, with what each is
 * asked for, and by when it has said how all of them fared. A first start without network named
 * yahoo alone, then said nothing for the 20 s of yahoo's retries: a newcomer read it as stuck.
 */
import type { InstrumentId } from '../domain/instruments.ts';
import { waitSaid } from '../domain/retry-span.ts';
import type { SourceChains } from './failover.ts';
import { WAIT_NOTICE_EVERY_MS } from './http.ts';

/**
 * The line for a sync of `instruments` that began at `startMs`, each request to a source taking at
 * most `requestMs` (its tries all timing out, and the backoffs between them): the instruments are
 * synced one after the other, each through its chain of sources until one answers.
 */
export function waitAgenda(instruments: readonly InstrumentId[], chains: SourceChains, startMs: number, requestMs: number, nowMs: number): string | undefined {
  const asked = new Map<string, InstrumentId[]>();
  let requests = 0;
  for (const i of instruments) {
    for (const s of chains[i]) {
      requests += 1;
      const list = asked.get(s.name);
      if (list === undefined) asked.set(s.name, [i]);
      else list.push(i);
    }
  }
  if (asked.size === 0) return undefined;
  const [first, ...rest] = [...asked].map(([source, list]) => `${source} (${list.join(', ')})`);
  const end = Math.ceil((startMs + requests * requestMs) / 1000) * 1000;
  return `waiting on ${first}${rest.length > 0 ? `, then ${rest.join(', ')}` : ''}: more is said as each is tried, about every ${waitSaid(WAIT_NOTICE_EVERY_MS)} while one keeps failing, and when the sync ends, by ${new Date(end).toISOString()} (in ${waitSaid(Math.max(0, end - nowMs))}) at the latest, should every try time out`;
}
