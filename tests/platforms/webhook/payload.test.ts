/**
 * A command named in a webhook's message: a hook posts to a place that is no chat of the bot's (a
 * Slack channel, a Discord channel through its own webhook, a receiver's server), with no menu to
 * match and no application whose command could be mentioned, so every format carries the declared
 * Latin name (`/subscribe`), the one every platform's bot answers to, never a menu name or a mention.
 */
import { describe, expect, test } from 'vitest';
import { discordPayload, discordPayloads, jsonPayload, slackPayload, slackPayloads, type Outgoing } from '../../../src/platforms/webhook/payload.ts';
import { formErrors } from '../../fakes/discord.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';
import { wellFormed } from '../../helpers/text.ts';

const outgoing = (lang: Lang): Outgoing => ({
  kind: 'alert',
  messageKey: 'm1',
  lang,
  chart: undefined,
  message: {
    lang,
    title: t(lang, 'chat.sub.required'),
    lines: [t(lang, 'move.paused')],
    fields: [{ name: 'x', value: t(lang, 'chat.sub.stopped.gone'), inline: false }],
    footer: t(lang, 'chat.start.more'),
    chart: undefined,
    mention: false,
    tone: undefined,
  },
});

describe('a command named in a webhook payload', () => {
  test.each(['zh-TW', 'zh-CN', 'en'] as const)(
    'GIVEN a %s message naming /subscribe and /help THEN json, Slack and Discord bodies carry the Latin names',
    (lang) => {
      for (const body of [jsonPayload(outgoing(lang)), slackPayload(outgoing(lang)), discordPayload(outgoing(lang))]) {
        const text = JSON.stringify(body);
        expect(text).toContain('/subscribe');
        expect(text).toContain('/help');
        expect(text).not.toMatch(/\/(訂閱|订阅|說明|帮助)|<\/subscribe:/);
      }
    },
  );
});

const long = (o: { title?: string; lines?: string[]; fields?: { name: string; value: string; inline: boolean }[]; footer?: string }): Outgoing => ({
  kind: 'alert',
  messageKey: 'm2',
  lang: 'en',
  chart: undefined,
  message: { lang: 'en', title: o.title, lines: o.lines ?? [], fields: o.fields ?? [], footer: o.footer, chart: undefined, mention: false, tone: 'up' },
});
/** Every string in a body, however deep. */
const strings = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : typeof v === 'object' && v !== null ? Object.values(v).flatMap(strings) : [];
// An odd offset, so that a cut at an even limit falls between an emoji's two halves.
const emojis = (n: number): string => `a${'📈'.repeat(n)}`;

describe('a long message in a Slack body', () => {
  test('GIVEN texts of emoji past every limit THEN each body is within Slack’s limits, no half emoji, and the lines and footer arrive whole across them', () => {
    const line = emojis(2000);
    const foot = emojis(2000);
    const bodies = slackPayloads(
      long({ title: emojis(100), lines: [line], fields: [{ name: emojis(10), value: emojis(1500), inline: true }], footer: foot }),
    ) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] }[];
    expect(bodies.length).toBeGreaterThan(1);
    for (const s of strings(bodies)) expect(wellFormed(s), JSON.stringify(s.slice(-4))).toBe(true);
    for (const b of bodies) expect(b.text.length).toBeLessThanOrEqual(3000);
    const blocks = bodies.flatMap((b) => b.blocks);
    expect(blocks[0]?.type).toBe('header');
    expect(blocks[0]?.text?.text.length).toBeLessThanOrEqual(150);
    const sections = blocks.filter((x) => x.type === 'section' && x.text !== undefined).map((x) => x.text!.text);
    for (const t of sections) expect(t.length).toBeLessThanOrEqual(3000);
    // Cut in pieces between whole emoji, one a line: together, the line as written.
    expect(sections.join('\n').replaceAll('\n', '')).toBe(line);
    const field = blocks.flatMap((x) => x.fields ?? [])[0]!;
    expect(field.text.length).toBeLessThanOrEqual(2000);
    expect(field.text).toMatch(/^\*a(📈){10}\*\n/);
    expect(field.text.endsWith('📈…')).toBe(true);
    const context = blocks.filter((x) => x.type === 'context').map((x) => x.elements![0]!.text);
    for (const t of context) expect(t.length).toBeLessThanOrEqual(3000);
    expect(context.join('')).toBe(foot);
  });

  test('GIVEN 1,000 short fields THEN every one arrives, by 10 a section, no body over 50 blocks or 3,000 characters of text', () => {
    const fields = Array.from({ length: 1000 }, () => ({ name: '', value: '', inline: true }));
    const bodies = slackPayloads(long({ title: 'T', lines: ['a'], fields, footer: 'src' })) as { text: string; blocks: { fields?: unknown[] }[] }[];
    expect(bodies.length).toBeGreaterThan(1);
    for (const b of bodies) {
      expect(b.blocks.length).toBeLessThanOrEqual(50);
      expect(b.text.length).toBeLessThanOrEqual(3000);
      for (const x of b.blocks) expect(x.fields?.length ?? 0).toBeLessThanOrEqual(10);
    }
    expect(bodies.flatMap((b) => b.blocks.flatMap((x) => x.fields ?? []))).toHaveLength(1000);
  });

  test('GIVEN a text of & and < longer than a part THEN no escape is cut in two (&am…) and the text arrives whole', () => {
    const line = `ab${'&<'.repeat(800)}`;
    const bodies = slackPayloads(long({ lines: [line] })) as { text: string; blocks: { text?: { text: string } }[] }[];
    for (const b of bodies) for (const s of [b.text, b.blocks[0]?.text?.text ?? '']) expect(s.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/&/);
    const shown = bodies.map((b) => b.text).join('');
    expect(shown.replaceAll('\n', '').replaceAll('&lt;', '<').replaceAll('&amp;', '&')).toBe(line);
  });

  test('GIVEN a flag cut by the limit THEN it is kept whole or dropped, not left as one letter', () => {
    const body = slackPayload(long({ title: `${'x'.repeat(147)}🇹🇼` })) as { blocks: { text?: { text: string } }[] };
    expect(body.blocks[0]?.text?.text).toBe(`${'x'.repeat(147)}…`);
  });
});

describe('a long message in a Discord body', () => {
  test("GIVEN 30 fields of 1,024 and a body of 4,096 THEN the bodies keep Discord's limits (10 embeds, 6,000 a message, no content) and carry every field and the whole body", () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: emojis(600), inline: true }));
    const line = emojis(3000);
    const bodies = discordPayloads(long({ title: emojis(200), lines: [line], fields, footer: emojis(1100) })) as {
      content?: string;
      embeds: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
    }[];
    expect(bodies.length).toBeGreaterThan(1);
    for (const s of strings(bodies)) expect(wellFormed(s), JSON.stringify(s.slice(-4))).toBe(true);
    for (const b of bodies) {
      expect(b.content).toBeUndefined();
      expect(formErrors('/webhooks/1/token', b as never)).toBeUndefined();
    }
    const embeds = bodies.flatMap((b) => b.embeds);
    expect(embeds[0]?.title?.length).toBeLessThanOrEqual(256);
    expect(embeds.flatMap((e) => e.fields ?? []).map((f) => f.name)).toEqual(fields.map((f) => f.name));
    expect(
      embeds
        .map((e) => e.description ?? '')
        .join('')
        .replaceAll('\n', ''),
    ).toBe(line);
    expect(embeds.at(-1)?.footer?.text.length).toBeLessThanOrEqual(2048);
  });

  test('GIVEN a short message THEN nothing is cut and every field is kept', () => {
    const fields = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, value: '📈 up', inline: true }));
    const body = discordPayload(long({ title: 'T 📈', lines: ['one', 'two'], fields, footer: 'src' })) as {
      embeds: { title: string; description: string; fields: unknown[] }[];
    };
    expect(body.embeds[0]).toMatchObject({ title: 'T 📈', description: 'one\ntwo', fields });
  });

  test('GIVEN a line of escaped characters longer than an embed THEN it is cut before escaping: no dangling backslash, every character kept', () => {
    const bodies = discordPayloads(long({ lines: ['*'.repeat(3000)] })) as { embeds: { description?: string }[] }[];
    const ds = bodies.flatMap((b) => b.embeds.map((e) => e.description ?? ''));
    for (const d of ds) {
      expect(d.length).toBeLessThanOrEqual(4096);
      expect(d).toMatch(/^(\\\*|\n)+$/);
    }
    expect(ds.join('').replaceAll('\n', '')).toBe('\\*'.repeat(3000));
  });
});
