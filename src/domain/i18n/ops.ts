import type { Catalogue } from './index.ts';

/** Texts of the operations side that users see (the flood limiter's notice). */
export const ops: Catalogue = {
  en: {
    'flood.slow-down':
      'You are sending commands too fast. Wait {seconds, plural, one {# second} other {# seconds}}; the commands you send until then are ignored.',
  },
  'zh-TW': {
    'flood.slow-down': '您傳送指令的速度太快了。請等待 {seconds} 秒；在此之前傳送的指令將被忽略。',
  },
  'zh-CN': {
    'flood.slow-down': '您发送命令的速度太快了。请等待 {seconds} 秒；在此之前发送的命令将被忽略。',
  },
};
