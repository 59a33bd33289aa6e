/**
 * The HTTP call under the Discord budget (budget.ts `MakeRequest`): undici's `request`, its answer
 * handed back as a web `Response`, which is what @discordjs/rest and the budget read. Node's fetch
 * costs about twice the CPU per request (its WHATWG request, body streams and clones); at the
 * notifier's pace that was the largest part of a send (bench/discord.ts).
 *
 * A FormData body (a chart upload) still goes through Node's fetch: it reads its own FormData and
 * hands the dispatcher only bytes (client.ts restOptions). @discordjs/rest's own `dispatcher` (an
 * undici 6 agent, when one is set) is not passed on: undici 7's global dispatcher is used.
 */
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import type { MakeRequest } from './budget.ts';

/** Statuses whose answer has no body (a web Response refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

export const discordRequest: MakeRequest = async (url, init) => {
  const body = init.body ?? null;
  if (body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) return fetch(url, init);
  const method = (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod;
  const res = await request(url, {
    method,
    headers: plainHeaders(init.headers),
    body,
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const empty = NO_BODY.has(res.statusCode) || method === 'HEAD';
  const bytes = empty ? null : new Uint8Array(await res.body.arrayBuffer());
  if (empty) await res.body.dump();
  return new Response(bytes, { status: res.statusCode, statusText: STATUS_CODES[res.statusCode] ?? '', headers: headerPairs(res.headers) });
};

function plainHeaders(h: RequestInit['headers']): Record<string, string> {
  if (h === undefined) return {};
  if (h instanceof Headers || Array.isArray(h)) return Object.fromEntries(new Headers(h));
  return h as Record<string, string>;
}

function headerPairs(h: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(h)) {
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}
