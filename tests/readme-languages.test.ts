/**
 * README.zh-TW.md translates README.md's user-facing sections and must keep in step: the same
 * sections in the same order and at the same depth (each Chinese heading carries its English
 * anchor), the same configuration variables and the same commands. A section added in English
 * fails here until it is translated, or listed below as one readers of Chinese are sent to the
 * English README for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { argsOn } from '../src/chat/args.ts';
import { findCommand } from '../src/chat/registry.ts';

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');
const en = read('README.md');
const zh = read('README.zh-TW.md');

/** Sections for developers: the Chinese README links to the English one for these. */
const UNTRANSLATED = new Set(['command-line', 'benchmarks', 'development']);

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

/** The first column of the table under `## <heading>`: variable names or commands. */
function firstColumn(md: string, headingLine: string): string[] {
  const start = md.indexOf(headingLine);
  const section = md.slice(start, md.indexOf('\n## ', start + 1) === -1 ? undefined : md.indexOf('\n## ', start + 1));
  return [...section.matchAll(/^\| (`[^`]+`)/gm)].map((m) => m[1]!);
}

describe('README.zh-TW.md', () => {
  test('GIVEN both READMEs THEN the Chinese one has every user-facing English section, in order, at the same depth', () => {
    const wanted = headings(en)
      .map(([depth, text]): [number, string] => [depth, slug(text)])
      .filter(([, s]) => !UNTRANSLATED.has(s));
    expect(wanted.length).toBeGreaterThanOrEqual(9);
    expect(anchored(zh)).toEqual(wanted);
    // No Chinese heading without its English anchor.
    expect(headings(zh).length).toBe(anchored(zh).length);
  });

  test('GIVEN the untranslated list THEN each is still an English section (a renamed one must be listed again)', () => {
    const sections = new Set(headings(en).map(([, text]) => slug(text)));
    for (const s of UNTRANSLATED) expect(sections.has(s)).toBe(true);
  });

  test('GIVEN both READMEs THEN each links to the other at its top', () => {
    expect(en.split('\n').slice(0, 5).join('\n')).toContain('(README.zh-TW.md)');
    expect(zh.split('\n').slice(0, 5).join('\n')).toContain('(README.md)');
  });

  test("GIVEN the Quick start's opening THEN the Chinese one names the same versions, commands and messages (npm 12's allowScripts, npm rebuild)", () => {
    /** The section's text up to its first subsection: the versions (Node.js 20.18, npm 11) and the inline code spans in it. */
    const opening = (md: string, heading: string) => {
      const start = md.indexOf(heading);
      const text = md.slice(start, md.indexOf('\n### ', start));
      const prose = text.replace(/```[\s\S]*?```/g, '');
      return {
        versions: [...prose.matchAll(/(?:Node\.js|npm) ?[\d.]+(?: (?:or|或) \d+)?/g)].map((m) => m[0].replace(' 或 ', ' or ')),
        code: [...prose.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' ')),
      };
    };
    const english = opening(en, '## Quick start');
    const chinese = opening(zh, '## 快速開始');
    expect(english.code).toContain('npm rebuild better-sqlite3');
    expect(new Set(chinese.code)).toEqual(new Set(english.code));
    expect(chinese.versions).toEqual(english.versions);
  });

  test('GIVEN the configuration and command tables THEN both list the same variables and Telegram commands', () => {
    const vars = firstColumn(en, '## Configuration');
    expect(vars.length).toBeGreaterThan(40);
    expect(firstColumn(zh, '## 設定')).toEqual(vars);
    const commands = (md: string, h: string) => firstColumn(md, h).map((c) => c.split(' ')[0]);
    expect(commands(zh, '### 指令')).toEqual(commands(en, '### Commands'));
  });
});

describe('the Discord column of the command tables', () => {
  test.each([
    ['README.md', en],
    ['README.zh-TW.md', zh],
  ])("GIVEN %s THEN each command's options are named as Discord's form names them, the required ones without brackets", (_, md) => {
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
  });
});
