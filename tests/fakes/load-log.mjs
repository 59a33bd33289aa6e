/**
 * Preloaded (node --import) into a real `goldratio` run: appends to GOLDRATIO_LOAD_LOG every module
 * the run loaded, ES modules by URL (a load hook, in Node's hooks thread) and CommonJS ones (the
 * SQLite drivers, required through createRequire) by path at exit. tests/cli.test.ts reads it.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const log = process.env.GOLDRATIO_LOAD_LOG;
if (log === undefined) throw new Error('load-log.mjs needs GOLDRATIO_LOAD_LOG');
register(new URL('./load-log-hooks.mjs', import.meta.url), { data: { log } });
process.on('exit', () => appendFileSync(log, `${Object.keys(createRequire(import.meta.url).cache).join('\n')}\n`));
