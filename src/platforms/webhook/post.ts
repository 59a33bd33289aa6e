/**
 * One POST to a webhook receiver over node:http/https with keep-alive agents: redirects are never
 * followed (node:http does not), the exchange has a deadline until the status line comes, and the
 * answer's body is drained and dropped (within that deadline, or the connection is closed; a Slack or
 * Discord hook's 2xx first has its first bytes read, `okBody`, for accepted.ts). Not fetch: on this path node:http is about four times quicker per request
 * (measured while writing bench/webhooks.ts), and a broadcast is thousands of them.
 * A refusal (4xx but 429) or a server's error (5xx) keeps its first KB of body: Slack and Discord
 * say there whether the hook is gone for good (`no_service`, `{"code":10015}`), and a proxy's error
 * page names what failed in its title (nginx's `502 Bad Gateway`, Cloudflare's `example.com | 522:
 * Connection timed out`).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { WebhookFormat } from '../../store/webhooks.ts';
import { htmlTitle, plainLine } from './receiver-words.ts';

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

/** How much of a refusal's body is kept: Slack's and Discord's error bodies are a few dozen bytes. */
const REFUSAL_BODY_BYTES = 1024;

export class PostTimeout extends Error {
  override name = 'PostTimeout';
}

export interface PostAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** A refusal's (4xx but 429) or a server error's (5xx) first KB of body, as text; '' for any other answer. */
  readonly body: string;
  /**
   * Asked with `okBody`: a 2xx's first bytes (OK_BODY_BYTES), once its body ended or filled them
   * (Slack's `ok`, a captive portal's login page); undefined when it had not by the deadline.
   */
  readonly okBody?: string;
}

/** How much of a 2xx's body is read when asked: Slack's `ok` and the start of a page that is not Slack. */
const OK_BODY_BYTES = 512;

const keepsBody = (status: number): boolean => status >= 400 && status < 600 && status !== 429;

/** Errors of a POST written on a kept-alive connection the receiver had closed meanwhile, before any answer. */
const stale = new WeakSet<object>();

/**
 * A receiver closes an idle kept-alive connection when it likes (nginx after 75 s, a load balancer
 * after 60, often without saying so in a Keep-Alive header): a POST written on it just then meets
 * a reset before any answer, which the receiver never read. That POST goes again (within the same
 * deadline), as Node's docs advise for `request.reusedSocket`, instead of counting as the
 * receiver's failure and waiting 5 s. Once, and on a new connection of its own: the pool's other
 * idle connections may be closed alike (a broadcast left several), and a receiver that read the
 * POST before resetting (which no client can tell from one that did not) would be posted to once
 * per idle connection.
 */
export async function post(
  url: URL,
  body: Buffer | string,
  headers: Record<string, string>,
  timeoutMs: number,
  o: { readonly okBody?: boolean } = {},
): Promise<PostAnswer> {
  const deadline = Date.now() + timeoutMs;
  try {
    return await postOnce(url, body, headers, timeoutMs, timeoutMs, o.okBody === true, false);
  } catch (e) {
    if (!stale.has(e as object) || Date.now() >= deadline) throw e;
  }
  return postOnce(url, body, headers, Math.max(1, deadline - Date.now()), timeoutMs, o.okBody === true, true);
}

/**
 * Reads the first `limit` bytes of `res`'s body: `done(text, true)` once they are in or the body
 * has ended, `done(text, false)` with what came on an error or at the deadline (the function
 * returned, for the timer). Once.
 */
function readHead(res: IncomingMessage, limit: number, timer: NodeJS.Timeout, done: (text: string, whole: boolean) => void): () => void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  const finish = (whole: boolean) => {
    if (over) return;
    over = true;
    done(Buffer.concat(chunks).subarray(0, limit).toString('utf8'), whole);
  };
  res.on('data', (c: Buffer) => {
    if (size < limit) chunks.push(c);
    size += c.length;
    if (size >= limit) finish(true);
  });
  res.on('end', () => {
    clearTimeout(timer);
    finish(true);
  });
  res.on('error', () => {
    clearTimeout(timer);
    finish(false);
  });
  return () => finish(false);
}

/** `fresh`: on a connection of its own, not one the pool kept (closed when the answer ends). */
function postOnce(
  url: URL,
  body: Buffer | string,
  headers: Record<string, string>,
  timeoutMs: number,
  sayMs: number,
  okBody: boolean,
  fresh: boolean,
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const secure = url.protocol === 'https:';
    let answered: (() => void) | undefined;
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: fresh ? false : secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        responded = true;
        const status = res.statusCode ?? 0;
        if (okBody && status >= 200 && status < 300) {
          // A Slack or Discord hook's 2xx: its first bytes say whether Slack or Discord answered (`ok`,
          // 204, JSON) or a page in their place. A body that has not ended by the deadline keeps the
          // rule above (delivered on the status; waiting would post it again): okBody left undefined.
          answered = readHead(res, OK_BODY_BYTES, timer, (text, whole) => {
            if (!whole) return resolve({ status, headers: res.headers, body: '' });
            // The rest drained until the deadline, which closes an endless one (as any 2xx's).
            resolve({ status, headers: res.headers, body: '', okBody: text });
            res.resume();
          });
          return;
        }
        if (!keepsBody(status)) {
          // The answer is its status line: a 200 whose body is slow or never ends has delivered, and
          // waiting for that body would fail the delivery and post it again. The body is drained (the
          // connection is kept for the next POST) until the deadline, which closes the connection.
          resolve({ status, headers: res.headers, body: '' });
          res.resume();
          res.on('end', () => clearTimeout(timer));
          res.on('error', () => clearTimeout(timer));
          return;
        }
        // A refusal: its first KB is read, until the body ends, the KB is full or the deadline comes.
        answered = readHead(res, REFUSAL_BODY_BYTES, timer, (text) => resolve({ status, headers: res.headers, body: text }));
      },
    );
    const timer = setTimeout(() => {
      // A refusal whose body is slow is still that refusal, with what came of its body.
      answered?.();
      req.destroy(new PostTimeout(`no answer within ${Math.round(sayMs / 1000)} s`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      const code = (e as NodeJS.ErrnoException).code;
      if (req.reusedSocket && !responded && !(e instanceof PostTimeout) && (code === 'ECONNRESET' || code === 'EPIPE')) stale.add(e);
      reject(e);
    });
    req.end(body);
  });
}

/** The most of a refusal's words shown (`webhook test`, `webhook list`, the log): a sentence, not a page. */
const SAID_CHARS = 200;

/**
 * What a refusal's body says, as one short line for the operator, or '' when it says nothing
 * readable: Discord's `{"message": "…", "code": 220001}` as `Discord 220001: …`, another JSON
 * error's `message` or `error`, a plain-text code (Slack's `invalid_blocks`) as it is, an HTML
 * page by its title (its entities decoded). The receiver's text: control and bidirectional
 * characters dropped (receiver-words.ts), the hook's address (its token, in the path or the query)
 * never repeated.
 */
export function refusalSaid(body: string, url: URL, format: WebhookFormat): string {
  let text = body.trim();
  if (text === '') return '';
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      const message = typeof o.message === 'string' ? o.message : typeof o.error === 'string' ? o.error : undefined;
      if (message === undefined) return '';
      const code = typeof o.code === 'number' || typeof o.code === 'string' ? String(o.code) : '';
      text = code === '' ? message : format === 'discord' ? `Discord ${code}: ${message}` : `${message} (code ${code})`;
    }
  } catch {
    // An error page's title is HTML: `Bad Gateway &amp; co` reads `Bad Gateway & co`.
    if (text.startsWith('<')) text = htmlTitle(text);
  }
  for (const secret of [url.pathname.length > 12 ? url.pathname : '', url.search, url.password].filter((x) => x.length > 1))
    text = text.replaceAll(secret, '…');
  // One plain line, cut between code points (never inside an emoji's surrogate pair).
  return plainLine(text, SAID_CHARS);
}
