/**
 * A start of the app (startApp, SQLite, every source unreachable, no first sync) in a process of
 * its own, with HTTP_PORT or without (argv: <dir> [port]): prints whether prom-client was loaded
 * once it runs, then stops. Its own process: the test runner's module cache has it loaded anyway.
 */
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { memoryLogger } from '../../src/log.ts';
import { startApp } from '../../src/main.ts';
import { sourcesAt } from '../helpers/sources.ts';

const [dir, port] = process.argv.slice(2) as [string, string | undefined];
const config = loadConfig({
  DATABASE_PATH: join(dir, 'g.db'),
  DATA_DIR: dir,
  CHART_WORKERS: '0',
  CHART_WARMUP: 'off',
  ...sourcesAt(),
  HTTP_RETRIES: '0',
  ...(port === undefined ? {} : { HTTP_PORT: port }),
});
const app = await startApp(config, memoryLogger('warn'), { out: () => {}, skipInitialSync: true });
await app.ready;
// prom-client is CommonJS: loaded, it is in the require cache whoever imported it.
const loaded = Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes(`${sep}prom-client${sep}`));
await app.stop();
process.stdout.write(`prom-client ${loaded ? 'loaded' : 'not loaded'}\n`);
