/**
 * The project's vitest config with the workers' Node/V8 flags replaced by WORKER_FLAGS (space
 * separated; unset keeps the project's), to weigh a flag by the CPU of the same files:
 *   WORKER_FLAGS='--max-semi-space-size=64' /usr/bin/time -f '%U %S' npx vitest run --config bench/cpu-probe/flags.config.ts tests/chat tests/domain
 * Alternate the settings and compare user + sys: the machine's load moves single runs by a tenth.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

const flags = process.env['WORKER_FLAGS'];
const merged = mergeConfig(base, defineConfig({ root: new URL('../..', import.meta.url).pathname }));
// mergeConfig joins arrays: the flags are set, not merged, so that one can also be taken away.
if (flags !== undefined) merged.test = { ...merged.test, execArgv: flags.split(' ').filter(Boolean) };
export default merged;
