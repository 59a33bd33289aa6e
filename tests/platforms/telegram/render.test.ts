/** A message fitted into one photo caption, for a chat that takes photos from the bot but no text. */
import { describe, expect, test } from 'vitest';
import type { Reply } from '../../../src/chat/reply.ts';
import { fittedCaption } from '../../../src/platforms/telegram/render.ts';

const reply = (lines: string[], title?: string): Reply => ({ status: 'ok', lines: lines.map((l) => [l]), ...(title !== undefined ? { title } : {}) });

describe('fittedCaption', () => {
  test.each([
    ['GIVEN lines that fit THEN they are all kept, nothing marked', reply(['a'.repeat(10), 'b'.repeat(10)], 'Head'), 40, '<b>Head</b>\naaaaaaaaaa\nbbbbbbbbbb'],
    [
      'GIVEN a line that does not fit with room left THEN it is cut with "…"',
      reply(['a'.repeat(10), 'b'.repeat(60)], 'Head'),
      40,
      `<b>Head</b>\naaaaaaaaaa\n${'b'.repeat(23)}…`,
    ],
    [
      'GIVEN little room left THEN the line is dropped for a last "…"',
      reply(['a'.repeat(30), 'b'.repeat(60)], 'Head'),
      40,
      `<b>Head</b>\n${'a'.repeat(30)}\n…`,
    ],
    ['GIVEN kept lines ending within two characters of the limit THEN the last makes way for "…"', reply(['a'.repeat(34), 'b'], 'Head'), 39, '<b>Head</b>\n…'],
    ['GIVEN a headline longer than the caption THEN it is cut with "…"', reply(['x'], 'H'.repeat(80)), 40, `${'H'.repeat(39)}…`],
    ['GIVEN a cut inside a flag THEN it falls before the flag', reply(['🇹🇼'.repeat(20)], 'Head'), 40, `<b>Head</b>\n${'🇹🇼'.repeat(8)}…`],
    [
      'GIVEN text to escape THEN the limit counts what is shown and the caption is escaped',
      reply(['<&>'.repeat(20)]),
      10,
      '&lt;&amp;&gt;&lt;&amp;&gt;&lt;&amp;&gt;…',
    ],
  ])('%s', (_, r, max, caption) => {
    expect(fittedCaption(r, max)).toBe(caption);
  });
});
