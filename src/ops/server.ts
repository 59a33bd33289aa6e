/**
 * The operations HTTP server (HTTP_PORT; off when unset): GET /livez (the process answers),
 * GET /readyz (this replica can serve: 200 "ready", with a `warning:` line per freshness reason, or
 * 503 with the reasons), GET /freshz (the data is fresh: 200 "fresh" or 503 with why not, for
 * alerting, never for a probe that takes replicas out of service), GET /metrics (Prometheus text format).
 * GET /healthz is /livez under the name load balancers and older probes ask for.
 * On PostgreSQL it listens from the start of start's wait for the server (main.ts): /livez is 200
 * then, saying so, and /readyz 503 naming what it waits for; a liveness probe does not restart a
 * process that is only waiting.
 * Every answer comes within PROBE_BOUND_MS (bound.ts), whatever the database does: what it has not
 * answered by then is said as such (readiness.ts), or left empty (metrics.ts).
 * Listens on HTTP_HOST, 127.0.0.1 by default: metrics are not for the open internet.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import type { Metrics } from './metrics.ts';
import type { Readiness } from './readiness.ts';
import { PROBE_BOUND_MS } from './bound.ts';

export interface OpsServer {
  /** The bound port (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** HTTP_PORT cannot be bound (in use, not allowed, HTTP_HOST not local): one line naming the variables. */
export class OpsListenError extends Error {
  constructor(host: string, port: number, cause: NodeJS.ErrnoException) {
    const why =
      cause.code === 'EADDRINUSE'
        ? 'the port is already in use (another goldratio, or another program): pick another HTTP_PORT, or stop that one'
        : cause.code === 'EACCES'
          ? 'not allowed (ports below 1024 need privileges): pick another HTTP_PORT'
          : cause.code === 'EADDRNOTAVAIL'
            ? 'HTTP_HOST is not an address of this machine'
            : (cause.code ?? cause.message);
    super(`cannot listen on HTTP_PORT ${port} (HTTP_HOST ${host}): ${why}`, { cause });
    this.name = 'OpsListenError';
  }
}

export async function startOpsServer(o: {
  host: string;
  port: number;
  metrics: Metrics;
  readiness: Readiness;
  log: Logger;
  /** This replica's role, said by /readyz ('leader' or 'standby'; a healthy standby is ready too). */
  role?: () => string | undefined;
  /** A line about the role, said right after /readyz's first (a leader that keeps its lead with a platform's token refused). */
  roleNote?: () => string | undefined;
  /** What the live process is doing besides running, said after /livez's "ok" (e.g. waiting for PostgreSQL). */
  live?: () => string | undefined;
}): Promise<OpsServer> {
  const live = async () => {
    const doing = o.live?.();
    return { status: 200, type: 'text/plain; charset=utf-8', body: doing === undefined ? 'ok\n' : `ok: ${doing}\n` };
  };
  const text = (status: number, lines: readonly string[]) => ({ status, type: 'text/plain; charset=utf-8', body: `${lines.join('\n')}\n` });
  const routes: Record<string, () => Promise<{ status: number; type: string; body: string }>> = {
    '/livez': live,
    '/healthz': live,
    '/readyz': async () => {
      const r = o.role?.();
      const role = r === undefined ? '' : ` (${r})`;
      const e = await o.readiness.evaluate();
      // Stale data is said, for whoever reads the body, but does not make the replica unready.
      const warnings = e.warnings.map((w) => `warning: ${w}`);
      const note = r === undefined ? undefined : o.roleNote?.();
      // Not said twice: a replica older than the schema cannot lead for the reason its database check gives.
      const told = note !== undefined && e.reasons.some((reason) => note.endsWith(reason.slice(reason.indexOf(': ') + 2)));
      const about = note === undefined || told ? [] : [`${r}: ${note}`];
      return e.ready ? text(200, [`ready${role}`, ...about, ...warnings]) : text(503, [`not ready${role}`, ...about, ...e.reasons, ...warnings]);
    },
    '/freshz': async () => {
      const e = await o.readiness.evaluate({ freshnessOnly: true });
      return e.fresh ? text(200, ['fresh']) : text(503, ['not fresh', ...e.staleness]);
    },
    '/metrics': async () => ({ status: 200, type: o.metrics.contentType, body: await o.metrics.scrape() }),
  };
  let closing = false;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (route === undefined) {
      // A path guessed (/health, /status): the ones there are, so the probe is fixed at once. The path
      // is said as typed, cut short: it is the asker's own, and this is plain text, never HTML.
      const said = path.length > 60 ? `${path.slice(0, 60)}…` : path;
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`not found: ${said}; the paths are /livez (or /healthz), /readyz, /freshz and /metrics\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    route().then(
      (r) =>
        res
          // Closing: the connection goes with this answer, not kept alive for a next request.
          .writeHead(r.status, { 'content-type': r.type, 'cache-control': 'no-store', ...(closing ? { connection: 'close' } : {}) })
          .end(req.method === 'HEAD' ? undefined : r.body),
      (e: unknown) => {
        o.log.error(`${path} failed`, { error: String(e) });
        if (!res.headersSent) res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new OpsListenError(o.host, o.port, e)));
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  o.log.info(`ops server on http://${o.host}:${port} (/livez /healthz /readyz /freshz /metrics)`);
  return {
    port,
    // A request in flight is answered (within PROBE_BOUND_MS: a probe during the stop reads its 503),
    // not cut off; new ones are refused. A connection still open past the bound is cut.
    close: () =>
      new Promise<void>((resolve) => {
        closing = true;
        const cut = setTimeout(() => server.closeAllConnections(), PROBE_BOUND_MS + 200);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
