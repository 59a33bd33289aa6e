/**
 * README.zh-TW.md (Taiwan) and README.zh-CN.md (the mainland) translate README.md's user-facing
 * sections and must keep in step: the same sections in the same order and at the same depth (each
 * Chinese heading carries its English anchor), the same configuration variables and the same
 * commands, and no variable or command in a code span that the English README does not have. A
 * section added in English fails here until it is translated into both: every section is, the
 * command line and development included (a reader of Chinese only is sent nowhere else).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { argsOn } from '../src/chat/args.ts';
import { findCommand } from '../src/chat/registry.ts';

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
const en = read('README.md');
const zh = read('README.zh-TW.md');
const cn = read('README.zh-CN.md');
/** Each translation, with the name of the link the other READMEs give it at their top. */
const TRANSLATIONS: [string, string][] = [
  ['README.zh-TW.md', zh],
  ['README.zh-CN.md', cn],
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

/** `##`/`###` headings outside code blocks, as [depth, text]. */
function headings(md: string): [number, string][] {
  const out: [number, string][] = [];
  let fenced = false;
  for (const line of md.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = !fenced && /^(#{2,3}) (.+)$/.exec(line);
    if (m) out.push([m[1]!.length, m[2]!]);
  }
  return out;
}

/** The Chinese sections: each heading right after an `<a id="english-anchor"></a>` line. */
function anchored(md: string): [number, string][] {
  const lines = md.split('\n');
  const out: [number, string][] = [];
  lines.forEach((line, i) => {
    const a = /^<a id="([\w-]+)"><\/a>$/.exec(line);
    const h = a && /^(#{2,3}) /.exec(lines[i + 1] ?? '');
    if (a) out.push([h ? h[1]!.length : 0, a[1]!]);
  });
  return out;
}

/** Where a section starts: its English heading line, or in a translation the anchor above its Chinese heading. */
const sectionStart = (md: string, anchor: string, englishHeading: string) => (md === en ? md.indexOf(englishHeading) : md.indexOf(`<a id="${anchor}"></a>`));

/** The first column of the table in the section that starts at `start` (up to the next `## `): variable names or commands. */
function firstColumn(md: string, start: number): string[] {
  expect(start).toBeGreaterThanOrEqual(0);
  const headingEnd = md.indexOf('\n', md.indexOf('#', start));
  const end = md.indexOf('\n## ', headingEnd);
  const section = md.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\| (`[^`]+`)/gm)].map((m) => m[1]!);
}

describe.each(TRANSLATIONS)('%s', (file, zh) => {
  test("GIVEN each translated section THEN it has the English one's paragraphs led by a bold title (**Docker.**, **One goldratio per database file.**), as many", () => {
    /** Per `## ` section, in order: how many lines start with a bold title. */
    const leads = (md: string) =>
      md
        .split(/\n## /)
        .slice(1)
        .map((section) => ({ section: section.slice(0, section.indexOf('\n')), leads: (section.match(/^\*\*[^*]+\*\*/gm) ?? []).length }));
    const english = leads(en);
    expect(english.find((s) => s.section === 'Running it in production')?.leads).toBeGreaterThanOrEqual(12);
    expect(
      leads(zh).map((s) => s.leads),
      file,
    ).toEqual(english.map((s) => s.leads));
  });

  test('GIVEN it and README.md THEN the Chinese one has every user-facing English section, in order, at the same depth', () => {
    const wanted = headings(en).map(([depth, text]): [number, string] => [depth, slug(text)]);
    expect(wanted.length).toBeGreaterThanOrEqual(9);
    expect(anchored(zh)).toEqual(wanted);
    // No Chinese heading without its English anchor.
    expect(headings(zh).length).toBe(anchored(zh).length);
  });

  test('GIVEN the READMEs THEN each links to this one at its top, and this one to each of them', () => {
    const top = (md: string) => md.split('\n').slice(0, 5).join('\n');
    for (const [other, md] of [['README.md', en], ...TRANSLATIONS]) {
      if (other === file) continue;
      expect(top(md!), `${other} → ${file}`).toContain(`(${file})`);
      expect(top(zh), `${file} → ${other}`).toContain(`(${other})`);
    }
  });

  test("GIVEN the Quick start's opening THEN the Chinese one names the same versions, commands and messages (npm 12's allowScripts, npm rebuild)", () => {
    /** The section's text up to its first subsection: the versions (Node.js 20.18, npm 11) and the inline code spans in it. */
    const opening = (md: string) => {
      const start = sectionStart(md, 'quick-start', '## Quick start');
      expect(start).toBeGreaterThanOrEqual(0);
      const text = md.slice(start, md.indexOf('\n### ', start));
      const prose = text.replace(/```[\s\S]*?```/g, '');
      return {
        versions: [...prose.matchAll(/(?:Node\.js|npm) ?[\d.]+(?: (?:or|或) \d+)?/g)].map((m) => m[0].replace(' 或 ', ' or ')),
        code: [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' ')),
      };
    };
    const english = opening(en);
    const chinese = opening(zh);
    expect(english.code).toContain('npm rebuild better-sqlite3');
    expect(new Set(chinese.code)).toEqual(new Set(english.code));
    expect(chinese.versions).toEqual(english.versions);
  });

  test('GIVEN the configuration and command tables THEN both list the same variables and Telegram commands', () => {
    const vars = firstColumn(en, sectionStart(en, 'configuration', '## Configuration'));
    expect(vars.length).toBeGreaterThan(40);
    expect(firstColumn(zh, sectionStart(zh, 'configuration', '## Configuration'))).toEqual(vars);
    const commands = (md: string) => firstColumn(md, sectionStart(md, 'commands', '### Commands')).map((c) => c.split(' ')[0]);
    expect(commands(en).length).toBeGreaterThan(10);
    expect(commands(zh)).toEqual(commands(en));
  });

  test.each([
    ['command-line', '## Command line', 150],
    ['development', '## Development', 20],
  ])(
    "GIVEN the %s section THEN it has the English one's code spans, each as often, in Chinese word order (commands, options, outputs as typed)",
    (anchor, heading, atLeast) => {
      /** The section's inline code spans, from its start to the next `## ` heading (or the end). */
      const spans = (md: string) => {
        const start = sectionStart(md, anchor, heading);
        expect(start, `${anchor} in ${md === en ? 'README.md' : file}`).toBeGreaterThanOrEqual(0);
        const end = md.indexOf('\n## ', md.indexOf('\n', md.indexOf('#', start)));
        return [...md.slice(start, end === -1 ? undefined : end).matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
      };
      const english = spans(en);
      expect(english.length).toBeGreaterThan(atLeast);
      expect(spans(zh).sort()).toEqual(english.sort());
    },
  );

  test('GIVEN its code spans THEN every variable and slash command it names is one the English README names (no misspelt or invented one)', () => {
    /** The first word of each inline code span and code block line: `TELEGRAM_BOT_TOKEN=…`, `/digest 08:00`. */
    const firstWords = (md: string) =>
      new Set([...md.matchAll(/`+([^`]+)`+/g)].flatMap((m) => m[1]!.split('\n')).map((s) => s.trim().split(/[\s=[{(:,.]/)[0]!));
    const english = firstWords(en);
    const named = [...firstWords(zh)].filter((w) => /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(w) || /^\/[a-z]+$/.test(w));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter((w) => !english.has(w))).toEqual([]);
  });
});

describe('the Discord column of the command tables', () => {
  test.each([['README.md', en], ...TRANSLATIONS])(
    "GIVEN %s THEN each command's options are named as Discord's form names them, the required ones without brackets",
    (_, md) => {
      const rows = md.split('\n').filter((line) => line.startsWith('| `/'));
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) {
        const discord = row.split(/(?<!\\)\|/)[2] ?? '';
        for (const [, name, options] of discord.matchAll(/`\/(\w+)((?: [^`]+)?)`/g)) {
          const args = argsOn(findCommand(name!)?.args ?? [], 'discord');
          const shown = args.map((a) => (a.required === true ? a.name : `[${a.name}]`)).join(' ');
          expect(options!.trim(), row).toBe(shown);
        }
      }
    },
  );
});
