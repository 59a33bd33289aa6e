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
import type { Line, Reply, Span } from '../../chat/reply.ts';
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

function spanMd(s: Span, f: CommandForms): string {
  if (typeof s === 'string') return withCommands(escapeMarkdown(s), f);
  if ('bold' in s) return `**${withCommands(escapeMarkdown(s.bold), f)}**`;
  // Inside backticks nothing is markdown (no mention either); a backtick itself cannot be escaped
  // there. A usage line or an example to copy there is already written in the reader's names
  // (chat/args.ts usageLine, commandLine; chat/reply.ts copyable).
  if ('code' in s) return `\`${s.code.replace(/`/g, 'ˋ')}\``;
  return `*${withCommands(escapeMarkdown(s.italic), f)}*`;
}

export const lineMarkdown = (line: Line, f: CommandForms = { lang: 'en' }): string => line.map((s) => spanMd(s, f)).join('');

/** Lines as embed markdown, cut at a line boundary to Discord's limit. */
export function markdown(lines: readonly Line[], max = EMBED_DESCRIPTION_MAX, f: CommandForms = { lang: 'en' }): string {
  let out = '';
  for (const line of lines) {
    const next = (out === '' ? '' : `${out}\n`) + lineMarkdown(line, f);
    if (next.length > max) return `${out}\n…`.slice(0, max);
    out = next;
  }
  return out;
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

/** The reply as one embed; `image`: `attachment://<file>` or an uploaded chart's URL. */
export function embed(r: Reply, image?: string, lang: Lang = 'en', commandIds?: ReadonlyMap<string, string>): APIEmbed {
  const fields = r.fields ?? [];
  const f: CommandForms = { lang, ids: commandIds };
  return {
    ...(r.title !== undefined ? { title: withCommands(r.title, f, false).slice(0, 256) } : {}),
    description: markdown(r.lines, EMBED_DESCRIPTION_MAX, f),
    color: r.tone !== undefined ? toneColor(r.tone, lang) : r.status === 'ok' ? COLOR.neutral : COLOR.error,
    ...(fields.length > 0
      ? {
          fields: fields
            .slice(0, 25)
            .map((x) => ({ name: withCommands(x.name, f, false).slice(0, 256), value: lineMarkdown(x.value, f).slice(0, 1024), inline: x.inline ?? false })),
        }
      : {}),
    ...(r.footer !== undefined ? { footer: { text: withCommands(r.footer, f, false).slice(0, 2048) } } : {}),
    ...(image !== undefined ? { image: { url: image } } : {}),
  };
}

export interface DiscordPayload {
  readonly embeds: APIEmbed[];
  readonly components: ReturnType<typeof components>;
  readonly files: { attachment: Buffer; name: string }[];
  readonly flags?: number;
  readonly allowedMentions: { parse: [] };
}

export function renderReply(r: Reply, x: RenderExtras = {}): DiscordPayload {
  return {
    embeds: [embed(r, x.chart ? `attachment://${x.chart.filename}` : undefined, x.lang, x.commandIds)],
    components: components(r, { lang: x.lang ?? 'en', ids: x.commandIds }),
    files: x.chart ? [{ attachment: x.chart.png, name: x.chart.filename }] : [],
    ...(x.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
    // Replies never ping: user text may contain @everyone.
    allowedMentions: { parse: [] },
  };
}
