import type { Catalogue } from './index.ts';

/** Names shared by every area: instruments, pairs, units. */
export const core: Catalogue = {
  en: {
    'pair.spx-gold': 'SPX/Gold',
    'pair.qqq-gold': 'QQQ/Gold',
    'instrument.spx': 'S&P 500',
    'instrument.qqq': 'QQQ',
    'instrument.gold': 'Gold',
    'instrument.m2': 'M2 money supply',
  },
  'zh-TW': {
    'pair.spx-gold': '標普500/黃金',
    'pair.qqq-gold': 'QQQ/黃金',
    'instrument.spx': '標普500指數',
    'instrument.qqq': 'QQQ',
    'instrument.gold': '黃金',
    'instrument.m2': 'M2 貨幣供給',
  },
};
