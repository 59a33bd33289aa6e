import type { Catalogue } from './index.ts';

/** Texts of the operations side that users see (the flood limiter's notice, and the line a command dropped after it still gets on Discord). */
export const ops: Catalogue = {
  en: {
    'flood.slow-down':
      'You are sending commands too fast. Wait {seconds, plural, one {# second} other {# seconds}}; the commands you send until then are ignored.',
    'flood.still': 'Not run: still too fast. Try again in {seconds, plural, one {# second} other {# seconds}}.',
  },
  'zh-TW': {
    'flood.slow-down': '您傳送指令的速度太快了。請等待 {seconds} 秒；在此之前傳送的指令將被忽略。',
    'flood.still': '未執行：仍然太快。請在 {seconds} 秒後再試。',
  },
  'zh-CN': {
    'flood.slow-down': '您发送命令的速度太快了。请等待 {seconds} 秒；在此之前发送的命令将被忽略。',
    'flood.still': '未执行：仍然太快。请在 {seconds} 秒后再试。',
  },
};
