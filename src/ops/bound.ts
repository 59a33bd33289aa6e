/**
 * How long a probe or a scrape waits for what it asks the store (or a platform): the ops server's
 * answers are bounded in time, however the database behaves.
 *
 * A database on a silent network (the query sent, nothing back) used to keep /readyz, /freshz and
 * /metrics pending for ever: Kubernetes' probe gave up after its timeoutSeconds (1 s by default)
 * and Prometheus' scrape after its scrape_timeout, but our request stayed open, one more at every
 * probe period. Under that bound instead, a check that has not answered is a reason ("no answer
 * within 0.8 s"), a gauge that has not is left empty, and the answer goes out before the default
 * probe timeout of 1 s gives up on it. It is the probes' own bound, shorter than (and independent
 * of) any deadline the store's pool puts on its queries.
 */
export const PROBE_BOUND_MS = 800;

/** "0.8 s": the bound as the reasons say it. */
export function boundText(ms: number): string {
  return `${ms / 1000} s`;
}

/**
 * `ask` with one call in flight at a time: a call made while an earlier one has not settled gets
 * that one's answer instead of asking again. Not a cache: once it has settled the next call asks
 * anew. Probes and scrapes arriving together then cost one query, and a query the database never
 * answers is one query left waiting, not one more at every probe.
 */
export function oneInFlight<T>(ask: () => T | Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending !== undefined) return pending;
    const p = (async () => ask())();
    pending = p;
    const done = () => {
      if (pending === p) pending = undefined;
    };
    p.then(done, done);
    return p;
  };
}
