/**
 * A DATABASE_URL without its password (`postgres://goldratio@db:5432/goldratio`, the password
 * forgotten, or the user written where `user:password` goes) against a server that asks for one
 * (SCRAM, as the test server and CI's do over TCP). pg raises that itself during the handshake
 * ("SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string") and leaves the socket
 * open: the command said pg's words and then did not exit until the server's
 * authentication_timeout (a minute) closed it. Now one line saying what is missing, exit 2, and
 * the process ends at once.
 */
import { expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithPostgres, freshPgDatabase } from '../helpers/postgres.ts';
import { spawnBin } from '../helpers/process.ts';
import { sourcesAt } from '../helpers/sources.ts';

/**
 * How long a command may take to exit once it has said its line: the exit follows the line at
 * once; the bound is for a loaded machine, and well under the server's authentication_timeout
 * (60 s by default), which is what ended the wait before.
 */
const EXIT_AFTER_LINE_MS = 20_000;

describeWithPostgres('a DATABASE_URL without its password', () => {
  test.each([
    ['status', ['status']],
    ['start', ['start']],
  ] as const)(
    'GIVEN %s THEN one line saying the server asks for the password and the URL gives none, exit 2, and the process ends at once',
    async (_, args) => {
      const db = await freshPgDatabase();
      const dir = mkdtempSync(join(tmpdir(), 'goldratio-no-password-'));
      try {
        const url = new URL(db.url);
        url.password = '';
        const bot = spawnBin(args, { DATABASE_URL: url.toString(), DATA_DIR: dir, LOG_FORMAT: 'pretty', ...sourcesAt() });
        try {
          await bot.waitFor(/asks for the password/, 60_000);
          const bounded = new Promise<'still running'>((r) => setTimeout(() => r('still running'), EXIT_AFTER_LINE_MS).unref());
          const exited = await Promise.race([bot.exited, bounded]);
          expect(exited, bot.stderr()).toEqual({ code: 2, signal: null });
          const lines = bot.stderr().trim().split('\n');
          expect(lines).toEqual([
            expect.stringMatching(
              new RegExp(
                `^goldratio ${args[0]}: PostgreSQL at [^ ]+ asks for the password of user "${url.username}", and DATABASE_URL gives none \\(postgres://${url.username}@[^ ]+\\): write it in the URL \\(postgres://user:password@host:port/database\\) or in PGPASSWORD$`,
              ),
            ),
          ]);
        } finally {
          if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
          await bot.exited;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await db.drop();
      }
    },
    120_000,
  );
});
