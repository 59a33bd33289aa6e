import { describe, expect, test } from 'vitest';
import { GrammyError, HttpError } from 'grammy';
import { createLogger, memoryLogger, scrubber } from '../src/log.ts';
import { loadConfig, secretValues } from '../src/config.ts';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe('logger', () => {
  test('GIVEN a token inside an error message THEN no log line holds it, in JSON or pretty form', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, FRED_API_KEY: 'fredkey0123456789abcdef', TWELVEDATA_API_KEY: 'tdkey-42-xyz-long' });
    const secrets = secretValues(config);
    expect(secrets).toEqual(expect.arrayContaining([TOKEN, 'fredkey0123456789abcdef', 'tdkey-42-xyz-long']));
    for (const format of ['json', 'pretty'] as const) {
      const out: string[] = [];
      const log = createLogger('debug', { format, secrets, sink: (l) => out.push(l) }).child('telegram');
      const err = new HttpError(
        `Network request for 'sendMessage' failed!`,
        new Error(`connect ECONNREFUSED https://api.telegram.org/bot${TOKEN}/sendMessage`),
      );
      log.error(`update failed: ${String(err)} ${String(err.error)}`, { error: String(err.error), cause: { token: TOKEN } });
      log.warn('fred failed for https://api.stlouisfed.org/fred/series/observations?series_id=M2SL&api_key=fredkey0123456789abcdef');
      log.info('twelve data', { url: 'https://api.twelvedata.com/time_series?symbol=XAU/USD&apikey=tdkey-42-xyz-long' });
      log.info('grammy', { e: String(new GrammyError('x', { ok: false, error_code: 401, description: `Unauthorized ${TOKEN}` }, 'getMe', {})) });
      expect(out.length).toBe(4);
      const all = out.join('\n');
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
      expect(all).not.toContain('fredkey0123456789abcdef');
      expect(all).not.toContain('tdkey-42-xyz-long');
      expect(all).toContain('/bot***/sendMessage');
      expect(all).toContain('telegram');
    }
  });

  test.each([
    // A short password alone is no word to blank out everywhere: the URL holding it is.
    ['postgres://goldratio:pw@db.example:5432/goldratio', [], 'database ***'],
    ['postgres://goldratio:s3cret-long@db.example:5432/goldratio', ['s3cret-long'], 'database ***'],
    ['postgres://goldratio@db.example:5432/goldratio?password=s3cret-long', ['s3cret-long'], 'database ***'],
    // No password in it (trust, .pgpass, PGPASSWORD): nothing secret, the server named in every line.
    ['postgres://goldratio@db.example:5432/goldratio', [], 'database postgres://goldratio@db.example:5432/goldratio'],
  ])('GIVEN DATABASE_URL=%s THEN its password is scrubbed from the log, and a URL without one is said as it is', (url, hidden, said) => {
    const out: string[] = [];
    const log = createLogger('debug', { format: 'json', secrets: secretValues(loadConfig({ DATABASE_URL: url })), sink: (l) => out.push(l) });
    log.info(`database ${url}`);
    log.warn(`connection lost: ${hidden.join(' ')}`);
    expect(out.join('\n')).toContain(said);
    for (const h of hidden) expect(out.join('\n')).not.toContain(h);
  });

  test.each(['a', 'at', 'pw123'])(
    'GIVEN DATABASE_URL with a password of %j (shorter than the 6 hidden anywhere) THEN it is hidden where it stands as a value, and no word of the line is',
    (pw) => {
      const scrub = scrubber(secretValues(loadConfig({ DATABASE_URL: `postgres://goldratio:${pw}@db.example:5432/goldratio` })));
      // The URL in another form than the one given (a driver's, an address for the name): its user info.
      expect(scrub(`connect to postgres://goldratio:${pw}@10.0.0.5:5432/goldratio?sslmode=disable failed`)).toBe(
        'connect to postgres://goldratio:***@10.0.0.5:5432/goldratio?sslmode=disable failed',
      );
      // A libpq connection string, a query string.
      expect(scrub(`host=db.example user=goldratio password=${pw} dbname=goldratio`)).toBe('host=db.example user=goldratio password=*** dbname=goldratio');
      expect(scrub(`?user=goldratio&password=${pw}&sslmode=require`)).toBe('?user=goldratio&password=***&sslmode=require');
      // Quoted whole, in a plain line and inside a JSON one; after an = of any key.
      expect(scrub(`the server refused "${pw}"`)).toBe('the server refused "***"');
      expect(scrub(JSON.stringify({ msg: `the server refused '${pw}' and "${pw}"`, got: pw }))).toBe(
        JSON.stringify({ msg: `the server refused '***' and "***"`, got: '***' }),
      );
      expect(scrub(`given=${pw} then`)).toBe('given=*** then');
      // Its letters as a word of the sentence or inside one stay: blanked, "PostgreSQL *** db" would say what the password is.
      const said = `cannot reach PostgreSQL at db.example:5432 (DATABASE_URL: postgres://goldratio@db.example:5432/goldratio): a pwd, pw123x, at last`;
      expect(scrub(said)).toBe(said);
    },
  );

  test('GIVEN a password in a URL or a password= the config does not know THEN it is hidden too, however short', () => {
    const scrub = scrubber([]);
    expect(scrub('copy to postgres://app:x@db:5432/goldratio done')).toBe('copy to postgres://app:***@db:5432/goldratio done');
    expect(scrub('POST https://u:pw@hooks.example/in 500')).toBe('POST https://u:***@hooks.example/in 500');
    expect(scrub('sslpassword=k1 password=k2')).toBe('sslpassword=*** password=***');
    // Not a password: a port, a time, a host alone.
    for (const kept of ['http://db.example:5432/x', 'at 10:30@home', 'postgres://goldratio@db:5432/goldratio']) expect(scrub(kept)).toBe(kept);
  });

  test('GIVEN a token that is not in the config THEN its shape is still scrubbed', () => {
    const scrub = scrubber([]);
    expect(scrub(`GET https://api.telegram.org/bot${TOKEN}/getMe`)).toBe('GET https://api.telegram.org/bot***/getMe');
    expect(scrub('Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz0123')).not.toContain('MTIzNDU2Nzg5MDEyMzQ1Njc4');
    expect(scrub('watch_key=spx-gold-0.25 ok')).toBe('watch_key=spx-gold-0.25 ok');
  });

  test('JSON format: one object per line with level, time, scope and fields; redact paths hide structured secrets', () => {
    const log = memoryLogger('info');
    log.child('dispatch').info('outbox drained', { sent: 3, headers: { authorization: 'Bearer abc' }, token: 'short' });
    log.debug('hidden below info');
    expect(log.records).toHaveLength(1);
    const r = log.records[0]!;
    expect(r).toMatchObject({ level: 'info', scope: 'test/dispatch', msg: 'outbox drained', sent: 3, token: '***', headers: { authorization: '***' } });
    expect(typeof r.time).toBe('string');
    expect(log.lines[0]).toMatch(/INFO {2}test\/dispatch: outbox drained/);
  });

  test('pretty format: readable lines with level and scope, not JSON', () => {
    const out: string[] = [];
    createLogger('info', { format: 'pretty', sink: (l) => out.push(l) })
      .child('market')
      .warn('yahoo answered 500');
    expect(out.join('')).toMatch(/WARN.*market: yahoo answered 500/);
    expect(() => JSON.parse(out[0] ?? '')).toThrow();
  });
});
