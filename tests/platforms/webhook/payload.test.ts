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
  test('GIVEN texts of emoji past every limit THEN each body is within Slack’s limits, no half emoji, and the title, lines, field and footer arrive whole across them', () => {
    const line = emojis(2000);
    const foot = emojis(2000);
    const title = emojis(100);
    const field = { name: emojis(10), value: emojis(1500), inline: true };
    const bodies = slackPayloads(long({ title, lines: [line], fields: [field], footer: foot })) as {
      text: string;
      blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
    }[];
    expect(bodies.length).toBeGreaterThan(1);
    for (const s of strings(bodies)) expect(wellFormed(s), JSON.stringify(s.slice(-4))).toBe(true);
    for (const b of bodies) expect(b.text.length).toBeLessThanOrEqual(3000);
    const blocks = bodies.flatMap((b) => b.blocks);
    expect(blocks[0]?.type).toBe('header');
    const header = blocks[0]?.text?.text ?? '';
    expect(header.length).toBeLessThanOrEqual(150);
    const sections = blocks.filter((x) => x.type === 'section' && x.text !== undefined).map((x) => x.text!.text);
    for (const t of sections) expect(t.length).toBeLessThanOrEqual(3000);
    // Cut in pieces between whole emoji, one a line: the title's rest opens the body, then the line,
    // then the field too long for a field (as `name: value`, cut at its space): together, as written.
    expect(header + sections.join('\n').replaceAll('\n', '')).toBe(`${title}${line}${field.name}:${field.value}`);
    expect(blocks.flatMap((x) => x.fields ?? [])).toEqual([]);
    expect(strings(bodies).join('')).not.toContain('…');
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

  test('GIVEN a flag cut by the header’s limit THEN it is kept whole, in the body, not left as one letter', () => {
    const body = slackPayload(long({ title: `${'x'.repeat(147)}🇹🇼` })) as { blocks: { text?: { text: string } }[] };
    expect(body.blocks.map((b) => b.text?.text)).toEqual(['x'.repeat(147), '🇹🇼']);
  });

  test.each([
    [
      'en',
      'SPX/Gold fell below the 2.5 line drawn from the QE decade’s resistance, retested and failed twice since, now 2.410 on the close of 2026-11-17 in New York',
    ],
    [
      'zh-TW',
      '標普500／黃金比率跌破2.5（量化寬鬆十年的壓力線，曾回測失敗兩次），目前為2.410，紐約時間2026年11月17日收盤資料；此線為文章所列之長期支撐與壓力，請留意後續走勢與成交量變化，以及其他市場的相對表現與總體經濟數據的發布時程，避免單一訊號做出投資決策。',
    ],
    [
      'zh-CN',
      '标普500／黄金比率跌破2.5（量化宽松十年的阻力线，曾回测失败两次），目前为2.410，纽约时间2026年11月17日收盘数据；此线为文章所列的长期支撑与阻力，请关注后续走势与成交量变化，以及其他市场的相对表现与宏观经济数据的发布时间，避免依据单一信号做出投资决策。',
    ],
  ] as const)(
    'GIVEN a %s title longer than a header’s 150 THEN the header keeps what fits, at a word or character, and the rest opens the body: no word lost, no “…”',
    (lang, t) => {
      const title = `${t} ${t}`;
      expect(title.length).toBeGreaterThan(150);
      const body = slackPayload({ ...long({ title, lines: ['next line'] }), lang }) as { text: string; blocks: { type: string; text?: { text: string } }[] };
      const [header, section] = body.blocks;
      expect(header?.type).toBe('header');
      expect(header!.text!.text.length).toBeLessThanOrEqual(150);
      expect(wellFormed(header!.text!.text)).toBe(true);
      const [rest, next] = section!.text!.text.split('\n');
      expect(next).toBe('next line');
      // Between words where the title has spaces (the space dropped), else between characters.
      expect([`${header!.text!.text} ${rest}`, `${header!.text!.text}${rest}`]).toContain(title.replaceAll('&', '&amp;'));
      if (lang === 'en') expect(title.startsWith(`${header!.text!.text} `)).toBe(true);
      expect(JSON.stringify(body)).not.toContain('…');
    },
  );
});

describe('a long message in a Discord body', () => {
  test("GIVEN 30 fields of 1,024 and a body of 4,096 THEN the bodies keep Discord's limits (10 embeds, 6,000 a message, no content) and carry every field and the whole body", () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: emojis(500), inline: true }));
    const line = emojis(3000);
    const title = emojis(200);
    const footer = emojis(1000);
    const bodies = discordPayloads(long({ title, lines: [line], fields, footer })) as {
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
    // The title's rest opens the description, then the line: as written, nothing cut away.
    expect(
      embeds[0]!.title! +
        embeds
          .map((e) => e.description ?? '')
          .join('')
          .replaceAll('\n', ''),
    ).toBe(`${title}${line}`);
    expect(embeds.at(-1)?.footer?.text).toBe(footer);
    expect(strings(bodies).join('')).not.toContain('…');
  });

  test('GIVEN a title past 256, a field past 1,024 and a footer past 2,048 THEN each keeps what fits where it can and the rest is in the body, in order, no word lost', () => {
    const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const title = words(60, 'title');
    const field = { name: 'Closes', value: words(200, 'close'), inline: false };
    const footer = words(400, 'source');
    const bodies = discordPayloads(long({ title, lines: ['line'], fields: [{ name: 'ok', value: 'short', inline: true }, field], footer })) as {
      embeds: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }[];
    }[];
    for (const b of bodies) expect(formErrors('/webhooks/1/token', b as never)).toBeUndefined();
    const embeds = bodies.flatMap((b) => b.embeds);
    const head = embeds[0]!.title!;
    expect(head.length).toBeLessThanOrEqual(256);
    expect(title.startsWith(`${head} `)).toBe(true);
    const body = embeds.map((e) => e.description ?? '').join('\n');
    // A line longer than a description is cut at a space (which a line break replaces).
    expect(body.replace(/\\(.)/g, '$1').replaceAll('\n', ' ')).toBe([title.slice(head.length + 1), 'line', `Closes: ${field.value}`, footer].join(' '));
    expect(embeds.flatMap((e) => e.fields ?? [])).toEqual([{ name: 'ok', value: 'short', inline: true }]);
    expect(embeds.some((e) => e.footer !== undefined)).toBe(false);
    expect(JSON.stringify(bodies)).not.toContain('…');
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
