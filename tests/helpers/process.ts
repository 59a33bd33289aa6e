/** Second real processes for the tests: the `goldratio` bin, and a holder of SQLite's write lock. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childScript } from './child-script.ts';

export const BIN = fileURLToPath(new URL('../../bin/goldratio.js', import.meta.url));
const LOCK_HOLDER = fileURLToPath(new URL('../fakes/lock-holder.ts', import.meta.url));

export interface Child {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr has matched `re` (rejects after `timeoutMs` or if the child exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The exit code of a spawned process, which is killed (SIGKILL) if it has not closed within `ms`: a test never hangs on it. */
export async function closed(child: ChildProcess, ms = 30_000): Promise<number | null> {
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await new Promise<number | null>((resolve) => child.on('close', resolve));
  } finally {
    clearTimeout(timer);
  }
}

/** `as`: another user to run it as (the tests run as root in CI, whom no folder's mode stops). */
export function spawnChild(args: readonly string[], env: Record<string, string>, cwd?: string, as?: { uid: number; gid: number }): Child {
  const child = spawn(process.execPath, [...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    ...(cwd !== undefined ? { cwd } : {}),
    ...(as ?? {}),
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const l of [...listeners]) l();
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const l of [...listeners]) l();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      for (const l of [...listeners]) l();
      resolve({ code, signal });
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (re.test(out) || re.test(err)) {
            finish();
            resolve();
          } else if (done || child.exitCode !== null) {
            finish();
            reject(new Error(`child exited before ${re}: stdout ${out.slice(-500)} stderr ${err.slice(-1500)}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${re}: stdout ${out.slice(-500)} stderr ${err.slice(-1500)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** The real bin, as `npm start` and a user's shell run it. */
export function spawnBin(args: readonly string[], env: Record<string, string>, cwd?: string): Child {
  return spawnChild([BIN, ...args], env, cwd);
}

/** Another process takes the database's write lock and holds it `ms` (0: until killed); resolves once it holds it. */
export async function holdWriteLock(dbPath: string, ms: number): Promise<Child> {
  const c = spawnChild([childScript(LOCK_HOLDER), dbPath, String(ms)], {});
  await c.waitFor(/^locked$/m, 30_000);
  return c;
}

/** Runs a child script (tests/fakes/…-child.ts) from the repository's root to its end: its exit and everything it printed. */
export function runChildScript(entry: string, args: readonly string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript(entry), ...args], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}
