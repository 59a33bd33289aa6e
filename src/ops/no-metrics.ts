/**
 * The Metrics of a process without the ops server (HTTP_PORT unset): every count is dropped, as
 * nobody can scrape it. It loads no prom-client (metrics.ts, loaded by main.ts only with the server).
 */
import type { Metrics } from './metrics.ts';

export function uncountedMetrics(): Metrics {
  const none = (): void => {};
  return {
    contentType: 'text/plain; charset=utf-8',
    quoteFetch: none,
    quoteCredit: none,
    eventsDecided: none,
    send: none,
    rateLimited: none,
    command: none,
    floodDropped: none,
    crosspost: none,
    chartRender: none,
    chartCacheHit: none,
    leader: none,
    databaseWaiting: none,
    watch: none,
    scrape: async () => '',
  };
}
