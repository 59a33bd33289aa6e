/** The Traditional → Simplified fold of typed words: each pair a real twin, and the fold no word list's undoing. */
import { describe, expect, test } from 'vitest';
import { foldWord, HAN_TWINS, simplified } from '../../src/domain/han-fold.ts';
import { LANGS, t } from '../../src/domain/i18n/index.ts';
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

  test('GIVEN every word the catalogues accept THEN no two keys of one kind fold together', () => {
    // 全部 is both `all` (pairs) and MAX (ranges); within one kind a fold must not join two values.
    for (const kind of ['input.pair.', 'input.range.']) {
      const keys = Object.keys(args.en).filter((k) => k.startsWith(kind));
      const owner = new Map<string, string>();
      for (const key of keys)
        for (const word of LANGS.flatMap((l) => t(l, key).split('|')).map(foldWord)) {
          expect(owner.get(word) ?? key, `${word} in ${key} and ${owner.get(word)}`).toBe(key);
          owner.set(word, key);
        }
    }
  });

  test('GIVEN text with no Traditional character THEN simplified leaves it as it is', () => {
    expect(simplified('标普 spx 2.5 点位')).toBe('标普 spx 2.5 点位');
  });
});
