/**
 * Reply model → a Discord message payload: one embed (title, markdown text, fields, colour by
 * tone, footer, the chart as `attachment://name.png` or a reused URL), buttons or a select menu in
 * action rows, the PNG as a file. The one place that builds embeds: command replies and outbox
 * messages (notifier.ts, through messageReply) alike; every interpolated text is escaped.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIStringSelectComponent,
} from 'discord.js';
import { spanText, type Line, type Reply, type Span } from '../../chat/reply.ts';
import { clipText, pack, splitText } from '../../chat/split.ts';
import { shownCommand } from '../../chat/args.ts';
import { commandRefs } from '../../chat/command-refs.ts';
import { commandsOn } from '../../chat/registry.ts';
import { LANG_INFO, type Lang } from '../../domain/i18n/index.ts';
import type { Tone } from '../../domain/message.ts';

/** Discord's limits (discord-api-docs, Message and Embed). */
export const EMBED_DESCRIPTION_MAX = 4096;
export const BUTTONS_PER_ROW = 5;
export const ROWS_MAX = 5;
const SELECT_OPTIONS_MAX = 25;
/** custom_id and a select option's value. */
const ID_MAX = 100;

export const COLOR = { green: 0x2e9e5b, red: 0xd0463b, neutral: 0xc9a227, error: 0x808080 } as const;

/**
 * The one place a tone becomes an embed colour: a rise is green and a fall red in English, the
 * other way round where the chat's language reads red as up (紅漲綠跌, langs.ts `risesRed`).
 */
export function toneColor(tone: Tone | undefined, lang: Lang): number {
  if (tone === undefined || tone === 'neutral') return COLOR.neutral;
  const red = LANG_INFO[lang].risesRed ? tone === 'up' : tone === 'down';
  return red ? COLOR.red : COLOR.green;
}

/**
 * How this chat's reader sees a command named in a text (`/subscribe`, chat/command-refs.ts): its
 * language, and the ids of the registered commands once known (command-ids.ts).
 */
export interface CommandForms {
  readonly lang: Lang;
  readonly ids?: ReadonlyMap<string, string> | undefined;
}

const ON_DISCORD = new Set(commandsOn('discord').map((c) => c.name));
const onDiscord = (name: string): boolean => ON_DISCORD.has(name);

/**
 * A command as the reader's slash menu shows it: a command mention where its id is known
 * (`</subscribe:id>`: Discord draws it clickable, in the reader's own locale), else the name the
 * chat's language gives it in the menu (`/訂閱`). `mention` false where Discord draws no mention.
 *
 * Where Discord draws one. The format is `</NAME:COMMAND_ID>` (discord-api-docs, Reference,
 * "Message Formatting", https://discord.com/developers/docs/reference#message-formatting), markdown
 * drawn in a message's content; in an embed "mentions of any kind will only render correctly within
 * embed descriptions and field values" (discord.js guide, Embeds, Notes:
 * https://discordjs.guide/popular-topics/embeds.html#notes), so not in its title, author, field
 * names or footer. A button's label, a select option's label, a modal's labels and an autocomplete
 * choice's name are plain text (no markdown at all), and nothing inside a code span is drawn. Here:
 * mentions in the description and field values (markdown, lineMarkdown), the menu name everywhere else.
 */
export function commandForm(name: string, f: CommandForms, mention = true): string {
  const id = mention ? f.ids?.get(name) : undefined;
  return id !== undefined ? `</${name}:${id}>` : `/${shownCommand(f.lang, name)}`;
}

/** Plain text with each command it names in the reader's form (escaped text in, for markdown: the names are letters only). */
function withCommands(text: string, f: CommandForms, mention = true): string {
  return commandRefs(text, onDiscord)
    .map((p) => (typeof p === 'string' ? p : commandForm(p.command, f, mention)))
    .join('');
}

/**
 * escapeMarkdown's defaults change only a text holding a backslash, a backtick, *, _, ~ or |; any
 * other is handed back as it is. Its italic pattern looks behind each position for a link
 * (https:// then no space), so a long run without a space cost it time squared: 1-4 s for one line
 * of 10,000 emoji (tests/platforms/discord/long-message.test.ts), none of which it would change.
 */
const MARKDOWN = /[\\`*_~|]/;
const escapeMd = (text: string): string => (MARKDOWN.test(text) ? escapeMarkdown(text) : text);

function spanMd(s: Span, f: CommandForms): string {
  if (typeof s === 'string') return withCommands(escapeMd(s), f);
  if ('bold' in s) return `**${withCommands(escapeMd(s.bold), f)}**`;
  // Inside backticks nothing is markdown (no mention either); a backtick itself cannot be escaped
  // there. A usage line or an example to copy there is already written in the reader's names
  // (chat/args.ts usageLine, commandLine; chat/reply.ts copyable).
  if ('code' in s) return `\`${s.code.replace(/`/g, 'ˋ')}\``;
  return `*${withCommands(escapeMd(s.italic), f)}*`;
}

export const lineMarkdown = (line: Line, f: CommandForms = { lang: 'en' }): string => line.map((s) => spanMd(s, f)).join('');

/**
 * How long a line may come out at most, whatever ids the commands get (a command mention is longer
 * than its name): the parts are cut by this measure, so a message split before a restart is split
 * at the same lines after it, whether or not the ids were known yet (a resumed send skips the parts
 * it sent, by number).
 */
const WIDEST_IDS: ReadonlyMap<string, string> = { get: () => '9'.repeat(20) } as unknown as ReadonlyMap<string, string>;
const widest = (f: CommandForms): CommandForms => ({ lang: f.lang, ids: WIDEST_IDS });

/**
 * Lines as embed markdown, in as many parts of at most `max` characters as they need: whole lines
 * together, a line longer than a part cut as plain text between words (splitText: never inside a
 * surrogate pair). Nothing is left out.
 */
export function markdownParts(lines: readonly Line[], max = EMBED_DESCRIPTION_MAX, f: CommandForms = { lang: 'en' }): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  let size = 0;
  const add = (line: Line) => {
    const len = lineMarkdown(line, widest(f)).length;
    if (current.length > 0 && size + 1 + len > max) {
      parts.push(current.join('\n'));
      current = [];
    }
    size = current.length === 0 ? len : size + 1 + len;
    current.push(lineMarkdown(line, f));
  };
  for (const line of lines) {
    if (lineMarkdown(line, widest(f)).length <= max) {
      add(line);
      continue;
    }
    // Escaping may double a character and a command grow to its mention: pieces of a third leave
    // room, and a piece that grew past a part all the same is cut again.
    const pieces = (text: string, size: number): string[] =>
      splitText(text, size).flatMap((p) => (size < 2 || lineMarkdown([p], widest(f)).length <= max ? [p] : pieces(p, Math.floor(size / 2))));
    for (const piece of pieces(line.map(spanText).join(''), Math.floor(max / 3))) add([piece]);
  }
  if (current.length > 0 || parts.length === 0) parts.push(current.join('\n'));
  return parts;
}

/** A select menu's custom_id: `pick:<row>`; the chosen option's value is the action, as a button's custom_id is. */
export const SELECT_PREFIX = 'pick:';

type Row = APIActionRowComponent<APIButtonComponent> | APIActionRowComponent<APIStringSelectComponent>;

/**
 * The reply's rows as Discord components. A row of alternatives longer than one row of buttons
 * (the chart's eight ranges) reads better as one select menu than as two half rows: one action
 * row, the current choice shown as its default. Shorter rows stay buttons, the current choice
 * highlighted. Within Discord's limits: 5 rows, 5 buttons a row, 25 options, ids ≤ 100 characters.
 */
export function components(r: Reply, f: CommandForms = { lang: 'en' }): Row[] {
  const rows: Row[] = [];
  for (const [index, row] of (r.buttons ?? []).entries()) {
    if (row.length > BUTTONS_PER_ROW) {
      const chosen = row.find((b) => b.selected === true);
      rows.push({
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.StringSelect,
            custom_id: `${SELECT_PREFIX}${index}`,
            options: row
              .slice(0, SELECT_OPTIONS_MAX)
              .map((b) => ({ label: withCommands(b.label, f, false).slice(0, 100), value: b.action.slice(0, ID_MAX), default: b === chosen })),
          },
        ],
      });
      continue;
    }
    rows.push({
      type: ComponentType.ActionRow,
      components: row.map((b) => ({
        type: ComponentType.Button,
        style: b.selected === true ? ButtonStyle.Primary : ButtonStyle.Secondary,
        label: withCommands(b.label, f, false).slice(0, 80),
        custom_id: b.action.slice(0, ID_MAX),
      })),
    });
  }
  return rows.slice(0, ROWS_MAX);
}

export interface RenderExtras {
  readonly chart?: { readonly png: Buffer; readonly filename: string };
  readonly ephemeral?: boolean;
  /** The reader's language: it decides what colour a rise is (toneColor) and how a command is named. */
  readonly lang?: Lang;
  /** The registered commands' ids, for command mentions (command-ids.ts). */
  readonly commandIds?: ReadonlyMap<string, string> | undefined;
}

/** Discord's limits on one message's embeds: how many, and their characters in all. */
export const MESSAGE_EMBEDS_MAX = 10;
export const MESSAGE_EMBED_CHARS_MAX = 6000;
const TITLE_MAX = 256;
const FIELDS_MAX = 25;
const FIELD_NAME_MAX = 256;
const FIELD_VALUE_MAX = 1024;
const FOOTER_MAX = 2048;
/** One embed's characters at most, so that a reserve (below) always fits beside it. */
const EMBED_ROOM = 5500;

/** Room the first message keeps free: a line the notifier may add to it (notifier.ts, a chart refused). */
export interface FirstReserve {
  readonly chars: number;
  readonly embeds: number;
}

const embedChars = (e: APIEmbed): number =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.fields ?? []).reduce((n, x) => n + x.name.length + x.value.length, 0);

/** The reply's embeds, as drawn with these forms, each with its size by the widest forms (the same shape whatever the ids). */
function replyEmbeds(r: Reply, f: CommandForms, color: number, image: string | undefined): { embed: APIEmbed; size: number }[] {
  const w = widest(f);
  const list: APIEmbed[] = markdownParts(r.lines, EMBED_DESCRIPTION_MAX, f).map((description) => ({ description, color }));
  const sizes = markdownParts(r.lines, EMBED_DESCRIPTION_MAX, w).map((d) => d.length);
  if (r.title !== undefined) {
    const title = clipText(withCommands(r.title, f, false), TITLE_MAX);
    list[0] = { title, ...list[0] };
    sizes[0] = (sizes[0] ?? 0) + clipText(withCommands(r.title, w, false), TITLE_MAX).length;
  }
  if (image !== undefined) list[0] = { ...list[0], image: { url: image } };
  const last = () => list.length - 1;
  for (const x of r.fields ?? []) {
    const field = {
      name: clipText(withCommands(x.name, f, false), FIELD_NAME_MAX),
      value: clipText(lineMarkdown(x.value, f), FIELD_VALUE_MAX),
      inline: x.inline ?? false,
    };
    const size = clipText(withCommands(x.name, w, false), FIELD_NAME_MAX).length + clipText(lineMarkdown(x.value, w), FIELD_VALUE_MAX).length;
    const into = list[last()]!;
    if ((into.fields?.length ?? 0) >= FIELDS_MAX || sizes[last()]! + size > EMBED_ROOM) {
      list.push({ color, fields: [field] });
      sizes.push(size);
      continue;
    }
    list[last()] = { ...into, fields: [...(into.fields ?? []), field] };
    sizes[last()] = sizes[last()]! + size;
  }
  if (r.footer !== undefined) {
    const footer = { text: clipText(withCommands(r.footer, f, false), FOOTER_MAX) };
    const size = clipText(withCommands(r.footer, w, false), FOOTER_MAX).length;
    if (sizes[last()]! + size > EMBED_ROOM) {
      list.push({ color, footer });
      sizes.push(size);
    } else {
      list[last()] = { ...list[last()], footer };
      sizes[last()] = sizes[last()]! + size;
    }
  }
  return list.map((embed, i) => ({ embed, size: sizes[i] ?? embedChars(embed) }));
}

/**
 * The reply as Discord messages, in order, each within Discord's limits (10 embeds, 6000
 * characters in all): the title, the chart (`image`: `attachment://<file>` or an uploaded chart's
 * URL) and the first lines in the first embed, the lines that do not fit one embed in the next
 * ones, the fields and the footer last. Nothing is cut away but an over-long title, field or footer.
 * The parts fall at the same places whether or not the commands' ids are known (WIDEST_IDS): a
 * resumed send (notifier.ts) counts on it.
 */
export function embedMessages(
  r: Reply,
  image?: string,
  lang: Lang = 'en',
  commandIds?: ReadonlyMap<string, string>,
  reserve: FirstReserve = { chars: 0, embeds: 0 },
): APIEmbed[][] {
  const color = r.tone !== undefined ? toneColor(r.tone, lang) : r.status === 'ok' ? COLOR.neutral : COLOR.error;
  const messages = pack(
    replyEmbeds(r, { lang, ids: commandIds }, color, image),
    (e) => e.size,
    (first) => ({ count: MESSAGE_EMBEDS_MAX - (first ? reserve.embeds : 0), size: MESSAGE_EMBED_CHARS_MAX - (first ? reserve.chars : 0) }),
  );
  return messages.map((m) => m.map((e) => e.embed));
}

export interface DiscordPayload {
  readonly embeds: APIEmbed[];
  readonly components: ReturnType<typeof components>;
  readonly files: { attachment: Buffer; name: string }[];
  readonly flags?: number;
  readonly allowedMentions: { parse: [] };
}

/** The first embed of a reply known to fit one (a notice, a refusal); embedMessages for any other. */
export function embed(r: Reply, image?: string, lang: Lang = 'en', commandIds?: ReadonlyMap<string, string>): APIEmbed {
  const first = embedMessages(r, image, lang, commandIds)[0]?.[0];
  if (first === undefined) throw new Error('a reply renders as at least one embed');
  return first;
}

/**
 * The reply as Discord messages, in order: the first carries the buttons and the chart file, the
 * others (a reply longer than one message holds: embedMessages) only the rest of the text, as
 * ephemeral as the first. Send the first as the answer and the others as follow-ups.
 */
export function renderReplies(r: Reply, x: RenderExtras = {}): DiscordPayload[] {
  const flags = x.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {};
  return embedMessages(r, x.chart ? `attachment://${x.chart.filename}` : undefined, x.lang, x.commandIds).map((embeds, i) => ({
    embeds,
    components: i === 0 ? components(r, { lang: x.lang ?? 'en', ids: x.commandIds }) : [],
    files: i === 0 && x.chart ? [{ attachment: x.chart.png, name: x.chart.filename }] : [],
    ...flags,
    // Replies never ping: user text may contain @everyone.
    allowedMentions: { parse: [] },
  }));
}

/** A reply known to fit one message (a one-line notice or refusal) as its payload. */
export function renderReply(r: Reply, x: RenderExtras = {}): DiscordPayload {
  const [first] = renderReplies(r, x);
  if (first === undefined) throw new Error('a reply renders as at least one message');
  return first;
}
