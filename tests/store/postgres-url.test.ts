/**
 * DATABASE_URL's sslmode as psql reads it (libpq): what the pg driver is given checks a server's
 * certificate only where libpq would, and does not print the driver's warning.
 */
import { expect, test } from 'vitest';
import pg from 'pg';
import { driverUrl } from '../../src/store/postgres.ts';

/** What a pg client built from the URL will do about the server's certificate. */
const sslOf = (url: string) => (new pg.Client({ connectionString: driverUrl(url) }) as unknown as { ssl: false | { rejectUnauthorized?: boolean } }).ssl;

test.each([
  ['require', { rejectUnauthorized: false }],
  ['prefer', { rejectUnauthorized: false }],
  ['no-verify', { rejectUnauthorized: false }],
  ['verify-full', {}],
  ['disable', false],
] as const)('GIVEN sslmode=%s THEN the server certificate is checked as libpq checks it', (mode, ssl) => {
  const warned: string[] = [];
  const onWarning = (w: Error) => warned.push(w.message);
  process.on('warning', onWarning);
  try {
    expect(sslOf(`postgres://u:pw@db.example:5432/goldratio?sslmode=${mode}`)).toEqual(ssl);
  } finally {
    process.off('warning', onWarning);
  }
  expect(warned).toEqual([]);
});

test('GIVEN a URL without sslmode or with uselibpqcompat of its own THEN it is given to the driver as it is', () => {
  for (const url of ['postgres://u:pw@db.example/goldratio', 'postgres://u:pw@db.example/goldratio?sslmode=require&uselibpqcompat=false'])
    expect(driverUrl(url)).toBe(url);
});
