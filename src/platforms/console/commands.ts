/**
 * Commands typed into the running bot's terminal: with no token set, `npm start` is a bot to try
 * (`/ratio`, `/chart spx 5y`, `/subscribe`) before creating one on Telegram or Discord. Each line
 * is a chat message from the console chat (the one the console's alerts go to): its answer is
 * printed, its chart written under `<dataDir>/replies/`. One line at a time, in order.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { answerCommand, answerText, apology, unknownCommand, withChart, type Answer } from '../../chat/answer.ts';
import { chatLang, commandAtStart, commandsOn, commandWords, type ChatContext } from '../../chat/index.ts';
import { aboutButtons, linesText, type Reply } from '../../chat/reply.ts';
import { t } from '../../domain/i18n/index.ts';
import { makeDirs } from '../../make-dirs.ts';
import { typedButtonLines } from './typed-buttons.ts';
import { CONSOLE_CHAT_ID } from '../../domain/platform.ts';
import type { PlatformDeps } from '../adapter.ts';

export interface ConsoleCommands {
  /** Stops reading; resolves when the line being answered is. */
  close(): Promise<void>;
}

/** Whether typed commands are read: CONSOLE_COMMANDS, `auto` meaning when the input is a terminal. */
export function consoleCommandsOn(setting: 'auto' | 'on' | 'off', input: NodeJS.ReadableStream): boolean {
  return setting === 'on' || (setting === 'auto' && (input as { isTTY?: boolean }).isTTY === true);
}

/** A terminal has one way to answer: every intent is printed. */
const replyOf = (a: Answer): Reply => (a.kind === 'notice' ? { status: 'error', lines: [[a.text]] } : a.reply);

export function readConsoleCommands(d: PlatformDeps, input: NodeJS.ReadableStream, out: (text: string) => void): ConsoleCommands {
  const rl: Interface = createInterface({ input, terminal: false });
  const commands = commandsOn('console');
  const known = commands.map((c) => c.name);
  let queue: Promise<void> = Promise.resolve();
  // The console chat's language as last read: an apology for a database that cannot be reached
  // speaks it, and the answer after it is printed in it, without asking that database again (which
  // cost a second query deadline, and answered a chat set to Chinese in DEFAULT_LANG).
  let lastLang = d.config.defaultLang;
  rl.on('line', (line) => {
    queue = queue.then(() => answer(line)).catch((e: unknown) => d.log.warn(`console command failed: ${(e as Error).message}`));
  });

  async function answer(line: string): Promise<void> {
    const text = line.trim();
    if (text === '') return;
    const ctx: ChatContext = {
      platform: 'console',
      chatId: CONSOLE_CHAT_ID,
      chatType: 'private',
      userLanguageCode: d.config.defaultLang,
      nowMs: d.now(),
      isAdmin: async () => true,
    };
    let reply: Reply;
    let apologised = false;
    try {
      const m = commandAtStart(text);
      const command = m === undefined ? undefined : commands.find((c) => c.name === m.name.toLowerCase());
      if (m === undefined) reply = replyOf(await answerText(d.chat, ctx, text, known));
      else if (command === undefined) reply = unknownCommand(await chatLang(d.chat, ctx), m.name, known);
      else reply = replyOf(await answerCommand(d.chat, ctx, command, { words: commandWords(m.rest) }));
    } catch (e) {
      apologised = true;
      reply = replyOf(await apology(d.chat, { platform: 'console', chatId: CONSOLE_CHAT_ID, userLanguageCode: lastLang }, false, e));
    }
    const lang = apologised ? lastLang : await chatLang(d.chat, ctx).catch(() => lastLang);
    lastLang = lang;
    const { reply: shown, chart } = await withChart(d.charts, reply, lang, d.config.chartTheme);
    // A terminal draws no buttons: a line that only speaks of them ("Tap a level…") is left out, and
    // each button's typed form is printed instead (`[3M] /chart spx 3m`).
    const lines = [linesText([...shown.lines.filter((l) => !aboutButtons(l)), ...typedButtonLines(lang, shown.buttons ?? [])])];
    if (chart !== undefined) {
      const dir = join(d.config.dataDir, 'replies');
      const path = join(dir, chart.filename);
      makeDirs(dir);
      await writeFile(path, chart.png);
      lines.push(t(lang, 'alert.console.chart', { path }));
    }
    out(lines.join('\n'));
  }

  return {
    async close() {
      rl.close();
      await queue;
    },
  };
}
