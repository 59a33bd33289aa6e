/**
 * Retry-After (RFC 9110 §10.2.3) read strictly: delta-seconds, or an HTTP-date in one of the three
 * forms HTTP allows (IMF-fixdate, RFC 850, asctime). Anything else is no value, so the caller's own
 * backoff applies. Date.parse is not used: it reads "-5" or "1 2" as dates in 2001, which are past,
 * and an unreadable value would then mean "retry now" instead of the default wait. Shared by the
 * quote sources (market/http.ts) and the webhook notifier.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';

/** Sun, 06 Nov 1994 08:49:37 GMT */
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`, 'i');
/** Sunday, 06-Nov-94 08:49:37 GMT */
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`, 'i');
/** Sun Nov  6 08:49:37 1994 */
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/** Epoch ms of a real instant, or undefined when a field is out of range (31 Feb, 25:00). */
function instant(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mi = MONTHS.indexOf(month.toLowerCase());
  if (mi < 0 || h > 23 || m > 59 || s > 60) return undefined;
  const at = Date.UTC(year, mi, day, h, m, Math.min(s, 59));
  return new Date(at).getUTCDate() === day ? at : undefined;
}

/** An HTTP-date as epoch ms; undefined when the text is not one. `nowMs` places RFC 850's two-digit year. */
export function parseHttpDate(text: string, nowMs: number): number | undefined {
  let r = IMF_FIXDATE.exec(text);
  if (r !== null) return instant(Number(r[3]), r[2] ?? '', Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6]));
  r = RFC_850.exec(text);
  if (r !== null) {
    // RFC 9110: a two-digit year more than 50 years in the future is the past century's.
    const yy = Number(r[3]);
    const year = 2000 + yy > new Date(nowMs).getUTCFullYear() + 50 ? 1900 + yy : 2000 + yy;
    return instant(year, r[2] ?? '', Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6]));
  }
  r = ASCTIME.exec(text);
  if (r !== null) return instant(Number(r[6]), r[1] ?? '', Number((r[2] ?? '').trim()), Number(r[3]), Number(r[4]), Number(r[5]));
  return undefined;
}

/**
 * Retry-After as milliseconds from `nowMs`: delta seconds (a fraction taken too, as Discord sends)
 * or an HTTP-date (a past one is 0). Undefined when absent, empty or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? '';
  // An empty value is no value (Number('') is 0: "now").
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const at = parseHttpDate(text, nowMs);
  return at === undefined ? undefined : Math.max(0, at - nowMs);
}
