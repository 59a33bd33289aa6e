/**
 * A message as each webhook format carries it. `json`: goldratio's own versioned schema
 * (docs/webhook.md), the chart inline as base64. `slack`: Slack's incoming-webhook JSON (Block
 * Kit); Slack takes images only by public URL, which the bot has none of, so no chart. `discord`:
 * Discord's execute-webhook multipart, the chart as an attached file shown in the embed.
 */
import type { ChartFile } from '../../alerts/notifier.ts';
import type { LocalizedMessage, MessageData, MessageKind } from '../../domain/message.ts';
import { LANG_INFO, type Lang } from '../../domain/i18n/index.ts';
import type { WebhookFormat } from '../../store/webhooks.ts';
import { clipText } from '../../chat/split.ts';

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

/** Escaped Slack text within `max`: cut between whole graphemes (clipText), and never inside one of the escapes (`&am…`). */
function slackClip(text: string, max: number): string {
  const escaped = slackEscape(text);
  const clipped = clipText(escaped, max);
  return clipped === escaped ? escaped : clipped.replace(/&[a-z]{0,3}…$/, '…');
}

/** Slack incoming webhook: `text` (notifications, fallback) and Block Kit blocks within Slack's limits. */
export function slackPayload(o: Outgoing): Record<string, unknown> {
  const m = o.message;
  const blocks: Record<string, unknown>[] = [];
  // Slack's limits (Block Kit): a header's text 150, a section's 3,000, a field's 2,000 and 10 of them.
  if (m.title !== undefined) blocks.push({ type: 'header', text: { type: 'plain_text', text: clipText(m.title, 150), emoji: true } });
  if (m.lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackClip(m.lines.join('\n'), 3000) } });
  if (m.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: m.fields.slice(0, 10).map((f) => {
        // The name is kept whole where it can be: the value is what gives way.
        const name = slackClip(f.name, 200);
        return { type: 'mrkdwn', text: `*${name}*\n${slackClip(f.value, 2000 - name.length - 3)}` };
      }),
    });
  }
  if (m.footer !== undefined) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackClip(m.footer, 3000) }] });
  return { text: slackClip(plainText(m), 3000), blocks };
}

const COLORS = { green: 0x2e7d32, red: 0xc62828, neutral: 0x546e7a } as const;
/** As the bot's own embeds: a rise green in English, red where the reader's language reads red as up (langs.ts). */
function toneColor(tone: LocalizedMessage['tone'], lang: Lang): number {
  if (tone === undefined || tone === 'neutral') return COLORS.neutral;
  return (LANG_INFO[lang].risesRed ? tone === 'up' : tone === 'down') ? COLORS.red : COLORS.green;
}
/** Discord markdown's special characters, escaped so a level note cannot format or ping. */
const discordEscape = (s: string): string => s.replace(/([\\*_~`|>#[\]()-])/g, '\\$1');

/** Discord's embed limits (docs: Embed Limits): each text's own, and 6,000 for all of an embed's texts together. */
export const DISCORD_EMBED = { title: 256, description: 4096, fields: 25, name: 256, value: 1024, footer: 2048, total: 6000 } as const;

/** Discord execute-webhook body (sent as `payload_json` beside the chart file): one embed, no `content`, within Discord's limits. */
export function discordPayload(o: Outgoing): Record<string, unknown> {
  const m = o.message;
  const L = DISCORD_EMBED;
  const title = m.title === undefined ? undefined : clipText(m.title, L.title);
  const footer = m.footer === undefined ? undefined : clipText(m.footer, L.footer);
  const fields = m.fields.slice(0, L.fields).map((f) => ({ name: clipText(f.name, L.name), value: clipText(f.value, L.value), inline: f.inline }));
  const text = discordEscape(m.lines.join('\n'));
  // Over the 6,000 in all, Discord refuses the message: the last fields give way first, the body
  // keeping up to 2,048 characters; then the body is cut to what is left.
  const fixed = () => (title?.length ?? 0) + (footer?.length ?? 0) + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const kept = Math.min(text.length, 2048);
  while (fields.length > 0 && fixed() + kept > L.total) fields.pop();
  // A cut right after an escaping backslash would escape the '…' instead: that backslash goes too.
  const description = clipText(text, Math.min(L.description, L.total - fixed())).replace(/(?<!\\)((?:\\\\)*)\\…$/, '$1…');
  const embed = {
    ...(title !== undefined ? { title } : {}),
    description,
    color: toneColor(m.tone, o.lang),
    ...(fields.length > 0 ? { fields } : {}),
    ...(footer !== undefined ? { footer: { text: footer } } : {}),
    ...(o.chart !== undefined ? { image: { url: `attachment://${o.chart.filename}` } } : {}),
  };
  return {
    username: 'goldratio',
    embeds: [embed],
    // A webhook message pings nobody: never @everyone, a role or a user named in a text.
    allowed_mentions: { parse: [] },
    ...(o.chart !== undefined ? { attachments: [{ id: 0, filename: o.chart.filename }] } : {}),
  };
}

/** The body and its content type for a format (headers such as the signature are the notifier's). */
export async function requestBody(format: WebhookFormat, o: Outgoing): Promise<{ readonly body: string | Buffer; readonly contentType: string }> {
  if (format === 'json') return { body: JSON.stringify(jsonPayload(o)), contentType: 'application/json' };
  if (format === 'slack') return { body: JSON.stringify(slackPayload(o)), contentType: 'application/json' };
  const payload = JSON.stringify(discordPayload(o));
  if (o.chart === undefined) return { body: payload, contentType: 'application/json' };
  const form = new FormData();
  form.append('payload_json', payload);
  form.append('files[0]', new Blob([new Uint8Array(o.chart.png)], { type: 'image/png' }), o.chart.filename);
  // Serialized once (the Response sets multipart/form-data with its boundary), then sent as bytes.
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? 'multipart/form-data' };
}
