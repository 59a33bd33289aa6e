/** The digest from the stored data: the read side every sender (chat, CLI preview) shares. */
import { buildDigest, type DigestData } from '../domain/digest.ts';
import { QQQ_LAUNCH } from '../domain/instruments.ts';
import { ESSAY_LEVELS } from '../domain/levels.ts';
import type { StoryOptions } from '../domain/story.ts';
import type { MarketView } from './market-view.ts';
import { storyOf } from './story-view.ts';

export function digestOf(view: MarketView, o: StoryOptions): DigestData | undefined {
  const s = storyOf(view, o);
  return buildDigest({
    series: { 'spx-gold': view.ratio('spx-gold'), 'qqq-gold': view.ratio('qqq-gold') },
    levels: ESSAY_LEVELS,
    stories: s.pairs,
    m2: view.store.closes('m2'),
    power: view.power(QQQ_LAUNCH),
    approachPct: o.approachPct,
  });
}
