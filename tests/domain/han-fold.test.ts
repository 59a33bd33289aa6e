/** The folds of typed text: full-width forms as ASCII (both layers alike), and Traditional → Simplified, each pair a real twin. */
import { describe, expect, test } from 'vitest';
import { foldWord, HAN_TWINS, halfWidth, simplified } from '../../src/domain/han-fold.ts';
// The catalogue's index first: each area's file registers itself through it.
import '../../src/domain/i18n/index.ts';
import { chat } from '../../src/domain/i18n/chat.ts';
import { args } from '../../src/domain/i18n/args.ts';
import { digest } from '../../src/domain/i18n/digest.ts';
import { quietMove } from '../../src/domain/i18n/quiet-move.ts';
import { core } from '../../src/domain/i18n/core.ts';

/** Every text the Simplified catalogues show readers. */
const simplifiedTexts = [core, chat, args, digest, quietMove].flatMap((c) => Object.values(c['zh-CN'])).join('');

describe('foldWord', () => {
  test.each([
    ['最近三個月', '最近三个月'],
    ['標普500指數', '标普500指数'],
    ['２小時', '2小时'],
    ['勿擾 時段', '勿扰时段'],
    ['臺灣', '台湾'],
    ['ＳＰＸ', 'spx'],
  ])('GIVEN %s THEN it folds as %s does', (traditional, simplifiedTwin) => {
    expect(foldWord(traditional)).toBe(foldWord(simplifiedTwin));
  });

  test('GIVEN the twins THEN each Traditional character is one no Simplified text of the bot uses, and its twin is no Traditional one', () => {
    for (const [trad, simp] of HAN_TWINS) {
      expect(simplifiedTexts.includes(trad), `${trad} is written in the zh-CN catalogue`).toBe(false);
      expect(HAN_TWINS.has(simp), `${simp} is itself folded`).toBe(false);
      expect(simp).not.toBe(trad);
    }
  });

  test('GIVEN text with no Traditional character THEN simplified leaves it as it is', () => {
    expect(simplified('标普 spx 2.5 点位')).toBe('标普 spx 2.5 点位');
  });
});

describe('halfWidth', () => {
  test('GIVEN a command typed on a Chinese IME THEN its frame in ASCII', () => {
    expect(halfWidth('／ｒａｔｉｏ　ｓｐｘ，１ｙ')).toBe('/ratio spx,1y');
  });

  test('GIVEN each character halfWidth folds THEN NFKC (foldWord) folds it to the same, so a word compares alike whichever layer read it first', () => {
    const folds = [0x3000, ...Array.from({ length: 0xff5e - 0xff01 + 1 }, (_, i) => 0xff01 + i)].map((cp) => String.fromCodePoint(cp));
    const apart = folds.filter((c) => halfWidth(c) === c || halfWidth(c) !== c.normalize('NFKC') || foldWord(halfWidth(c)) !== foldWord(c));
    expect(apart).toEqual([]);
  });

  test('GIVEN compatibility forms only NFKC folds (①, ㍻) and Han text THEN halfWidth leaves them as typed: the argument parsers decide', () => {
    expect(halfWidth('①㍻ 標普')).toBe('①㍻ 標普');
    expect(foldWord('①')).toBe('1');
  });
});
