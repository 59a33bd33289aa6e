/**
 * Every user-facing text goes through here, in every language of langs.ts.
 * Catalogues are split by area (one file each) so that each area owns its keys; `t` looks a key
 * up in the merged catalogue and fills `{name}` placeholders.
 */
import { core } from './core.ts';
import { alerts } from './alerts.ts';
import { chat } from './chat.ts';
import { args } from './args.ts';
import { charts } from './charts.ts';
import { discord } from './discord.ts';
import { digest } from './digest.ts';
import { ops } from './ops.ts';
import { levels } from './levels.ts';
import { quietMove } from './quiet-move.ts';
import { reach } from './reach.ts';

import { LANG_INFO, LANGS, type Lang } from './langs.ts';

export {
  LANG_INFO,
  LANGS,
  inEveryLang,
  isLang,
  langFromCode,
  langFromInput,
  matchLang,
  pickLang,
  type Lang,
  type LangAbbreviation,
  type LangInfo,
  type SlashOrder,
} from './langs.ts';

/** One area's texts, in every language (the type makes a missing language a compile error). */
export type Catalogue = Readonly<Record<Lang, Readonly<Record<string, string>>>>;

/** Each template's plural blocks, parsed once (registration fills it; declared before it runs). */
const parsedPlurals = new Map<string, readonly Plural[]>();

const merged = Object.fromEntries(LANGS.map((l) => [l, {}])) as Record<Lang, Record<string, string>>;

/** Adds an area's catalogue. Called once per area at module load; a duplicate key is a bug, as is a plural it cannot read. */
export function registerCatalogue(c: Catalogue): void {
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(c[lang])) {
      if (k in merged[lang] && merged[lang][k] !== v) throw new Error(`i18n key defined twice: ${lang}/${k}`);
      for (const p of pluralsOf(v)) if (!('other' in p.cases)) throw new Error(`i18n plural without an "other" case: ${lang}/${k}`);
      merged[lang][k] = v;
    }
  }
}
registerCatalogue(core);
registerCatalogue(alerts);
registerCatalogue(chat);
registerCatalogue(args);
registerCatalogue(charts);
registerCatalogue(discord);
registerCatalogue(digest);
registerCatalogue(ops);
registerCatalogue(levels);
registerCatalogue(quietMove);
registerCatalogue(reach);
registerPlaceWording();

/**
 * A Telegram group and channel named as their readers name them. A group: 本群 in Simplified
 * (mainland readers say 本群, not 本聊天), 本群組 in Traditional (Telegram's own Taiwan wording calls a
 * group 群組; 本聊天室 reads as a chat room), "this group" in English. A channel: 本頻道, 本频道, "this
 * channel", as Discord's channel is named: each language's rewrites are its `placeWords` in langs.ts.
 * `key.group` and `key.channel` are made from every `key`
 * whose text names the chat as a chat (本聊天室, 本聊天, "this chat"); a `.channel` the catalogue
 * writes itself (a chart label's, also Discord's: ChartPlace) is kept. chat/replies.ts platformKey
 * reads them in a Telegram group or supergroup and channel, i18n placeKey in what the notifier sends
 * there. A private chat (`.dm`) and Discord (`.discord`) keep their own words.
 */
function registerPlaceWording(): void {
  const inPlace = (lang: Lang, place: 'group' | 'channel', s: string): string =>
    LANG_INFO[lang].placeWords[place].reduce((x, [from, to]) => x.replace(from, to), s);
  const bases = Object.keys(merged.en).filter((key) => !/\.(dm|discord|group|channel)$/.test(key));
  for (const place of ['group', 'channel'] as const) {
    for (const key of bases) {
      const placed = `${key}.${place}`;
      if (LANGS.some((l) => placed in merged[l])) continue;
      const texts = Object.fromEntries(LANGS.map((l) => [l, template(l, key)])) as Record<Lang, string>;
      const named = Object.fromEntries(LANGS.map((l) => [l, inPlace(l, place, texts[l])])) as Record<Lang, string>;
      if (LANGS.every((l) => named[l] === texts[l])) continue;
      for (const l of LANGS) merged[l][placed] = named[l];
    }
  }
}

/**
 * The key a text that names the chat reads where the chat is `place` (a ChartPlace: a Telegram
 * group's, a channel's, a private chat's words): `key.<place>` when the catalogue has one, else `key`.
 */
export function placeKey(key: string, place: 'group' | 'channel' | 'dm' | undefined): string {
  return place !== undefined && hasKey(`${key}.${place}`) ? `${key}.${place}` : key;
}

export type Params = Readonly<Record<string, string | number>>;

function template(lang: Lang, key: string): string {
  for (let l: Lang | undefined = lang; l !== undefined; l = LANG_INFO[l].fallback) {
    const s = merged[l][key];
    if (s !== undefined) return s;
  }
  return merged.en[key] ?? key;
}

/**
 * The text for `key` in `lang`, else in its fallback languages; a missing key is shown as itself.
 * `{name}` is the parameter as given; `{name, plural, one {# row} other {# rows}}` picks the case
 * the language's plural rules give for the number (`#` is the parameter as given, so a count
 * formatted with grouping, "24,777", reads as 24777). Chinese has only "other", and writes `{name}`.
 */
export function t(lang: Lang, key: string, params: Params = {}): string {
  let text = template(lang, key);
  for (const p of pluralsOf(text)) {
    if (!(p.name in params)) continue;
    const given = params[p.name]!;
    const n = typeof given === 'number' ? given : Number(String(given).replace(/[^\d.-]/g, ''));
    const exact = p.cases[`=${n}`];
    const body = exact ?? p.cases[pluralRules(lang).select(n)] ?? p.cases.other!;
    text = text.slice(0, p.start) + body.replaceAll('#', String(given)) + text.slice(p.end);
  }
  if (LANG_INFO[lang].spacesBetweenWords) return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  // A space the catalogue keeps between Han and a value for the value's digits (距今 {ago}: 距今 20 天)
  // goes when the value's own words start or end it in Han (距今超過 12 個月, never 距今 超過); between
  // two values, by what each is ({denominator} {denominatorAge}前: 黃金 3 分鐘前, but 黃金不到一分鐘前).
  const filled = (placeholder: RegExpExecArray | null) => (placeholder !== null && placeholder[1]! in params ? String(params[placeholder[1]!]) : undefined);
  return text.replace(/( ?)\{(\w+)\}( ?)/g, (m, pre: string, name: string, post: string, at: number) => {
    if (!(name in params)) return m;
    const value = String(params[name]);
    const end = at + m.length;
    const before = text[at - 1] === '}' ? (filled(/\{(\w+)\}$/.exec(text.slice(0, at)))?.at(-1) ?? '}') : text[at - 1];
    const after = text[end] === '{' ? (filled(/^\{(\w+)\}/.exec(text.slice(end)))?.at(0) ?? '{') : text[end];
    const lead = pre !== '' && before !== undefined && HAN.test(before) && HAN.test(value.at(0) ?? '') ? '' : pre;
    const trail = post !== '' && after !== undefined && HAN.test(after) && HAN.test(value.at(-1) ?? '') ? '' : post;
    return `${lead}${spacedInHan(value, pre === '' ? before : ' ', post === '' ? after : ' ')}${trail}`;
  });
}

const HAN = /\p{Script=Han}/u;
/**
 * A value that begins or ends with a Latin letter, set beside a Han character, gets a space there,
 * as the catalogue writes its own Latin words (跑贏 M2, 與 QQQ 的): "QQQ 跑贏", not "QQQ跑贏". A
 * Chinese value (標普500指數跑贏) or one that starts with a digit (自1999年3月10日起) stays as it is.
 */
function spacedInHan(value: string, before: string | undefined, after: string | undefined): string {
  const lead = before !== undefined && HAN.test(before) && /^[A-Za-z]/.test(value) ? ' ' : '';
  const trail = after !== undefined && HAN.test(after) && /[A-Za-z]$/.test(value) ? ' ' : '';
  return `${lead}${value}${trail}`;
}

interface Plural {
  readonly name: string;
  readonly cases: Readonly<Record<string, string>>;
  /** Where the block starts and ends in the text. */
  readonly start: number;
  readonly end: number;
}

/** A template's plural blocks, last first (so that replacing one keeps the others' places); parsed once per template. */
function pluralsOf(text: string): readonly Plural[] {
  if (!text.includes(', plural,')) return [];
  let found = parsedPlurals.get(text);
  if (found === undefined) parsedPlurals.set(text, (found = pluralsIn(text).reverse()));
  return found;
}

/** The `{name, plural, …}` blocks of a text, in order; throws on one it cannot read. */
function pluralsIn(text: string): Plural[] {
  const out: Plural[] = [];
  const open = /\{(\w+), plural,/g;
  for (let m = open.exec(text); m !== null; m = open.exec(text)) {
    const cases: Record<string, string> = {};
    let i = open.lastIndex;
    for (;;) {
      while (text[i] === ' ') i++;
      if (text[i] === '}') break;
      const sel = /^(=\d+|zero|one|two|few|many|other) ?\{/.exec(text.slice(i));
      if (sel === null) throw new Error(`i18n: cannot read the plural at "${text.slice(m.index, m.index + 40)}…"`);
      i += sel[0].length;
      const from = i;
      for (let depth = 1; depth > 0; i++) {
        if (i >= text.length) throw new Error(`i18n: unclosed plural case in "${text}"`);
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
      }
      cases[sel[1]!] = text.slice(from, i - 1);
    }
    out.push({ name: m[1]!, cases, start: m.index, end: i + 1 });
    open.lastIndex = i + 1;
  }
  return out;
}

const rules = new Map<Lang, Intl.PluralRules>();
function pluralRules(lang: Lang): Intl.PluralRules {
  let r = rules.get(lang);
  if (r === undefined) rules.set(lang, (r = new Intl.PluralRules(LANG_INFO[lang].locale)));
  return r;
}

/** True when every language defines `key` (tests use it to find gaps). */
export function hasKey(key: string): boolean {
  return LANGS.every((l) => key in merged[l]);
}

export function allKeys(lang: Lang): string[] {
  return Object.keys(merged[lang]);
}
