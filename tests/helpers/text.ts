/** Text checks shared by tests. */

/** No lone surrogate: half an emoji, which Telegram, Discord and Slack refuse or show as garbage. */
export const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
