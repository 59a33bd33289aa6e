/**
 * The embedded default when no bot token is set: an alert is printed to stdout, and its chart
 * (when there is one and a data folder was given) is written as a PNG under `<dataDir>/alerts/`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertMessage, Notifier, SendResult } from '../../alerts/notifier.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';

export interface ConsoleNotifierOptions {
  /** Where alert text goes; default stdout. */
  readonly out?: (text: string) => void;
  /** config.dataDir: charts are written under `<dataDir>/alerts/`. Without it, no files. */
  readonly dataDir?: string;
  /** Language of the notifier's own line ("chart written to ..."). Default 'en'. */
  readonly lang?: Lang;
}

export class ConsoleNotifier implements Notifier {
  readonly platform = 'console' as const;
  /** Nothing to protect: a terminal takes what it gets. */
  readonly ratePerSecond = 1_000;
  readonly #out: (text: string) => void;
  readonly #dataDir: string | undefined;
  readonly #lang: Lang;

  constructor(opts: ConsoleNotifierOptions = {}) {
    this.#out = opts.out ?? ((text) => process.stdout.write(`${text}\n`));
    this.#dataDir = opts.dataDir;
    this.#lang = opts.lang ?? 'en';
  }

  async send(chatId: string, message: AlertMessage): Promise<SendResult> {
    const lines = [`[alert ${message.eventId} → console:${chatId}]`, message.text];
    if (message.chart !== undefined && this.#dataDir !== undefined) {
      const dir = join(this.#dataDir, 'alerts');
      const path = join(dir, `${message.eventId}-${safeName(chatId)}-${safeName(message.chart.filename)}`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(path, message.chart.png);
        lines.push(t(this.#lang, 'alert.console.chart', { path }));
      } catch (e) {
        // A full disk is worth a retry, not a lost alert.
        return { kind: 'retry', afterMs: 60_000, reason: `cannot write ${path}: ${(e as Error).message}` };
      }
    }
    this.#out(lines.join('\n'));
    return { kind: 'sent' };
  }
}

const safeName = (s: string): string => s.replace(/[^\w.-]+/g, '_');
