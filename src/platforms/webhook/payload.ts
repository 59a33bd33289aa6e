/**
 * A message as each webhook format carries it. `json`: goldratio's own versioned schema
 * (docs/webhook.md), the chart inline as base64. `slack`: Slack's incoming-webhook JSON (Block
 * Kit); Slack takes images only by public URL, which the bot has none of, so no chart.
 * `slack-workflow`: a Slack workflow's webhook, the message as the flat variables it takes. `discord`:
 * Discord's execute-webhook multipart, the chart as an attached file shown in the embed.
 */
import type { ChartFile } from '../../alerts/notifier.ts';
import type { LocalizedMessage, MessageData, MessageKind } from '../../domain/message.ts';
import { LANG_INFO, type Lang } from '../../domain/i18n/index.ts';
import type { WebhookFormat } from '../../store/webhooks.ts';
import { linePieces, pack } from '../../chat/split.ts';

/** The `json` format's schema version: a receiver checks it; a change that breaks receivers bumps it. */
export const SCHEMA_VERSION = 1;

export interface JsonPayload {
  readonly schema: 'goldratio.webhook';
  readonly version: typeof SCHEMA_VERSION;
  readonly kind: MessageKind | 'test';
  /** The stored message's id: the same for every hook, so a receiver can drop a repeat. */
  readonly message_id: string;
  readonly lang: Lang;
  readonly title: string | null;
  readonly lines: readonly string[];
  readonly fields: readonly { readonly name: string; readonly value: string; readonly inline: boolean }[];
  readonly footer: string | null;
  readonly tone: 'up' | 'down' | 'neutral' | null;
  /** Title, lines, fields and footer as plain text, for receivers that only show text. */
  readonly text: string;
  readonly chart: { readonly filename: string; readonly content_type: 'image/png'; readonly base64: string } | null;
  /** The figures the texts are written from, in no language (docs/webhook.md); null for a message that has none. */
  readonly data: MessageData | null;
}

export interface Outgoing {
  readonly kind: MessageKind | 'test';
  readonly messageKey: string;
  readonly lang: Lang;
  readonly message: LocalizedMessage;
  readonly chart: ChartFile | undefined;
}

export function plainText(m: LocalizedMessage): string {
  return [
    ...(m.title !== undefined ? [m.title] : []),
    ...m.lines,
    ...m.fields.map((f) => `${f.name}: ${f.value}`),
    ...(m.footer !== undefined ? [m.footer] : []),
  ].join('\n');
}

export function jsonPayload(o: Outgoing): JsonPayload {
  const m = o.message;
  return {
    schema: 'goldratio.webhook',
    version: SCHEMA_VERSION,
    kind: o.kind,
    message_id: o.messageKey,
    lang: o.lang,
    title: m.title ?? null,
    lines: m.lines,
    fields: m.fields,
    footer: m.footer ?? null,
    tone: m.tone ?? null,
    text: plainText(m),
    chart: o.chart === undefined ? null : { filename: o.chart.filename, content_type: 'image/png', base64: o.chart.png.toString('base64') },
    data: m.data ?? null,
  };
}

/** Slack's mrkdwn needs only these three escaped. */
const slackEscape = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Slack's limits: a message's `text` and a section 3,000 (as sent), a header 150, a field 2,000 and 10 a section, 50 blocks. */
const SLACK = { text: 3000, header: 150, field: 2000, fields: 10, blocks: 50 } as const;
/** An escape grows a character to at most 5 (`&amp;`): a line cut in pieces of a fifth always fits once escaped. */
const SLACK_PIECE = Math.floor(SLACK.text / 5);

type SlackItem =
  | { readonly kind: 'title'; readonly raw: string; readonly text: string }
  | { readonly kind: 'line'; readonly text: string }
  | { readonly kind: 'field'; readonly name: string; readonly value: string }
  | { readonly kind: 'footer'; readonly text: string };

/** An item's line in the part's `text`, escaped. */
const slackLine = (i: SlackItem): string => (i.kind === 'field' ? `*${i.name}*: ${i.value}` : i.kind === 'title' ? `*${i.text}*` : i.text);

/** One part's Block Kit blocks: the title as a header, its lines as one section, its fields by 10, its footer as context. */
function slackBlocks(items: readonly SlackItem[]): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  for (const [n, i] of items.entries()) {
    const prev = items[n - 1];
    if (i.kind === 'title') {
      // The header is plain text (no escapes): the title as written (what fits a header: slackPayloads).
      blocks.push({ type: 'header', text: { type: 'plain_text', text: i.raw, emoji: true } });
    } else if (i.kind === 'line') {
      const section = blocks.at(-1) as { text?: { text: string } } | undefined;
      if (prev?.kind === 'line' && section?.text !== undefined) section.text.text += `\n${i.text}`;
      else blocks.push({ type: 'section', text: { type: 'mrkdwn', text: i.text } });
    } else if (i.kind === 'field') {
      const field = { type: 'mrkdwn', text: `*${i.name}*\n${i.value}` };
      const section = blocks.at(-1) as { fields?: unknown[] } | undefined;
      if (prev?.kind === 'field' && section?.fields !== undefined && section.fields.length < SLACK.fields) section.fields.push(field);
      else blocks.push({ type: 'section', fields: [field] });
    } else blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: i.text }] });
  }
  return blocks;
}

/**
 * Slack incoming webhook: the message in as many POSTs as it needs, in order, each a `text` (the
 * notification; shown whole by receivers that read only it) of at most 3,000 characters and Block
 * Kit blocks carrying the same items. Whole lines together; a line longer than a part cut between
 * words or whole graphemes (linePieces), before escaping. Nothing is left out: a title longer than
 * a header's 150 keeps what fits there, cut between words, and its rest opens the body; a field
 * longer than Slack's 2,000 goes as a line of the body (`name: value`).
 */
export function slackPayloads(o: Outgoing): Record<string, unknown>[] {
  const m = o.message;
  const items: SlackItem[] = [];
  const esc = (s: string) => linePieces(s, SLACK_PIECE).map(slackEscape);
  if (m.title !== undefined) {
    const [head = '', ...rest] = linePieces(m.title, SLACK.header, SLACK_PIECE);
    items.push({ kind: 'title', raw: head, text: slackEscape(head) });
    for (const piece of rest) items.push({ kind: 'line', text: slackEscape(piece) });
  }
  for (const line of m.lines) for (const text of esc(line)) items.push({ kind: 'line', text });
  for (const f of m.fields) {
    const name = slackEscape(f.name);
    const value = slackEscape(f.value);
    if (name.length <= 200 && name.length + 3 + value.length <= SLACK.field) items.push({ kind: 'field', name, value });
    else for (const text of esc(`${f.name}: ${f.value}`)) items.push({ kind: 'line', text });
  }
  if (m.footer !== undefined) for (const text of esc(m.footer)) items.push({ kind: 'footer', text });
  const parts: SlackItem[][] = [];
  let current: SlackItem[] = [];
  let size = 0;
  // The blocks the current part makes so far (as slackBlocks lays them out), and the fields in its last section.
  let blocks = 0;
  let fieldRun = 0;
  for (const item of items) {
    const len = slackLine(item).length;
    const prev = current.at(-1);
    const joins = (item.kind === 'line' && prev?.kind === 'line') || (item.kind === 'field' && prev?.kind === 'field' && fieldRun < SLACK.fields);
    if (current.length > 0 && (size + 1 + len > SLACK.text || (!joins && blocks + 1 > SLACK.blocks))) {
      parts.push(current);
      current = [];
      blocks = 0;
    }
    const joined = current.length > 0 && joins;
    if (!joined) blocks += 1;
    fieldRun = item.kind !== 'field' ? 0 : joined ? fieldRun + 1 : 1;
    size = current.length === 0 ? len : size + 1 + len;
    current.push(item);
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);
  return parts.map((p) => ({ text: p.map(slackLine).join('\n'), blocks: slackBlocks(p) }));
}

/** The first of slackPayloads: the whole message when it fits one. */
export function slackPayload(o: Outgoing): Record<string, unknown> {
  return slackPayloads(o)[0] ?? {};
}

const COLORS = { green: 0x2e7d32, red: 0xc62828, neutral: 0x546e7a } as const;
/** As the bot's own embeds: a rise green in English, red where the reader's language reads red as up (langs.ts). */
function toneColor(tone: LocalizedMessage['tone'], lang: Lang): number {
  if (tone === undefined || tone === 'neutral') return COLORS.neutral;
  return (LANG_INFO[lang].risesRed ? tone === 'up' : tone === 'down') ? COLORS.red : COLORS.green;
}
/** Discord markdown's special characters, escaped so a level note cannot format or ping. */
const discordEscape = (s: string): string => s.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');

/** Discord's embed limits (docs: Embed Limits): each text's own, 6,000 for a message's embeds' texts together, 10 embeds a message. */
export const DISCORD_EMBED = { title: 256, description: 4096, fields: 25, name: 256, value: 1024, footer: 2048, total: 6000, embeds: 10 } as const;

interface Embed {
  title?: string;
  description?: string;
  color: number;
  fields?: { name: string; value: string; inline: boolean }[];
  footer?: { text: string };
  image?: { url: string };
}

const embedChars = (e: Embed): number =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** The message's lines as descriptions of at most 4,096, whole lines together; a longer line cut (linePieces) before escaping, which at most doubles it. */
function descriptions(lines: readonly string[]): string[] {
  const L = DISCORD_EMBED;
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    for (const piece of linePieces(line, Math.floor(L.description / 2)).map(discordEscape)) {
      if (current.length > 0 && size + 1 + piece.length > L.description) {
        out.push(current.join('\n'));
        current = [];
      }
      size = current.length === 0 ? piece.length : size + 1 + piece.length;
      current.push(piece);
    }
  }
  if (current.length > 0 || out.length === 0) out.push(current.join('\n'));
  return out;
}

/**
 * Discord execute-webhook bodies (each sent as `payload_json`, the first beside the chart file):
 * the message in as many POSTs as it needs, in order, each of at most 10 embeds and 6,000
 * characters, no `content`. The title, the chart and the first lines in the first embed; lines
 * that do not fit one embed in the next; the fields (25 an embed) and the footer last. Nothing is
 * cut away: a title longer than Discord's 256 keeps what fits, cut between words, and its rest
 * opens the description; a field past its 256 or 1,024 goes as a line (`name: value`), and a
 * footer past its 2,048 as the last lines.
 */
export function discordPayloads(o: Outgoing): Record<string, unknown>[] {
  const m = o.message;
  const L = DISCORD_EMBED;
  const color = toneColor(m.tone, o.lang);
  const [title, ...titleRest] = m.title === undefined ? [] : linePieces(m.title, L.title, L.description);
  const fits = (f: { name: string; value: string }) => f.name.length <= L.name && f.value.length <= L.value;
  const longFields = m.fields.filter((f) => !fits(f)).map((f) => `${f.name}: ${f.value}`);
  const longFooter = m.footer !== undefined && m.footer.length > L.footer ? [m.footer] : [];
  const lines = [...titleRest, ...m.lines, ...longFields, ...longFooter];
  const embeds: Embed[] = descriptions(lines).map((description) => ({ description, color }));
  const first = embeds[0]!;
  if (title !== undefined) first.title = title;
  if (o.chart !== undefined) first.image = { url: `attachment://${o.chart.filename}` };
  const last = () => embeds[embeds.length - 1]!;
  for (const f of m.fields.filter(fits)) {
    const field = { name: f.name, value: f.value, inline: f.inline };
    const into = last();
    if ((into.fields?.length ?? 0) >= L.fields || embedChars(into) + field.name.length + field.value.length > L.total) embeds.push({ color, fields: [field] });
    else into.fields = [...(into.fields ?? []), field];
  }
  if (m.footer !== undefined && longFooter.length === 0) {
    const footer = { text: m.footer };
    if (embedChars(last()) + footer.text.length > L.total) embeds.push({ color, footer });
    else last().footer = footer;
  }
  return pack(embeds, embedChars, () => ({ count: L.embeds, size: L.total })).map((list, i) => ({
    username: 'goldratio',
    embeds: list,
    // A webhook message pings nobody: never @everyone, a role or a user named in a text.
    allowed_mentions: { parse: [] },
    ...(i === 0 && o.chart !== undefined ? { attachments: [{ id: 0, filename: o.chart.filename }] } : {}),
  }));
}

/** The first of discordPayloads: the whole message when it fits one. */
export function discordPayload(o: Outgoing): Record<string, unknown> {
  return discordPayloads(o)[0] ?? {};
}

/**
 * The variables a Slack Workflow Builder webhook takes (docs/webhook.md): a flat object whose values
 * are all strings, the same keys on every message (a workflow refuses a payload without a variable
 * it declares, and ignores those it does not), '' where a message has none. No chart: a workflow
 * takes no file.
 */
export interface WorkflowPayload {
  readonly kind: string;
  readonly lang: string;
  readonly message_id: string;
  readonly title: string;
  /** The lines, fields and footer, one per line, without the title. */
  readonly body: string;
  /** The title and the body: the whole message as text. */
  readonly text: string;
  readonly tone: string;
  /** The message's figures as JSON text (the `json` format's `data`), '' for one that has none. */
  readonly data: string;
}

export function workflowPayload(o: Outgoing): WorkflowPayload {
  const m = o.message;
  const text = plainText(m);
  return {
    kind: o.kind,
    lang: o.lang,
    message_id: o.messageKey,
    title: m.title ?? '',
    body: m.title === undefined ? text : plainText({ ...m, title: undefined }),
    text,
    tone: m.tone ?? '',
    data: m.data === undefined ? '' : JSON.stringify(m.data),
  };
}

export interface RequestBody {
  readonly body: string | Buffer;
  readonly contentType: string;
}

/**
 * The bodies for a format, one POST each, in order (headers such as the signature are the
 * notifier's): `json` and `slack-workflow` one, whole; `slack` and `discord` as many as the message needs. The same
 * message always gives the same parts, so a resumed send skips those delivered by number.
 */
export async function requestBodies(format: WebhookFormat, o: Outgoing): Promise<readonly RequestBody[]> {
  if (format === 'json') return [{ body: JSON.stringify(jsonPayload(o)), contentType: 'application/json' }];
  if (format === 'slack') return slackPayloads(o).map((p) => ({ body: JSON.stringify(p), contentType: 'application/json' }));
  if (format === 'slack-workflow') return [{ body: JSON.stringify(workflowPayload(o)), contentType: 'application/json' }];
  return Promise.all(
    discordPayloads(o).map(async (p, i) => {
      const payload = JSON.stringify(p);
      if (i > 0 || o.chart === undefined) return { body: payload, contentType: 'application/json' };
      const form = new FormData();
      form.append('payload_json', payload);
      form.append('files[0]', new Blob([new Uint8Array(o.chart.png)], { type: 'image/png' }), o.chart.filename);
      // Serialized once (the Response sets multipart/form-data with its boundary), then sent as bytes.
      const encoded = new Response(form);
      return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? 'multipart/form-data' };
    }),
  );
}
