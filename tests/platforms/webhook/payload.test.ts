/**
 * A command named in a webhook's message: a hook posts to a place that is no chat of the bot's (a
 * Slack channel, a Discord channel through its own webhook, a receiver's server), with no menu to
 * match and no application whose command could be mentioned, so every format carries the declared
 * Latin name (`/subscribe`), the one every platform's bot answers to, never a menu name or a mention.
 */
import { describe, expect, test } from 'vitest';
import { discordPayload, jsonPayload, slackPayload, type Outgoing } from '../../../src/platforms/webhook/payload.ts';
import { t, type Lang } from '../../../src/domain/i18n/index.ts';

const outgoing = (lang: Lang): Outgoing => ({
  kind: 'alert',
  messageKey: 'm1',
  lang,
  chart: undefined,
  message: {
    lang,
    title: t(lang, 'chat.sub.required'),
    lines: [t(lang, 'move.paused')],
    fields: [{ name: 'x', value: t(lang, 'chat.sub.stopped.gone'), inline: false }],
    footer: t(lang, 'chat.start.more'),
    chart: undefined,
    mention: false,
    tone: undefined,
  },
});

describe('a command named in a webhook payload', () => {
  test.each(['zh-TW', 'zh-CN', 'en'] as const)(
    'GIVEN a %s message naming /subscribe and /help THEN json, Slack and Discord bodies carry the Latin names',
    (lang) => {
      for (const body of [jsonPayload(outgoing(lang)), slackPayload(outgoing(lang)), discordPayload(outgoing(lang))]) {
        const text = JSON.stringify(body);
        expect(text).toContain('/subscribe');
        expect(text).toContain('/help');
        expect(text).not.toMatch(/\/(訂閱|订阅|說明|帮助)|<\/subscribe:/);
      }
    },
  );
});
