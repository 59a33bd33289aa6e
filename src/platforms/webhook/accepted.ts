/**
 * Whether a Slack or Discord hook's 2xx was Slack or Discord taking the message, or something else
 * answering in their place (a captive portal's or a proxy's login page, 200 with HTML): that is not
 * delivered, and the operator is told what answered. Slack's incoming webhook answers the body `ok`
 * (a workflow's trigger JSON `{"ok":true}`); Discord's answers 204, or 200 with the message as JSON
 * (`?wait=true`). A generic `json` hook is any 2xx's, as before: its receiver is the operator's own.
 */
import type { WebhookFormat } from '../../store/webhooks.ts';
import { htmlTitle, plainLine } from './receiver-words.ts';

/** The most of what answered that is said: the start of a line, never a page. */
const SAID_CHARS = 80;

/**
 * undefined when delivered; otherwise the one line why not (`HTTP 200 from something other than
 * Slack: an HTML page "Sign in to Wi-Fi"`). `okBody`: the 2xx's first bytes, undefined when its
 * body had not ended by the deadline (then delivered on the status: waiting longer would post it again).
 */
export function notAccepted(format: WebhookFormat, status: number, contentType: string | undefined, okBody: string | undefined): string | undefined {
  if (format === 'json' || okBody === undefined) return undefined;
  const text = okBody.trim();
  // An empty 2xx is no page in Slack's or Discord's place; Discord's 204 is empty.
  if (text === '') return undefined;
  const json = parsed(text);
  const html = /html/i.test(contentType ?? '') || /^<(!doctype|html|head|body|\?xml)/i.test(text);
  if (format === 'discord') {
    if (!html && typeof json === 'object' && json !== null) return undefined;
  } else {
    if (text === 'ok') return undefined;
    if (typeof json === 'object' && json !== null && (json as { ok?: unknown }).ok === true) return undefined;
  }
  const who = format === 'discord' ? 'Discord' : 'Slack';
  return `HTTP ${status} from something other than ${who}: ${what(text, html)}`;
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An HTML page by its title (or as "an HTML page"), anything else by its first words: one plain line. */
function what(text: string, html: boolean): string {
  if (html) {
    const title = htmlTitle(text);
    return title === '' ? 'an HTML page' : `an HTML page "${plainLine(title, SAID_CHARS)}"`;
  }
  return `"${plainLine(text, SAID_CHARS)}"`;
}
