/** Runs the real `goldratio` bin in a child process, as a user would: for a few smoke tests (each spawn costs 1-2 s). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { historyFile } from './history.ts';
import { fileURLToPath } from 'node:url';
import { isTradingDay } from '../../src/domain/nyse-calendar.ts';
import { goldShutDay } from '../../src/domain/close-calendar.ts';
import { monthStarts, startQuoteServer, walk, weekdays, type QuoteServer } from '../fakes/quote-server.ts';
import { sourcesAt } from './sources.ts';

const BIN = fileURLToPath(new URL('../../bin/goldratio.js', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], env: Record<string, string>): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs `goldratio` in this process through the same `main` the bin calls, with its own env and
 * captured output: no Node start-up, no tsx compile per call. Keep spawned runs for smoke tests.
 */
export async function runCliInProcess(
  args: readonly string[],
  env: Record<string, string>,
  opts: { nowMs?: number; cwd?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../../src/cli.ts');
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    env: { LOG_LEVEL: 'warn', ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(opts.nowMs === undefined ? {} : { now: () => opts.nowMs! }),
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  });
  return { code, stdout, stderr };
}

/**
 * The quote fake holding three years of market, 1999-03-10 to 2001-12-31 (a walk per instrument;
 * no S&P 500 or QQQ close on an NYSE holiday, as at Yahoo: goldratio refuses one; no gold on Christmas,
 * New Year's Day or Good Friday, as at COMEX), and the
 * variables that point `goldratio` at it (one retry, 1 ms apart). The database is the caller's.
 */
export async function startHistoryMarket(): Promise<{ server: QuoteServer; env: Record<string, string> }> {
  const server = await startQuoteServer();
  const days = weekdays('1999-03-10', '2001-12-31');
  server.setSeries('^GSPC', walk(days.filter(isTradingDay), 1300, 1));
  server.setSeries('QQQ', walk(days.filter(isTradingDay), 51, 2));
  server.setSeries(
    'GC=F',
    walk(
      days.filter((d) => goldShutDay(d) === undefined),
      290,
      3,
    ),
  );
  server.setSeries('M2SL', walk(monthStarts('1999-01-01', '2001-12-01'), 4400, 4));
  const env = {
    ...sourcesAt(server.url),
    HTTP_RETRIES: '1',
    HTTP_BACKOFF_MS: '1',
  };
  return { server, env };
}

/**
 * Inside a describe: a real SQLite file holding the real history (GOLDRATIO_HISTORY_DIR) from `from`
 * to `to`, made before its tests and removed after, and `env`, the variables that point `goldratio` at it.
 */
export function historyDatabase(from: string, to: string): { readonly env: Record<string, string> } {
  const made = { env: {} as Record<string, string> };
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'goldratio-cli-history-'));
    await historyFile(join(dir, 'h.db'), from, to);
    made.env = { DATABASE_PATH: join(dir, 'h.db'), DATA_DIR: dir };
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return made;
}
