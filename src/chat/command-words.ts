/**
 * The command a word names, as people type one: its name in any language (`訂閱`, `摘要`), a typo
 * (`stauts`), or a word people try for it (`price`, `價格`, `alerts`). Pure: shared by the answer
 * to text that is no command and by `/help <command>`.
 */
import { halfWidth } from '../domain/han-fold.ts';
import { LANGS, t } from '../domain/i18n/index.ts';
import { nearestName } from '../domain/nearest.ts';
import { folded, visibleText } from './parse.ts';

/** Words people try for a command goldratio names otherwise: suggested, never run in its place. */
const TRIED: Readonly<Record<string, string>> = {
  alerts: 'mylevels',
  settings: 'mylevels',
  subscriptions: 'mylevels',
  sub: 'subscribe',
  unsub: 'unsubscribe',
  stop: 'unsubscribe',
  language: 'lang',
  price: 'ratio',
  // In one script: the other is read as this one (parse.ts `folded`).
  價格: 'ratio',
  報價: 'ratio',
  幫助: 'help',
  // Quiet hours' names said short (勿擾時段, 免打扰时段 in full).
  勿擾: 'quiet',
  免打擾: 'quiet',
  指令: 'help',
  命令: 'help',
  // As Chinese readers name what /mylevels, /unsubscribe and /ratio show: 提醒 (alerts), 设置 or 設定 (settings), 退订 (unsubscribe), 比例 (ratio).
  提醒: 'mylevels',
  设置: 'mylevels',
  設定: 'mylevels',
  退訂: 'unsubscribe',
  比例: 'ratio',
  // /mylevels's Chinese names before it was named as the chat's (頻道水位, 频道点位), and the chat's
  // levels as a Telegram group's readers say them: still found, by /help and Discord's autocomplete.
  我的水位: 'mylevels',
  我的點位: 'mylevels',
  聊天室水位: 'mylevels',
  本群點位: 'mylevels',
  群點位: 'mylevels',
};

/** The words people try, for the commands this platform has. */
export const triedAmong = (known: readonly string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(TRIED).flatMap(([word, name]) => (known.includes(name) ? [[folded(word), name]] : [])));

/** The word as a command name is compared: folded, without a leading slash or an @bot suffix. */
const commandWord = (typed: string): string => folded(typed.replace(/^\//, '').replace(/@\w+$/, ''));

/** The command among `known` that `typed` names (a leading slash and an @bot suffix allowed), or undefined. */
export function commandNamed(typed: string, known: readonly string[]): string | undefined {
  const word = commandWord(typed);
  const called = commandCalled(word, known);
  if (called !== undefined || !/^[a-z]+$/.test(word)) return called;
  // A typo of a name, else of a word people try for one (`alrets`: alerts, so /mylevels).
  const tried = triedAmong(known);
  const near =
    nearestName(word, known) ??
    nearestName(
      word,
      Object.keys(tried).filter((w) => /^[a-z]+$/.test(w)),
    );
  return near === undefined ? undefined : (tried[near] ?? near);
}

/** The command among `known` that `typed` is a name of, exactly (in any language, or a word people try: `價格`), never a guess at a typo. */
export function commandCalled(typed: string, known: readonly string[]): string | undefined {
  const word = commandWord(typed);
  if (known.includes(word)) return word;
  return known.find((name) => LANGS.some((l) => folded(t(l, `chat.name.${name}`)) === word)) ?? triedAmong(known)[word];
}

/** What people put between a command and its words besides a space: a comma (`/ratio,spx`), 、 ; :, full-width too. */
const GLUE = '[\\s,，、;；:：]';

/**
 * A command at a text's start, as people type one: `/name`, `@bot` after it, then its words,
 * parted from the name by a space or a comma glued to it (`/Ratio,spx`, `/chart、qqq 5y`),
 * full-width too (halfWidth: han-fold.ts says what that fold does and what it leaves). The
 * name is as typed (its case too); undefined for a text that starts as no command.
 */
export function commandAtStart(text: string): { readonly name: string; readonly bot: string | undefined; readonly rest: string } | undefined {
  const m = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]+))?(?![A-Za-z0-9_@])([\s\S]*)$/.exec(halfWidth(visibleText(text)));
  return m === null ? undefined : { name: m[1]!, bot: m[2], rest: m[3] ?? '' };
}

/** What a sentence puts around a command's words: an emoji (`/chart spx 🙏`, `2h🙏`) with its joiners and skin tones. */
const EMOJI = '(?:\\p{Extended_Pictographic}|\\p{Emoji_Modifier}|\\uFE0F|\\u200D|\\u20E3)+';
const EMOJI_START = new RegExp(`^${EMOJI}`, 'u');
const EMOJI_END = new RegExp(`${EMOJI}$`, 'u');
/** The marks that end a sentence: `0.25.` is 0.25, `p.m.` still p.m (the time reads it so). */
const SENTENCE_END = /[.!！?？。…]+$/u;

/**
 * A command's words: what follows its name split at spaces, a comma (or 、 ; :) glued to the name
 * dropped (`,spx` is `spx`), and the characters that show as nothing left out (bot.command hands
 * its match over as typed: `/status` with a zero-width space after it is /status, not a word too many),
 * as are the emoji around words (`/chart spx 🙏`) and a sentence's end after the last (`1y!`, `1年？`).
 */
export const commandWords = (rest: string): string[] => {
  const typed = visibleText(rest)
    .replace(new RegExp(`^${GLUE}+`), '')
    .split(/\s+/)
    .filter((w) => w !== '');
  // Emoji alone are kept, to be refused as the words they are (`/mute 🙏` asks for a length).
  const bare = typed.map((w) => w.replace(EMOJI_START, '').replace(EMOJI_END, '')).filter((w) => w !== '');
  const words = bare.length === 0 ? typed : bare;
  // A sentence's end after the last word (`/chart spx 1y!`, `1年？`, `1年。`): no part of it.
  const last = words.at(-1)?.replace(SENTENCE_END, '');
  return last === undefined ? words : [...words.slice(0, -1), ...(last === '' ? [] : [last])];
};
