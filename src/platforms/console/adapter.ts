/**
 * The console platform: always on. It sends (alerts to stdout, charts to files under the data
 * folder) and, in a terminal (CONSOLE_COMMANDS), answers the chat commands typed into it.
 */
import type { PlatformAdapter } from '../adapter.ts';
import { sendOnly } from '../adapter.ts';
import { consoleCommandsOn, readConsoleCommands, type ConsoleCommands } from './commands.ts';
import { ConsoleNotifier } from './notifier.ts';

export const consoleAdapter: PlatformAdapter = {
  platform: 'console',
  chatBot: false,
  enabled: () => ({ on: true }),
  create: (d) => {
    const out = d.out ?? ((text: string) => void process.stdout.write(`${text}\n`));
    const service = sendOnly('console', new ConsoleNotifier({ dataDir: d.config.dataDir, lang: d.config.defaultLang, out }));
    const input = d.input ?? process.stdin;
    if (!consoleCommandsOn(d.config.consoleCommands, input)) return service;
    let reading: ConsoleCommands | undefined;
    return {
      ...service,
      start: async () => {
        reading ??= readConsoleCommands(d, input, out);
        d.log.info('type a command to try the bot here: /ratio, /chart spx 5y, /help');
        return { kind: 'started', attempts: 1 };
      },
      stop: async () => {
        await reading?.close();
        reading = undefined;
      },
    };
  },
};
