import type { HttpError } from 'grammy';
import { oneLine } from '../../one-line.ts';

/**
 * Why grammY's request got no answer, in one line: the socket's reason (`connect ECONNREFUSED
 * 127.0.0.1:443`, `socket hang up`), else its code, else its message. grammY's own message ("Network
 * request for 'sendMessage' failed!") says none of it. A bot token in a request's URL is cut out
 * (`/bot…/`), whoever's it is.
 */
export function httpErrorWhy(e: HttpError): string {
  const inner = e.error instanceof Error ? e.error : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code;
  const why = (inner && /reason: (.*)$/.exec(inner.message)?.[1]) ?? (typeof code === 'string' ? code : (inner?.message ?? 'no answer'));
  return oneLine(why).replace(/\/bot\d+:[\w-]+/g, '/bot…');
}
