/**
 * Discord's Interactions Endpoint (DISCORD_PUBLIC_KEY): one POST route, INTERACTIONS_PATH on
 * DISCORD_INTERACTIONS_PORT, that every replica serves behind the load balancer. Discord signs
 * each request (signature.ts); a missing or wrong signature is 401 (Discord sends such requests on
 * purpose when the URL is saved in the Developer Portal, and refuses a URL that accepts them). A
 * PING is answered PONG here; any other interaction goes to `answer`, whose first response is the
 * HTTP answer (http-interactions.ts).
 *
 * A stale timestamp is refused too (401): the signature covers it, so without a window a request
 * captured once could be replayed for ever and run its command again. Five minutes either way
 * keeps out replays while a server clock a little off still works; a refusal for the clock is
 * logged with the skew, since every command then fails until the clock is fixed. Inside the
 * window, a replica answers one interaction id once (client.ts answeredOnce): a replay to the same
 * replica is left unanswered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log.ts';
import { INTERACTION, RESPONSE, type InteractionResponse } from './first-responses.ts';
import { interactionKey, signedByDiscord } from './signature.ts';
import { readCappedBody } from '../http-body.ts';

/** The route the Developer Portal's "Interactions Endpoint URL" points at (behind the load balancer). */
export const INTERACTIONS_PATH = '/discord/interactions';
/** An interaction is a few kB (a component's carries its message: embeds up to 6,000 characters); 256 KiB is ample. */
export const INTERACTION_BODY_MAX = 256 * 1024;
/** On stop, how long answers in flight may take to finish (Discord gives up after 3 s). */
export const CLOSE_GRACE_MS = 3_000;
/** How far X-Signature-Timestamp may be from this machine's clock, in seconds. */
export const TIMESTAMP_WINDOW_S = 300;

/** The parts of an interaction the endpoint reads; the rest goes to `answer` as Discord sent it. */
export interface RawInteraction {
  readonly id: string;
  readonly type: number;
  readonly token: string;
  readonly [key: string]: unknown;
}

export interface EndpointOptions {
  /** DISCORD_PUBLIC_KEY: 64 hex characters (config.ts checked them). */
  readonly publicKey: string;
  /** 0: any free port (tests). */
  readonly port: number;
  readonly log: Logger;
  /** The first response to a verified interaction (not a PING); undefined leaves it unanswered, as the gateway path does. */
  readonly answer: (interaction: RawInteraction) => Promise<InteractionResponse | undefined>;
  /** The wall clock the timestamps are compared with. */
  readonly now?: () => number;
  readonly bodyMax?: number;
}

export interface InteractionsEndpoint {
  /** The bound port. */
  readonly port: number;
  /**
   * Takes no more requests, lets the answers in flight finish (a replica leaving during a
   * deploy: the load balancer sends the next ones elsewhere) for up to `graceMs`, then closes.
   */
  close(graceMs?: number): Promise<void>;
}

/** The port cannot be bound: one line naming the variable. */
export class EndpointListenError extends Error {
  override name = 'EndpointListenError';
  constructor(port: number, cause: NodeJS.ErrnoException) {
    const why = cause.code === 'EADDRINUSE' ? 'the port is already in use' : cause.code === 'EACCES' ? 'not allowed' : (cause.code ?? cause.message);
    super(`cannot listen on DISCORD_INTERACTIONS_PORT ${port} (${why})`, { cause });
  }
}

class Refusal extends Error {
  constructor(
    readonly status: 400 | 401 | 413,
    message: string,
  ) {
    super(message);
  }
}

export async function startInteractionsEndpoint(o: EndpointOptions): Promise<InteractionsEndpoint> {
  const key = interactionKey(o.publicKey);
  const now = o.now ?? Date.now;
  const max = o.bodyMax ?? INTERACTION_BODY_MAX;
  let lastClockWarning = Number.NEGATIVE_INFINITY;

  /** The verified interaction, or a Refusal saying which answer it gets. */
  async function verified(req: IncomingMessage): Promise<RawInteraction> {
    const signature = header(req, 'x-signature-ed25519');
    const timestamp = header(req, 'x-signature-timestamp');
    // Unsigned: nothing is read.
    if (signature === undefined || timestamp === undefined) throw new Refusal(401, 'missing signature');
    const body = await readBody(req, max);
    if (!signedByDiscord(key, signature, timestamp, body)) throw new Refusal(401, 'invalid request signature');
    const skew = Math.abs(now() / 1000 - Number(timestamp));
    if (!(skew <= TIMESTAMP_WINDOW_S)) {
      if (now() - lastClockWarning > 60_000) {
        lastClockWarning = now();
        o.log.warn(
          `refused a signed interaction ${Number.isFinite(skew) ? `${Math.floor(skew)} s` : ''} away from this machine's clock (at most ${TIMESTAMP_WINDOW_S} s): a replay, or this clock is wrong (check NTP)`,
        );
      }
      throw new Refusal(401, 'stale timestamp');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new Refusal(400, 'body is not JSON');
    }
    const i = parsed as Partial<RawInteraction> | null;
    if (typeof i !== 'object' || i === null || typeof i.type !== 'number' || typeof i.id !== 'string' || typeof i.token !== 'string') {
      throw new Refusal(400, 'not an interaction (no id, type and token)');
    }
    return i as RawInteraction;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://x').pathname !== INTERACTIONS_PATH) return text(res, 404, 'not found');
    if (req.method !== 'POST') return text(res, 405, 'method not allowed', { allow: 'POST' });
    let interaction: RawInteraction;
    try {
      interaction = await verified(req);
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      // 401 and 413 are anyone's (Discord's own checks send 401s on purpose); a 400 was signed by Discord.
      o.log[err.status === 400 ? 'warn' : 'debug'](`interaction refused (${err.status}): ${err.message}`);
      return text(res, err.status, err.message, err.status === 413 ? { connection: 'close' } : {});
    }
    if (interaction.type === INTERACTION.PING) return json(res, { type: RESPONSE.PONG });
    const first = await o.answer(interaction);
    // Unanswered (a flood-limited user, an interaction type goldratio has no use for): Discord says the app did not respond.
    if (first === undefined) return void res.writeHead(204).end();
    json(res, first);
  }

  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch((err: unknown) => {
        o.log.error('interaction endpoint failed', { error: String(err) });
        if (!res.headersSent) res.writeHead(500).end();
      })
      .finally(() => {
        if (--inFlight === 0) drained?.();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new EndpointListenError(o.port, e)));
    server.listen(o.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async (graceMs = CLOSE_GRACE_MS) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return readCappedBody(req, max, (why) => new Refusal(413, why));
}

function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(`${body}\n`);
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
