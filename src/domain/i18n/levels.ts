import type { Catalogue } from './index.ts';

/**
 * The essay's level notes and era names (src/domain/levels.ts reads them in every language). A note
 * keeps the essay's words; where the closes contradict them outright, the note says whose claim it
 * is (2.5: SPX/Gold closed above it for months of 2021–2024, not "retested and failed"), and /levels
 * prints what the data shows under each (domain/level-record.ts).
 */
export const levels: Catalogue = {
  en: {
    'era.bubble': '1999–2002 bubble peak',
    'era.gold': '2003–2011 flight to gold',
    'era.qe': '2012–2024 QE and tech',
    'era.reset': '2025– monetary reset',
    'level.note.spx-gold-5.5': 'Epic resistance: the 2000 peak',
    'level.note.spx-gold-2.5': 'QE-decade resistance, "retested and failed" per the essay',
    'level.note.spx-gold-0.6-0.7': 'Historic support zone: the 2011 bottom',
    'level.note.qqq-gold-0.4': 'Ceiling: the 2000 peak',
    'level.note.qqq-gold-0.25': 'Key resistance of the QE decade',
    'level.note.qqq-gold-0.03': 'Floor: the 2011 bottom',
    // The whole chat's (/mylevels), as on its chart: "Your level" read in a group as one member's.
    'level.note.custom': "This chat's level",
    'level.note.custom.channel': "This channel's level",
    'level.note.custom.dm': "This chat's level",
  },
  'zh-TW': {
    'era.bubble': '1999–2002年：泡沫頂峰',
    'era.gold': '2003–2011年：資金湧向黃金',
    'era.qe': '2012–2024年：量化寬鬆與科技',
    'era.reset': '2025年起：貨幣重置',
    'level.note.spx-gold-5.5': '歷史級壓力：2000年高峰',
    'level.note.spx-gold-2.5': '量化寬鬆十年的壓力，原文稱「多次叩關未果」',
    'level.note.spx-gold-0.6-0.7': '歷史支撐區：2011年底部',
    'level.note.qqq-gold-0.4': '天花板：2000年高峰',
    'level.note.qqq-gold-0.25': '量化寬鬆十年的關鍵壓力',
    'level.note.qqq-gold-0.03': '地板：2011年底部',
    'level.note.custom': '本聊天室水位',
    'level.note.custom.channel': '本頻道水位',
    'level.note.custom.dm': '本對話水位',
  },
  'zh-CN': {
    'era.bubble': '1999–2002年：泡沫顶峰',
    'era.gold': '2003–2011年：资金涌向黄金',
    'era.qe': '2012–2024年：量化宽松与科技',
    'era.reset': '2025年起：货币重置',
    'level.note.spx-gold-5.5': '史诗级阻力：2000年高峰',
    'level.note.spx-gold-2.5': '量化宽松十年的阻力，原文称“多次冲关未果”',
    'level.note.spx-gold-0.6-0.7': '历史支撑区：2011年底部',
    'level.note.qqq-gold-0.4': '天花板：2000年高峰',
    'level.note.qqq-gold-0.25': '量化宽松十年的关键阻力',
    'level.note.qqq-gold-0.03': '地板：2011年底部',
    'level.note.custom': '本聊天点位',
    'level.note.custom.channel': '本频道点位',
    'level.note.custom.dm': '本对话点位',
  },
};
