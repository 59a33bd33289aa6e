/** The console platform: always on, sends only (alerts to stdout, charts to files under the data folder). */
import type { PlatformAdapter } from '../adapter.ts';
import { sendOnly } from '../adapter.ts';
import { ConsoleNotifier } from './notifier.ts';

export const consoleAdapter: PlatformAdapter = {
  platform: 'console',
  enabled: () => ({ on: true }),
  create: (d) =>
    sendOnly('console', new ConsoleNotifier({ dataDir: d.config.dataDir, lang: d.config.defaultLang, ...(d.out !== undefined ? { out: d.out } : {}) })),
};
