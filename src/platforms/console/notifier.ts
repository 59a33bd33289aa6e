/**
 * The embedded default when no bot token is set: a message is printed to stdout, and its chart
 * (when there is one and a data folder was given) is written as a PNG under `<dataDir>/alerts/`.
 * One part per message: the console has no length limit.
 */
import { writeFile } from 'node:fs/promises';
import { makeDirs } from '../../make-dirs.ts';
import { join } from 'node:path';
import type { Delivery, Notifier, SendResult } from '../../alerts/notifier.ts';
import { messageLines } from '../../chat/message-lines.ts';
import { linesText } from '../../chat/reply.ts';
import { t, type Lang } from '../../domain/i18n/index.ts';

export interface ConsoleNotifierOptions {
  /** Where message text goes; default stdout. */
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

  async send(d: Delivery): Promise<SendResult> {
    if (d.fromPart > 0) return { kind: 'sent' };
    const lines = [`[${d.kind} ${d.messageKey} → console:${d.chatId}]`, linesText(messageLines(d.message))];
    if (d.chart !== undefined && this.#dataDir !== undefined) {
      const dir = join(this.#dataDir, 'alerts');
      const path = join(dir, `${d.messageKey}-${safeName(d.chatId)}-${safeName(d.chart.filename)}`);
      try {
        makeDirs(dir);
        await writeFile(path, d.chart.png);
        lines.push(t(this.#lang, 'alert.console.chart', { path }));
      } catch (e) {
        // A full disk is worth a retry (the dispatcher's backoff), not a lost alert.
        return { kind: 'retry', reason: `cannot write ${path}: ${(e as Error).message}` };
      }
    }
    this.#out(lines.join('\n'));
    return { kind: 'sent' };
  }
}

const safeName = (s: string): string => s.replace(/[^\w.-]+/g, '_');
