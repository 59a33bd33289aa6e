/**
 * grammY's `http` webhook adapter, with the two checks it lacks: a body cap (it buffers whatever
 * arrives: 150 MB of body took the process to 700 MB) and a body that is not JSON answered 400
 * (it rejected with a SyntaxError, which became a 500 and an error line). The secret is still
 * checked first by webhookCallback, before the body is read: without it, nothing is read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import { readCappedBody } from '../http-body.ts';

/** Telegram's updates are a few kB (a message is at most 4096 characters); 1 MiB is ample. */
export const WEBHOOK_BODY_MAX = 1024 * 1024;

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** The webhook's body was refused: `status` is the answer (413 too large, 400 not JSON). */
export class WebhookBodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookBodyError';
  }
}

async function readUpdate(req: IncomingMessage, max: number): Promise<Update> {
  const body = await readCappedBody(req, max, (why) => new WebhookBodyError(413, why));
  try {
    return JSON.parse(body.toString('utf8')) as Update;
  } catch {
    throw new WebhookBodyError(400, 'body is not JSON');
  }
}

/** The adapter for webhookCallback(bot, cappedHttp(max), …). */
export function cappedHttp(max: number = WEBHOOK_BODY_MAX) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers[SECRET_HEADER];
    return {
      get update() {
        return readUpdate(req, max);
      },
      // No header is no secret: an empty string never matches the configured one.
      header: (Array.isArray(header) ? header[0] : header) ?? '',
      end: () => res.end(),
      respond: (json: string) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(json),
      unauthorized: () => res.writeHead(401).end('secret token is wrong'),
    };
  };
}

/** Answers a refused body: 413 closes the connection (the rest of the body is not read). */
export function answerRefusedBody(res: ServerResponse, e: WebhookBodyError): void {
  if (res.headersSent) return;
  if (e.status === 413) res.writeHead(413, { connection: 'close', 'content-type': 'text/plain' }).end('payload too large\n');
  else res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON\n');
}
