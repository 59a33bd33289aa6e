/**
 * Whether a failed Discord request got no answer at all (the network's or Discord's failure, not
 * ours): the connection refused, reset or timed out, the name not resolving, a TLS handshake
 * failed, undici's socket and timeout errors, an abort (@discordjs/rest aborts a request after its `timeout`). Looked for
 * through `cause` and an AggregateError's errors: Node's fetch (the chart uploads) rejects with
 * `TypeError: fetch failed` whose cause is the socket's error, and a host with several addresses
 * fails with an AggregateError of each. A TypeError or RangeError of our own has no such cause: it
 * is a bug, which retrying for a day would only hide.
 */
const NO_ANSWER_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  // This host out of local ports, or a TLS handshake that failed (a proxy in the way, a certificate
  // not trusted): every request fails alike, the platform's or the network's failure, not a chat's.
  'EADDRNOTAVAIL',
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** OpenSSL's and Node's TLS failures (`ERR_SSL_WRONG_VERSION_NUMBER`, `ERR_TLS_CERT_ALTNAME_INVALID`). */
const TLS_CODE = /^ERR_(?:SSL|TLS)_/;

/** undici's codes that say the request we made was wrong, not that the network failed. */
const UNDICI_OURS: ReadonlySet<string> = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_INVALID_RETURN_VALUE',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

export function noAnswer(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (NO_ANSWER_CODES.has(code) || TLS_CODE.test(code) || (code.startsWith('UND_ERR_') && !UNDICI_OURS.has(code)))) return true;
  if (err instanceof AggregateError && err.errors.some((e) => noAnswer(e, depth + 1))) return true;
  return noAnswer(err.cause, depth + 1);
}

/** The error and its causes in one line ("fetch failed: other side closed"), without a stack. */
export function causeLine(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e !== undefined && e !== null && i < 5; i++) {
    const message = e instanceof Error ? e.message || ((e as { code?: unknown }).code as string | undefined) || e.name : String(e);
    if (message !== '' && !parts.includes(message)) parts.push(message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}
