/** `goldratio start` as a process, the way the stop tests (tests/ops/stop*.test.ts) start it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnBin, type Child } from './process.ts';

/**
 * The real bin's `start` on a SQLite file of its own in a temp folder (its DATA_DIR too), without
 * chart workers or their warm-up, its ops server on the kernel's free port (read back with
 * opsPortOf), with `env` on top. `later` gets what ends it: SIGKILL, then the folder removed.
 */
export function startBin(later: (f: () => unknown) => void, env: Record<string, string>): Child {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-start-'));
  later(() => rmSync(dir, { recursive: true, force: true }));
  const bot = spawnBin(['start'], {
    DATABASE_PATH: join(dir, 'g.db'),
    DATA_DIR: dir,
    CHART_WORKERS: '0',
    CHART_WARMUP: 'off',
    HTTP_PORT: '0',
    ...env,
  });
  later(() => bot.child.kill('SIGKILL'));
  return bot;
}
