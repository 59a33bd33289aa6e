/**
 * What is wrong with a PostgreSQL connection URL (DATABASE_URL, copy-data's --to), said so that the
 * operator can fix it without seeing it printed: the URL holds a password, so a message names the
 * part at fault (the scheme, the port, a character the password must percent-encode), never the
 * URL itself.
 */

/** The characters a user or password must write percent-encoded in a URL, each with its code. */
const ENCODE = '@ %40, : %3A, / %2F, ? %3F, # %23, % %25';

/**
 * undefined when `url` is a postgres:// (or postgresql://) URL that names a host and a database;
 * else why not, in a phrase for after "DATABASE_URL: ".
 */
export function postgresUrlProblem(url: string): string | undefined {
  const shape = 'postgres://user:password@host:port/database';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  if (scheme === undefined) return `expected a ${shape} URL (it does not start with postgres://)`;
  if (!/^postgres(ql)?$/i.test(scheme)) return `expected a ${shape} URL, not a ${scheme}: one (the scheme is postgres:// or postgresql://)`;
  if (!url.slice(scheme.length + 1).startsWith('//')) return `expected a ${shape} URL (${scheme}: is followed by //)`;
  const rest = url.slice(scheme.length + 3);
  // The authority ends at the first /, ? or #; a password holding one of them cuts it short there.
  const authority = /^[^/?#]*/.exec(rest)?.[0] ?? '';
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // A / ? or # in the password: the host part ends there, and an @ comes after it.
    if (rest.slice(authority.length).includes('@'))
      return `not a URL as written: a / ? or # in the user or password ends the host part early; write those characters percent-encoded (${ENCODE})`;
    const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
    if (hostPort === '' || hostPort.startsWith(':')) return `names no host (${shape})`;
    const port = /:([^:\]]*)$/.exec(hostPort)?.[1];
    if (port !== undefined && /^\d+$/.test(port)) return `the port ${port} is not a port (1 to 65535)`;
    if (port !== undefined) return `the port after the host is not a number (${shape})`;
    return `not a URL as written (${shape}); in the user or password write ${ENCODE}`;
  }
  if (u.hash !== '') return `a # ends the URL there, so the rest is not read; a # in the password is written %23`;
  try {
    decodeURIComponent(u.username);
    decodeURIComponent(u.password);
  } catch {
    return `the user or password holds a % that is not a percent-encoded character; a % itself is written %25`;
  }
  if (u.hostname === '') return `names no host (${shape})`;
  const database = u.pathname.replace(/^\//, '');
  if (database === '')
    return `names no database: end it with /<database>, the one made for goldratio (createdb goldratio); without one the server would use the database named after the user, often the server's own "postgres"`;
  return optionProblem(u.searchParams);
}

/**
 * The URL's options that take a number, as libpq's documentation and the pg driver read them:
 * connect_timeout in seconds, the others in milliseconds. The driver reads none of them strictly
 * (`abc` goes as NaN: no bound at all, or a server's refusal at the first connection far from the
 * URL), so a value that is no whole number is said here, naming the option.
 */
const NUMBER_OPTIONS: Readonly<Record<string, string>> = {
  connect_timeout: 'seconds',
  statement_timeout: 'milliseconds',
  lock_timeout: 'milliseconds',
  idle_in_transaction_session_timeout: 'milliseconds',
  query_timeout: 'milliseconds',
};

/** A whole number as an option's value: plain decimal only, as config.ts reads its numbers (Number() would take 0x10, 1e3 and " 5"). */
const WHOLE = /^\d{1,9}$/;

function optionProblem(params: URLSearchParams): string | undefined {
  for (const [name, value] of params) {
    const unit = Object.hasOwn(NUMBER_OPTIONS, name) ? NUMBER_OPTIONS[name] : undefined;
    if (unit !== undefined && !WHOLE.test(value))
      return `the option ${name} expected a whole number of ${unit}, 0 or more, got ${JSON.stringify(value.slice(0, 40))}`;
  }
  return undefined;
}

/**
 * The URL's `connect_timeout` in milliseconds (libpq's meaning: whole seconds, 2 at least), or undefined when
 * absent or 0: then goldratio's own bound holds, as libpq's 0 (wait for good) would hang a start.
 * The pg driver ignores the option (it takes `connectionTimeoutMillis` only), so the pool and the
 * leader's sessions are given it here. A value postgresUrlProblem refuses is undefined too.
 */
export function urlConnectTimeoutMs(url: string): number | undefined {
  let value: string | null;
  try {
    value = new URL(url).searchParams.get('connect_timeout');
  } catch {
    return undefined;
  }
  if (value === null || !WHOLE.test(value) || Number(value) === 0) return undefined;
  // libpq's floor: "the minimum allowed timeout is 2 seconds, therefore a value of 1 is interpreted as 2".
  return Math.max(2, Number(value)) * 1000;
}
