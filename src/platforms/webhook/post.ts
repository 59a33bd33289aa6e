/**
 * One POST to a webhook receiver over node:http/https with keep-alive agents: redirects are never
 * followed (node:http does not), the exchange has a deadline until the status line comes, and the
 * answer's body is drained and dropped (within that deadline, or the connection is closed). Not fetch: on this path node:http is about four times quicker per request
 * (measured while writing bench/webhooks.ts), and a broadcast is thousands of them.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 256 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }) };

export class PostTimeout extends Error {
  override name = 'PostTimeout';
}

export interface PostAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

export function post(url: URL, body: Buffer | string, headers: Record<string, string>, timeoutMs: number): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      { method: 'POST', agent: secure ? agents.https : agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        // The answer is its status line: a 200 whose body is slow or never ends has delivered, and
        // waiting for that body would fail the delivery and post it again. The body is drained (the
        // connection is kept for the next POST) until the deadline, which closes the connection.
        resolve({ status: res.statusCode ?? 0, headers: res.headers });
        res.resume();
        res.on('end', () => clearTimeout(timer));
        res.on('error', () => clearTimeout(timer));
      },
    );
    const timer = setTimeout(() => req.destroy(new PostTimeout(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}
