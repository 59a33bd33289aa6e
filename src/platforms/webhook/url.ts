/**
 * Which addresses a webhook may post to: https anywhere; plain http only to this machine (a
 * receiver beside the bot, tests). Pure: checked at `webhook add` and again before every send, so a
 * hook stored by an older version cannot post in clear text elsewhere.
 */
import { domainToUnicode } from 'node:url';
import type { WebhookFormat } from '../../store/webhooks.ts';
import { plainLine } from './receiver-words.ts';

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The longest address taken: what browsers, CDNs and most servers accept (longer is refused or cut on the way). */
export const MAX_HOOK_URL = 2048;

/**
 * A stored address's length as sent (percent-encoded, no fragment) when it is over MAX_HOOK_URL: a
 * hook added before the limit, which every send refuses (start-up and `webhook list` say so by id).
 */
export function overLongAddress(text: string): number | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  url.hash = '';
  return url.href.length > MAX_HOOK_URL ? url.href.length : undefined;
}

/** The port written in an address the URL parser refused, when that port is what it refused (`:99999`, `:80a`). */
function badPort(text: string): string | undefined {
  const port = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]/?#]*\]|[^/?#:[\]]+):([^/?#]*)/i.exec(text)?.[1];
  if (port === undefined || port === '') return undefined;
  if (/^\d+$/.test(port) && Number(port) <= 65535) return undefined;
  return port.length <= 12 ? port : `${port.slice(0, 11)}…`;
}

/** The host as written in the address (the URL parser turns 127.0.0.1. into 127.0.0.1 unseen); undefined when none is found. */
function writtenHost(text: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]/?#]*\][^/?#:]*|[^/?#:[\]]+)/i.exec(text)?.[1];
}

/**
 * A host's trailing dot: a name's fully qualified form (localhost. is localhost, hooks.slack.com. is
 * hooks.slack.com) but nonsense after an IP address (127.0.0.1., [::1].) or twice (localhost..).
 * The refusal for the nonsense, or undefined.
 */
function trailingDotRefusal(text: string, shown: string): string | undefined {
  const host = writtenHost(text);
  if (host === undefined || !host.endsWith('.')) return undefined;
  const bare = host.replace(/\.+$/, '');
  if (host.startsWith('[') || /^[\d.]+$/.test(bare)) return `"${shown}": ${host} is an IP address, which takes no trailing dot: write ${bare}`;
  if (host.endsWith('..')) return `"${shown}": ${host} ends in more than one dot: write ${bare} (or ${bare}.)`;
  return undefined;
}

/**
 * A name with an empty label (`hooks..slack.com`, `.example.com`), which the URL parser keeps and no
 * resolver finds: refused at `webhook add`, not found out at the first alert. The refusal, or undefined.
 */
function emptyLabelRefusal(text: string, shown: string): string | undefined {
  const host = writtenHost(text);
  if (host === undefined || host.startsWith('[')) return undefined;
  const name = host.replace(/\.$/, '');
  if (name.startsWith('.')) return `"${shown}": ${host} starts with a dot: write ${name.replace(/^\.+/, '').replace(/\.{2,}/g, '.')}`;
  if (name.includes('..')) return `"${shown}": ${host} has two dots in a row: write ${name.replace(/\.{2,}/g, '.')}`;
  return undefined;
}

export type HookUrl = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly error: string };

export function checkHookUrl(text: string): HookUrl {
  // Quoted in one line whatever it holds (a line break shown as \n), its user and password never
  // (the refusal is printed, logged, and kept as a stored hook's last error).
  const bare = text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
  const shown = JSON.stringify(bare.length <= 60 ? bare : `${bare.slice(0, 59)}…`).slice(1, -1);
  const dotted = trailingDotRefusal(text.trim(), shown);
  if (dotted !== undefined) return { ok: false, error: dotted };
  const empty = emptyLabelRefusal(text.trim(), shown);
  if (empty !== undefined) return { ok: false, error: empty };
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    const port = badPort(text.trim());
    if (port !== undefined) return { ok: false, error: `"${shown}": ${port} is not a port (a number from 1 to 65535, or none for https's 443)` };
    return { ok: false, error: `"${shown}" is not a URL: give an https:// address` };
  }
  // The URL parser drops a line break or tab inside and encodes a space: the address would be another than the one given.
  if (/[\s\p{Cc}]/u.test(text.trim())) return { ok: false, error: `"${shown}" holds a space or a line break: give the address in one piece` };
  // The parser takes port 0, which no connection can reach.
  if (url.port === '0') return { ok: false, error: `"${shown}": 0 is not a port (a number from 1 to 65535, or none for https's 443)` };
  // A fragment never leaves this machine (HTTP does not send it): the address is the same without it.
  url.hash = '';
  // A name's trailing dot (its fully qualified form) is the name: checked, stored and sent without it,
  // as localhost. resolves nowhere on most machines (/etc/hosts has no "localhost.").
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.slice(0, -1);
  // Measured as it is sent (percent-encoded), so an address the receiver would refuse is refused here, once.
  if (url.href.length > MAX_HOOK_URL)
    return {
      ok: false,
      error: `the address is ${url.href.length.toLocaleString('en-US')} characters long; at most ${MAX_HOOK_URL.toLocaleString('en-US')} are accepted (as browsers and most servers do): "${shown}"`,
    };
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:') {
    if (LOCAL_HOSTS.has(url.hostname)) return { ok: true, url };
    return { ok: false, error: `"${shown}": plain http:// is refused (messages would travel unencrypted); use https://, or http:// only to localhost` };
  }
  return { ok: false, error: `"${shown}": ${url.protocol} addresses are refused; give an https:// address` };
}

/**
 * What makes two addresses one receiver, for `webhook add`'s "already posts there": the URL parser
 * already folds the host's case, a default port and a fragment; beyond it, a host's trailing dot
 * (example.com. is example.com in DNS) and a path's trailing slashes (/hook/ and /hook reach the same
 * handler on every receiver we know, and registering both sends every alert twice). The query is kept
 * as written, order included: a signed or tokenised query is the receiver's to read. The credentials
 * are kept: two accounts on one endpoint are two receivers.
 */
export function addressKey(url: URL): string {
  const host = url.hostname.replace(/\.$/, '');
  const auth = url.username !== '' || url.password !== '' ? `${url.username}:${url.password}@` : '';
  const path = url.pathname.replace(/\/+$/, '') || '/';
  return `${url.protocol}//${auth}${host}${url.port === '' ? '' : `:${url.port}`}${path}${url.search}`;
}

/**
 * An address as shown (`webhook list`, a redirect's target in a failure, which is logged and
 * stored): Slack's and Discord's webhook URLs carry their secret in the path, others in the user
 * info or the query. What is hidden is marked (…, ***@, ?…), so the operator sees it is there.
 */
export function shownUrl(url: string, base?: string): string {
  try {
    const u = new URL(url, base);
    const path = u.pathname.length > 12 ? `${u.pathname.slice(0, 12)}…` : u.pathname;
    const auth = u.username !== '' || u.password !== '' ? '***@' : '';
    const query = u.search !== '' ? '?…' : '';
    return `${u.protocol}//${auth}${u.host}${path}${query}`;
  } catch {
    // Not a URL (a receiver's Location header): its words, as a receiver's are shown.
    return plainLine(url, 40);
  }
}

/**
 * shownUrl for an operator's eyes: a host typed in another script is stored and sent as its ASCII
 * form (`xn--bcher-kva.example`), which they would not recognise as what they typed; that form is
 * shown first (a look-alike host cannot pass for another) and the host as written after it.
 */
export function shownAddress(url: string): string {
  const shown = shownUrl(url);
  try {
    const host = new URL(url).hostname;
    const written = domainToUnicode(host);
    return host.split('.').some((label) => label.startsWith('xn--')) && written !== '' && written !== host ? `${shown} (${written})` : shown;
  } catch {
    return shown;
  }
}

/** Slack's incoming webhooks (and GovSlack's). */
const SLACK_HOSTS: ReadonlySet<string> = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);
/** Discord's execute-webhook endpoint, on each of its hosts, with or without an API version. */
const DISCORD_HOSTS: ReadonlySet<string> = new Set(['discord.com', 'discordapp.com', 'canary.discord.com', 'ptb.discord.com']);
const DISCORD_PATH = /^\/api\/(v\d+\/)?webhooks\//;

/**
 * A Slack Workflow Builder webhook: `/workflows/…` (the legacy builder's) or `/triggers/…` (a
 * workflow's webhook trigger) on Slack's hosts. It starts a workflow with the variables it was set
 * up with (a flat JSON object of strings) and refuses an incoming-webhook message (Block Kit).
 */
export function isSlackWorkflow(url: URL): boolean {
  return SLACK_HOSTS.has(url.hostname.toLowerCase()) && /^\/(workflows|triggers)\//.test(url.pathname);
}

/**
 * The format a hook is sent in: its own, but a `slack` hook stored before Slack's workflow webhooks
 * were told apart (isSlackWorkflow) is sent their variables, which they take, and not a message,
 * which they refuse.
 */
export function sentFormat(hook: { readonly format: WebhookFormat; readonly url: string }): WebhookFormat {
  return storedAsSlack(hook) ? 'slack-workflow' : hook.format;
}

/** A Slack workflow's address stored as `slack` by a goldratio before they were told apart: start-up and `webhook list` say so. */
export function storedAsSlack(hook: { readonly format: WebhookFormat; readonly url: string }): boolean {
  return hook.format === 'slack' && URL.canParse(hook.url) && isSlackWorkflow(new URL(hook.url));
}

/**
 * The body an address expects when `--format` is not given: Slack's and Discord's own webhook
 * addresses would refuse (or show raw) goldratio's json, so they get theirs (a Slack workflow's
 * webhook its variables); anything else, json.
 */
export function formatForUrl(url: URL): WebhookFormat {
  const host = url.hostname.toLowerCase();
  if (isSlackWorkflow(url)) return 'slack-workflow';
  if (SLACK_HOSTS.has(host)) return 'slack';
  if (DISCORD_HOSTS.has(host) && DISCORD_PATH.test(url.pathname)) return 'discord';
  return 'json';
}
