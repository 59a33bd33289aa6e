/** The digest from the stored data: the read side every sender (chat, CLI preview) shares. */
import { buildDigest, type DigestData } from '../domain/digest.ts';
import { QQQ_LAUNCH } from '../domain/instruments.ts';
import { ESSAY_LEVELS } from '../domain/levels.ts';
import type { StoryOptions } from '../domain/story.ts';
import type { MarketSnapshot, MarketView } from './market-view.ts';
import { storyAt } from './story-view.ts';

export async function digestOf(view: MarketView, o: StoryOptions): Promise<DigestData | undefined> {
  return digestAt(view, await view.snapshot(), o);
}

/** The digest of one snapshot: the series, the story and the power all read the same closes. */
export function digestAt(view: MarketView, snap: MarketSnapshot, o: StoryOptions): DigestData | undefined {
  const s = storyAt(view, snap, o);
  return buildDigest({
    series: { 'spx-gold': snap.ratio('spx-gold'), 'qqq-gold': snap.ratio('qqq-gold') },
    gold: snap.closes('gold'),
    levels: ESSAY_LEVELS,
    stories: s.pairs,
    m2: snap.closes('m2'),
    power: snap.power(QQQ_LAUNCH),
    approachPct: o.approachPct,
  });
}
