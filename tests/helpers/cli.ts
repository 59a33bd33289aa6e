/** Runs the real `goldratio` bin in a child process, as a user would: for a few smoke tests (each spawn costs 1-2 s). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
