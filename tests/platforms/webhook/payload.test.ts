/**
 * A command named in a webhook's message: a hook posts to a place that is no chat of the bot's (a
 * Slack channel, a Discord channel through its own webhook, a receiver's server), with no menu to
 * match and no application whose command could be mentioned, so every format carries the declared
 * Latin name (`/subscribe`), the one every platform's bot answers to, never a menu name or a mention.
 */
import { describe, expect, test } from 'vitest';
import { discordPayload, jsonPayload, slackPayload, type Outgoing } from '../../../src/platforms/webhook/payload.ts';
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
  test('GIVEN texts of emoji past every limit THEN each is within its limit, cut between whole emoji, ending in …', () => {
    const body = slackPayload(
      long({ title: emojis(100), lines: [emojis(2000)], fields: [{ name: emojis(10), value: emojis(1500), inline: true }], footer: emojis(2000) }),
    ) as { text: string; blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
    for (const s of strings(body)) expect(wellFormed(s), JSON.stringify(s.slice(-4))).toBe(true);
    expect(body.text.length).toBeLessThanOrEqual(3000);
    expect(body.text.endsWith('📈…')).toBe(true);
    expect(body.blocks[0]?.text?.text.length).toBeLessThanOrEqual(150);
    expect(body.blocks[1]?.text?.text.length).toBeLessThanOrEqual(3000);
    expect(body.blocks[2]?.fields?.[0]?.text.length).toBeLessThanOrEqual(2000);
    expect(body.blocks[2]?.fields?.[0]?.text).toMatch(/^\*a(📈){10}\*\n/);
    expect(body.blocks[3]?.elements?.[0]?.text.length).toBeLessThanOrEqual(3000);
  });

  test('GIVEN a text of & and < cut by the limit THEN no half escape is left (&am…)', () => {
    const body = slackPayload(long({ lines: [`ab${'&<'.repeat(800)}`] })) as { text: string; blocks: { text?: { text: string } }[] };
    for (const s of [body.text, body.blocks[0]?.text?.text ?? '']) expect(s.replace(/&(amp|lt|gt);/g, '')).not.toMatch(/&/);
  });

  test('GIVEN a flag cut by the limit THEN it is kept whole or dropped, not left as one letter', () => {
    const body = slackPayload(long({ title: `${'x'.repeat(147)}🇹🇼` })) as { blocks: { text?: { text: string } }[] };
    expect(body.blocks[0]?.text?.text).toBe(`${'x'.repeat(147)}…`);
  });
});

describe('a long message in a Discord body', () => {
  test("GIVEN 30 fields of 1,024 and a body of 4,096 THEN the embed keeps Discord's limits: 25 fields at most, 6,000 in all, no content, one embed", () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: emojis(600), inline: true }));
    const body = discordPayload(long({ title: emojis(200), lines: [emojis(3000)], fields, footer: emojis(1100) })) as {
      content?: string;
      embeds: { title: string; description: string; fields?: { name: string; value: string }[]; footer: { text: string } }[];
    };
    expect(body.content).toBeUndefined();
    expect(body.embeds).toHaveLength(1);
    const e = body.embeds[0]!;
    for (const s of strings(body)) expect(wellFormed(s), JSON.stringify(s.slice(-4))).toBe(true);
    expect(e.title.length).toBeLessThanOrEqual(256);
    expect(e.description.length).toBeLessThanOrEqual(4096);
    expect(e.footer.text.length).toBeLessThanOrEqual(2048);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(25);
    for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
    const total = e.title.length + e.description.length + e.footer.text.length + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    // The body is kept readable: fields give way before it does.
    expect(e.description.length).toBeGreaterThanOrEqual(2000);
  });

  test('GIVEN a short message THEN nothing is cut and every field is kept', () => {
    const fields = Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, value: '📈 up', inline: true }));
    const body = discordPayload(long({ title: 'T 📈', lines: ['one', 'two'], fields, footer: 'src' })) as {
      embeds: { title: string; description: string; fields: unknown[] }[];
    };
    expect(body.embeds[0]).toMatchObject({ title: 'T 📈', description: 'one\ntwo', fields });
  });

  test('GIVEN a cut right after an escaped character THEN the … is not escaped by a dangling backslash', () => {
    const body = discordPayload(long({ lines: ['*'.repeat(3000)] })) as { embeds: { description: string }[] };
    const d = body.embeds[0]!.description;
    expect(d.length).toBeLessThanOrEqual(4096);
    // Each * escaped as \*: the cut falls after a backslash, which is dropped, not left to escape the '…'.
    expect(d.endsWith('\\*…')).toBe(true);
  });
});
