/**
 * A CPU profile of each test file's worker (`bench/cpu-probe/profile.config.ts`): the inspector's
 * sampling profiler started as the file starts (before its imports) and written in its last hook,
 * to CPU_PROFILE_DIR/<file>.cpuprofile. Node's `--cpu-prof` writes only at the process's exit,
 * which vitest does not always let a worker reach. The samples are wall-clock: a blocking call
 * (an fsync, a native render) counts as if it were CPU. `hot.ts` reads them.
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, expect } from 'vitest';

const session = new Session();
session.connect();
const post = <T = unknown>(method: string, params: object = {}): Promise<T> =>
  new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));

await post('Profiler.enable');
await post('Profiler.setSamplingInterval', { interval: Number(process.env['CPU_PROFILE_INTERVAL_US'] ?? 1000) });
await post('Profiler.start');
const file = expect.getState().testPath ?? 'unknown';

afterAll(async () => {
  const { profile } = await post<{ profile: unknown }>('Profiler.stop');
  session.disconnect();
  const dir = process.env['CPU_PROFILE_DIR'];
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const name = file.slice(file.indexOf('/tests/') + 1).replace(/[/.]/g, '_');
  writeFileSync(`${dir}/${name}.cpuprofile`, JSON.stringify(profile));
});
