/** `goldratio deploy-commands` when Discord cannot be reached: the network's failure (exit 1), not the operator's (exit 2). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliInProcess } from '../helpers/cli.ts';
import { FakeDiscord } from '../fakes/discord.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'goldratio-deploy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy-commands with Discord unreachable', () => {
  test('GIVEN nothing listening at DISCORD_API_BASE THEN one line naming it, exit 1 (as backfill with its sources down), the token never printed', async () => {
    const token = 'MTAwMDAwMDAwMDAwMDAwMDAx.secret-part';
    const r = await runCliInProcess(['deploy-commands', '--guild', '800000000000000001'], {
      DATABASE_PATH: join(dir, 'g.db'),
      DATA_DIR: dir,
      DISCORD_TOKEN: token,
      DISCORD_APPLICATION_ID: '100000000000000001',
      DISCORD_API_BASE: 'http://127.0.0.1:9',
    });
    expect(r.stderr).toMatch(/^goldratio deploy-commands: Discord unreachable at http:\/\/127\.0\.0\.1:9: .*ECONNREFUSED.*\n$/);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('secret-part');
  }, 30_000);
});

describe('deploy-commands with Discord answering 5xx', () => {
  test("GIVEN Discord answering 502 to every try THEN one line saying Discord failed and to try again, exit 1 (not the operator's mistake)", async () => {
    const dc = await FakeDiscord.start();
    try {
      // Every try (the first and the REST client's two retries) meets the outage.
      dc.fail(/\/commands/, { kind: '5xx', status: 502 }, 10);
      const r = await runCliInProcess(['deploy-commands', '--guild', '800000000000000001'], {
        DATABASE_PATH: join(dir, 'g5.db'),
        DATA_DIR: dir,
        DISCORD_TOKEN: dc.token,
        DISCORD_APPLICATION_ID: '100000000000000001',
        DISCORD_API_BASE: dc.api,
      });
      expect(r.stderr).toMatch(/^goldratio deploy-commands: Discord failed to answer \(502[^)]*\): try again later\n$/);
      expect(r.code).toBe(1);
    } finally {
      await dc.close();
    }
  }, 30_000);
});
