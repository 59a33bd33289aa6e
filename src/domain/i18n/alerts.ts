/** Texts of level alerts (src/alerts/alert-text.ts), in English and Traditional Chinese. */
import type { Catalogue } from './index.ts';

export const alerts: Catalogue = {
  en: {
    'alert.cross-up': '{pair} broke above {level}: now {value}',
    'alert.cross-down': '{pair} fell below {level}: now {value}',
    'alert.zone-enter.down': '{pair} entered the {level} zone from above: now {value}',
    'alert.zone-enter.up': '{pair} entered the {level} zone from below: now {value}',
    'alert.zone-exit.up': '{pair} left the {level} zone upward: now {value}',
    'alert.zone-exit.down': '{pair} left the {level} zone downward: now {value}',
    'alert.approach.up': '{pair} is approaching {level} from below: now {value} ({distance} away)',
    'alert.approach.down': '{pair} is approaching {level} from above: now {value} ({distance} away)',
    'alert.basis.close': 'Daily close of {date}',
    'alert.basis.intraday': 'Live ratio, {date}',
    'alert.level.era': 'Era: {era}',
    'alert.console.chart': 'chart written to {path}',
  },
  'zh-TW': {
    'alert.cross-up': '{pair} 向上突破 {level}：目前 {value}',
    'alert.cross-down': '{pair} 跌破 {level}：目前 {value}',
    'alert.zone-enter.down': '{pair} 由上方進入 {level} 區間：目前 {value}',
    'alert.zone-enter.up': '{pair} 由下方進入 {level} 區間：目前 {value}',
    'alert.zone-exit.up': '{pair} 向上離開 {level} 區間：目前 {value}',
    'alert.zone-exit.down': '{pair} 向下跌出 {level} 區間：目前 {value}',
    'alert.approach.up': '{pair} 由下方逼近 {level}：目前 {value}（相距 {distance}）',
    'alert.approach.down': '{pair} 由上方逼近 {level}：目前 {value}（相距 {distance}）',
    'alert.basis.close': '{date} 收盤',
    'alert.basis.intraday': '即時比值，{date}',
    'alert.level.era': '時期：{era}',
    'alert.console.chart': '圖表已寫入 {path}',
  },
};
