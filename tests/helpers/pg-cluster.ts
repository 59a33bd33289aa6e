/**
 * A PostgreSQL cluster of a test's own, for what the shared test server cannot be: a hot standby
 * (a server in recovery, as a read replica is). Made with the machine's PostgreSQL binaries
 * (PG_BIN, default Debian's /usr/lib/postgresql/15/bin, as .ci/run uses), in memory where the
 * machine has /dev/shm, run as the postgres user when the tests run as root (PostgreSQL refuses
 * root; CI runs as root), trusting local TCP connections, on a free port. `stop()` stops it and
 * removes its folder, whatever state it is in.
 *
 * Without the binaries (a developer's machine without PostgreSQL) the tests using it are skipped,
 * saying so; under CI=true their absence fails the run, as the shared server's does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';

const PG_BIN = process.env.PG_BIN?.trim() || '/usr/lib/postgresql/15/bin';
const root = process.getuid?.() === 0;

export interface Cluster {
  /** A URL to its `postgres` database as the `postgres` user (no password: local TCP is trusted). */
  readonly url: string;
  /** Stops it cleanly and starts it again in recovery (standby.signal), as a hot standby with no primary: it takes no writes. */
  restartAsStandby(): void;
  stop(): void;
}

/** A describe block that needs PostgreSQL's binaries (see the top of this file). */
export function describeWithPgCluster(name: string, body: () => void): void {
  const missing = !existsSync(join(PG_BIN, 'initdb'))
    ? `no PostgreSQL binaries in ${PG_BIN} (set PG_BIN)`
    : root && !hasPostgresUser()
      ? 'running as root without a postgres user to run PostgreSQL as'
      : undefined;
  if (missing === undefined) describe(name, body);
  else if (process.env.CI === 'true')
    describe(name, () => {
      test('PostgreSQL binaries to make a cluster with', () => {
        throw new Error(`${missing}: under CI=true these tests fail instead of skipping`);
      });
    });
  else {
    process.stderr.write(`skipping "${name}": ${missing}\n`);
    describe.skip(name, body);
  }
}

function hasPostgresUser(): boolean {
  return spawnSync('id', ['-u', 'postgres']).status === 0;
}

/** Runs a PostgreSQL binary, as the postgres user when root. */
function pg(bin: string, args: readonly string[]): void {
  const [cmd, argv] = root ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]] : [join(PG_BIN, bin), [...args]];
  execFileSync(cmd as string, argv as string[], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'goldratio-cluster-'));
  const data = join(dir, 'data');
  const owner = (path: string) => {
    if (root) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(path, uid, gid);
    }
  };
  owner(dir);
  let port = 0;
  const start = () =>
    pg('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const stop = (mode: string) => pg('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', mode, 'stop']);
  try {
    pg('initdb', ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=trust', '--no-sync']);
    // A port picked free may be taken before the server binds it (another worker's listen on 0): a few tries.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        start();
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restartAsStandby() {
      stop('fast');
      running = false;
      const signal = join(data, 'standby.signal');
      writeFileSync(signal, '');
      owner(signal);
      start();
      running = true;
    },
    stop() {
      try {
        if (running) stop('immediate');
      } catch {
        // Gone already: the folder goes all the same.
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
