/**
 * Reply model → a Discord message payload: one embed (markdown text, optional fields, colour,
 * footer, the chart as `attachment://name.png`), buttons in action rows, the PNG as a file. The
 * only place that builds reply payloads for Discord; every interpolated text is escaped.
 */
import { ButtonStyle, ComponentType, MessageFlags, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { Line, Reply, Span } from '../../chat/reply.ts';

/** Discord's limits (discord-api-docs, Message and Embed). */
export const EMBED_DESCRIPTION_MAX = 4096;
const BUTTONS_PER_ROW = 5;
const ROWS_MAX = 5;

export const COLOR = { up: 0x2e9e5b, down: 0xd0463b, neutral: 0xc9a227, error: 0x808080 } as const;

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

export function components(r: Reply): APIActionRowComponent<APIButtonComponent>[] {
  // Discord allows 5 buttons a row and 5 rows: keep the reply's rows, re-cut the long ones.
  const rows: APIButtonComponent[][] = [];
  for (const row of r.buttons ?? []) {
    for (let i = 0; i < row.length; i += BUTTONS_PER_ROW) {
      rows.push(
        row
          .slice(i, i + BUTTONS_PER_ROW)
          .map((b) => ({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: b.label.slice(0, 80), custom_id: b.action })),
      );
    }
  }
  return rows.slice(0, ROWS_MAX).map((buttons) => ({ type: ComponentType.ActionRow, components: buttons }));
}

export interface RenderExtras {
  readonly chart?: { readonly png: Buffer; readonly filename: string };
  readonly fields?: readonly { name: string; value: string; inline?: boolean }[];
  readonly color?: number;
  readonly footer?: string;
  readonly ephemeral?: boolean;
}

export interface DiscordPayload {
  readonly embeds: APIEmbed[];
  readonly components: APIActionRowComponent<APIButtonComponent>[];
  readonly files: { attachment: Buffer; name: string }[];
  readonly flags?: number;
  readonly allowedMentions: { parse: [] };
}

export function renderReply(r: Reply, x: RenderExtras = {}): DiscordPayload {
  const embed: APIEmbed = {
    description: markdown(r.lines),
    color: x.color ?? (r.status === 'ok' ? COLOR.neutral : COLOR.error),
    ...(x.fields && x.fields.length > 0 ? { fields: x.fields.slice(0, 25).map((f) => ({ ...f })) } : {}),
    ...(x.footer ? { footer: { text: x.footer.slice(0, 2048) } } : {}),
    ...(x.chart ? { image: { url: `attachment://${x.chart.filename}` } } : {}),
  };
  return {
    embeds: [embed],
    components: components(r),
    files: x.chart ? [{ attachment: x.chart.png, name: x.chart.filename }] : [],
    ...(x.ephemeral === true ? { flags: MessageFlags.Ephemeral } : {}),
    // Replies never ping: user text may contain @everyone.
    allowedMentions: { parse: [] },
  };
}
