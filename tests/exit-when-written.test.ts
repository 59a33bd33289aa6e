/**
 * A start whose stop ran out of STOP_TIMEOUT_SECONDS ends the process at once (bin/goldratio.js):
 * its last log line, the one naming what it left, must not be lost in a pipe whose reader is behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { childScript } from './helpers/child-script.ts';

const CHILD = fileURLToPath(new URL('./fakes/exit-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The child's stderr through a real pipe (`|`: Node gives a spawned child sockets, which hold more)
 * whose reader starts only half a second after the child has written all (a reader behind), and its exit code.
 */
async function run(how: 'written' | 'exit'): Promise<{ readonly stderr: string; readonly code: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'goldratio-exit-'));
  try {
    const ready = join(dir, 'ready');
    // A split bundle (cli.ts's commands stay lazy chunks, as in the bin's): it writes within ~0.2 s of
    // its start, before the reader's half second is up; through tsx it took ~1.5 s to get there.
    const node = `'${process.execPath}' '${childScript(CHILD, { split: true })}' ${how} '${ready}'`;
    // A reader behind: it starts half a second after the child, which has its 300 KB to write by then.
    const reader = '{ sleep 0.5; cat; }';
    const child = spawn('sh', ['-c', `{ ${node} 2>&1 >/dev/null; echo "exit $?" >&2; } | ${reader}`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    });
    let stderr = '';
    let said = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      said += d;
    });
    await new Promise((resolve) => child.on('close', resolve));
    const code = /exit (\d+)/.exec(said);
    if (code === null) throw new Error(`the child said no exit code: ${said}`);
    return { stderr, code: Number(code[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('GIVEN a process ending at once with 300 KB of log still in the pipe WHEN its reader is behind THEN exitWhenWritten loses no line, the last one included', async () => {
  // process.exit alone loses that tail where the pipe's writes are queued in the process (libuv
  // queues a write to a full non-blocking pipe); here they may block instead, so only what
  // exitWhenWritten promises is asserted: all of it, and the code.
  const kept = await run('written');
  expect(kept.code).toBe(3);
  expect(kept.stderr.endsWith('the last line\n')).toBe(true);
  expect(kept.stderr.length).toBe(1500 * 200 + 'the last line\n'.length);
}, 60_000);
