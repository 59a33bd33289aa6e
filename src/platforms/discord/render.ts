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

function spanMd(s: Span): string {
  if (typeof s === 'string') return escapeMarkdown(s);
  if ('bold' in s) return `**${escapeMarkdown(s.bold)}**`;
  // Inside backticks nothing is markdown; a backtick itself cannot be escaped there.
  if ('code' in s) return `\`${s.code.replace(/`/g, 'ˋ')}\``;
  return `*${escapeMarkdown(s.italic)}*`;
}

export const lineMarkdown = (line: Line): string => line.map(spanMd).join('');

/** Lines as embed markdown, cut at a line boundary to Discord's limit. */
export function markdown(lines: readonly Line[], max = EMBED_DESCRIPTION_MAX): string {
  let out = '';
  for (const line of lines) {
    const next = (out === '' ? '' : `${out}\n`) + lineMarkdown(line);
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
export function components(r: Reply): Row[] {
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
            options: row.slice(0, SELECT_OPTIONS_MAX).map((b) => ({ label: b.label.slice(0, 100), value: b.action.slice(0, ID_MAX), default: b === chosen })),
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
        label: b.label.slice(0, 80),
        custom_id: b.action.slice(0, ID_MAX),
      })),
    });
  }
  return rows.slice(0, ROWS_MAX);
}

export interface RenderExtras {
  readonly chart?: { readonly png: Buffer; readonly filename: string };
  readonly ephemeral?: boolean;
  /** The reader's language: it decides what colour a rise is (toneColor). */
  readonly lang?: Lang;
}

/** The reply as one embed; `image`: `attachment://<file>` or an uploaded chart's URL. */
export function embed(r: Reply, image?: string, lang: Lang = 'en'): APIEmbed {
  const fields = r.fields ?? [];
  return {
    ...(r.title !== undefined ? { title: r.title.slice(0, 256) } : {}),
    description: markdown(r.lines),
    color: r.tone !== undefined ? toneColor(r.tone, lang) : r.status === 'ok' ? COLOR.neutral : COLOR.error,
    ...(fields.length > 0
      ? { fields: fields.slice(0, 25).map((f) => ({ name: f.name.slice(0, 256), value: lineMarkdown(f.value).slice(0, 1024), inline: f.inline ?? false })) }
      : {}),
    ...(r.footer !== undefined ? { footer: { text: r.footer.slice(0, 2048) } } : {}),
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
    embeds: [embed(r, x.chart ? `attachment://${x.chart.filename}` : undefined, x.lang)],
    components: components(r),
    files: x.chart ? [{ attachment: x.chart.png, name: x.chart.filename }] : [],
    ...(x.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
    // Replies never ping: user text may contain @everyone.
    allowedMentions: { parse: [] },
  };
}
