/**
 * DATABASE_URL (and copy-data's --to) as an operator mistypes it: each problem names the part at
 * fault, so it can be fixed without the URL (and its password) being printed.
 */
import { expect, test } from 'vitest';
import { postgresUrlProblem, urlConnectTimeoutMs } from '../../src/domain/postgres-url.ts';

test.each([
  [
    'postgress://gr:s3cret@db:5432/goldratio',
    /^expected a postgres:\/\/user:password@host:port\/database URL, not a postgress: one \(the scheme is postgres:\/\/ or postgresql:\/\/\)$/,
  ],
  ['mysql://gr:s3cret@db/goldratio', /not a mysql: one/],
  ['postgres//gr:s3cret@db/goldratio', /\(it does not start with postgres:\/\/\)$/],
  ['postgres:/gr:s3cret@db/goldratio', /\(postgres: is followed by \/\/\)$/],
  ['db.example:5432/goldratio', /^expected a postgres:\/\/user:password@host:port\/database URL/],
  ['postgres://gr:s3cret@db:99999/goldratio', /^the port 99999 is not a port \(1 to 65535\)$/],
  ['postgres://gr:s3cret@db:5432x/goldratio', /^the port after the host is not a number/],
  [
    'postgres://gr:s3c#ret@db:5432/goldratio',
    /a \/ \? or # in the user or password ends the host part early; write those characters percent-encoded \(.*# %23/,
  ],
  ['postgres://gr:s3c/ret@db:5432/goldratio', /ends the host part early/],
  ['postgres://gr:s3c?ret@db:5432/goldratio', /ends the host part early/],
  ['postgres://gr:s3cret@db/goldratio#x', /^a # ends the URL there, so the rest is not read; a # in the password is written %23$/],
  ['postgres://gr:s3c%ret@db/goldratio', /a % that is not a percent-encoded character; a % itself is written %25$/],
  ['postgres://gr:s3cret@/goldratio', /^names no host/],
  ['postgres:///goldratio', /^names no host/],
  ['postgres://gr:s3cret@db:5432', /^names no database: end it with \/<database>.*createdb goldratio.*"postgres"/],
  ['postgres://gr:s3cret@db:5432/', /^names no database/],
  ['postgres://gr:s3cret@db/goldratio?connect_timeout=abc', /^the option connect_timeout expected a whole number of seconds, 0 or more, got "abc"$/],
  ['postgres://gr:s3cret@db/goldratio?connect_timeout=0x10', /^the option connect_timeout expected a whole number of seconds/],
  ['postgres://gr:s3cret@db/goldratio?connect_timeout=', /^the option connect_timeout expected .*, got ""$/],
  [
    'postgres://gr:s3cret@db/goldratio?sslmode=require&lock_timeout=-1',
    /^the option lock_timeout expected a whole number of milliseconds, 0 or more, got "-1"$/,
  ],
  ['postgres://gr:s3cret@db/goldratio?idle_in_transaction_session_timeout=1e3', /^the option idle_in_transaction_session_timeout expected/],
  ['postgres://gr:s3cret@db/goldratio?query_timeout=5.5', /^the option query_timeout expected a whole number of milliseconds/],
])('GIVEN %s THEN the problem names the part at fault, not the password', (url, expected) => {
  const problem = postgresUrlProblem(url);
  expect(problem).toMatch(expected);
  expect(problem).not.toMatch(/s3c/);
});

test.each([
  'postgres://gr:s3cret@db:5432/goldratio',
  'postgresql://gr:s3cret@db.example/goldratio?sslmode=verify-full&sslrootcert=/ca.pem',
  'postgres://gr:p%23ss%2Fw%3Fd%40%25@db/goldratio',
  'postgres://gr:p@ss@db/goldratio',
  'postgres://gr@[::1]:5432/goldratio',
  'POSTGRES://gr:s3cret@db/postgres',
  'postgres://gr:s3cret@db/goldratio?connect_timeout=5&statement_timeout=30000&application_name=bot&options=-c%20search_path%3Dx',
])('GIVEN %s THEN it is a URL goldratio connects with', (url) => {
  expect(postgresUrlProblem(url)).toBeUndefined();
});

test.each([
  ['postgres://gr@db/goldratio?connect_timeout=2', 2000],
  // libpq's floor: 1 is read as 2.
  ['postgres://gr@db/goldratio?connect_timeout=1', 2000],
  ['postgres://gr@db/goldratio?sslmode=require&connect_timeout=45', 45_000],
  // Absent or 0: goldratio's own bound (libpq's 0 would wait for good).
  ['postgres://gr@db/goldratio', undefined],
  ['postgres://gr@db/goldratio?connect_timeout=0', undefined],
])('GIVEN %s THEN the connection is bounded by %s ms of its own', (url, ms) => {
  expect(urlConnectTimeoutMs(url)).toBe(ms);
});
