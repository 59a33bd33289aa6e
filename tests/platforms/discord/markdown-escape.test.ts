/**
 * The text of a Discord embed is escaped as discord.js's escapeMarkdown escapes it; a text holding
 * none of the characters it escapes is handed back without asking it (src/platforms/discord/render.ts).
 */
import { escapeMarkdown } from 'discord.js';
import { expect, test } from 'vitest';
import { lineMarkdown } from '../../../src/platforms/discord/render.ts';

test.each([
  ['a backslash', 'C:\\goldratio'],
  ['a backtick', 'run `status`'],
  ['a code block', '```js'],
  ['an asterisk', '2*3 and **bold**'],
  ['an underscore', 'snake_case and __under__'],
  ['a tilde pair', '~~gone~~'],
  ['a spoiler bar pair', '||hidden||'],
  ['a link with an underscore', 'https://example.com/a_b_c'],
  ['none of them', 'SPX/Gold 2.5 📉 (essay level) #1 - [a](b) > c'],
])('GIVEN a text with %s THEN its markdown is escapeMarkdown of it, in plain, bold and italic spans', (_, text) => {
  expect(lineMarkdown([text])).toBe(escapeMarkdown(text));
  expect(lineMarkdown([{ bold: text }])).toBe(`**${escapeMarkdown(text)}**`);
  expect(lineMarkdown([{ italic: text }])).toBe(`*${escapeMarkdown(text)}*`);
});
