/**
 * A POST that got no answer, as one line for the log, `webhook list` and outbox.last_error: Node's
 * network errors name their code ("connect ECONNREFUSED 127.0.0.1:9", "getaddrinfo ENOTFOUND
 * hooks.example.com"), but a TLS failure carries OpenSSL's error stack ("write EPROTO 80…:error:
 * 0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/…c:350:\n"), a
 * newline included, which broke `webhook list`'s line and told an operator nothing. That becomes
 * `EPROTO: TLS handshake failed (wrong version number); the server answered something other than
 * TLS: plain HTTP? try http://`; a certificate Node refused says so with
 * its code (`TLS certificate refused: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)`).
 */
import { plainLine } from './receiver-words.ts';

/** Node's codes for a certificate it refused (tls.ts of Node: X509 verification, and the host name check). */
const CERT = /^(?:CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(?:GET|VERIFY|DECRYPT)_|ERR_TLS_CERT_)/;

/** An error from a POST that got no answer (not a PostTimeout), as one plain line. */
export function networkWords(err: NodeJS.ErrnoException): string {
  const code = err.code;
  const ssl = /:error:[0-9A-Fa-f]+:SSL routines:[^:]*:([^:]+):/.exec(err.message);
  // OpenSSL's "wrong version number" is an answer that is no TLS at all: most often an address
  // written https:// whose server speaks plain HTTP (an operator's typo the bare words did not show).
  const plain = ssl?.[1] === 'wrong version number' ? '; the server answered something other than TLS: plain HTTP? try http://' : '';
  if (ssl !== null) return plainLine(`${code ?? 'TLS'}: TLS handshake failed (${ssl[1]})${plain}`, 300);
  // Node 24 adds its advice to the reason ("self-signed certificate; if the root CA is installed
  // locally, try running Node.js with --use-system-ca"): the line keeps the reason, as on Node 20.
  if (code !== undefined && CERT.test(code)) return plainLine(`TLS certificate refused: ${err.message.split('; ')[0]} (${code})`, 300);
  // Node's network errors already name their code ("connect ECONNREFUSED 127.0.0.1:9").
  return plainLine(code === undefined || err.message.includes(code) ? err.message : `${code} ${err.message}`, 300);
}
