/**
 * Discord interactions → the platform-neutral chat commands → rendered replies. Translation only:
 * what a command does is decided in src/chat/. Here: the slash options become the argument list,
 * a reply with a chart is deferred (Discord wants an answer within 3 s) and then edited in, errors,
 * usage lines and settings answers are ephemeral, and buttons and select menus edit the message they sit on.
 */
import {
  ChannelType,
  DiscordAPIError,
  ApplicationIntegrationType,
  MessageFlags,
  RESTJSONErrorCodes,
  PermissionFlagsBits,
  type PermissionsBitField,
  type BaseInteraction,
  type Guild,
  Routes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type StringSelectMenuInteraction,
} from 'discord.js';
import {
  actionPostsHere,
  answerButton,
  answerCommand,
  apology,
  chatLang,
  chatRemoved,
  findCommand,
  floodGate,
  floodStill,
  targetArg,
  withChart,
  withChartCard,
  withChatLang,
  type Answer,
  type ChatContext,
  type ChatDeps,
} from '../../chat/index.ts';
import type { ChartRenderer } from '../../domain/chart-request.ts';
import { langFromCode, matchLang, t, type Lang } from '../../domain/i18n/index.ts';
import { fmtList } from '../../domain/i18n/format.ts';
import type { Logger } from '../../log.ts';
import type { CommandOutcome, Metrics } from '../../ops/metrics.ts';
import type { FloodLimiter } from '../../chat/flood-limit.ts';
import type { DiscordStore } from '../../store/discord.ts';
import { onAutocomplete } from './autocomplete.ts';
import { chatValues, USER_INSTALL_COMMANDS } from './commands.ts';
import { ALERT_CHANNEL_TYPES } from './manifest.ts';
import { renderReplies, renderReply, type DiscordPayload } from './render.ts';
import type { CommandIds } from './command-ids.ts';
import { ANNOUNCEMENT_CHANNEL } from './notifier.ts';
import { isDiskFull, isUnreachable } from '../../store/busy.ts';
import { registerRemovedWhileAway } from './removed-while-away.ts';

export interface HandlerDeps {
  readonly chat: ChatDeps;
  readonly charts: ChartRenderer;
  readonly store: DiscordStore;
  readonly log: Logger;
  readonly now?: () => number;
  readonly metrics?: Pick<Metrics, 'command' | 'floodDropped'>;
  /** Per-user flood limit on commands, buttons and menus (src/chat/flood-limit.ts), shared with Telegram. */
  readonly flood?: FloodLimiter;
  /**
   * False for an interaction this process has already taken (client.ts AnsweredOnce): with the
   * Interactions Endpoint on, the gateway still listens, and one interaction is answered once.
   */
  readonly firstTime?: (interactionId: string) => boolean;
  /** The registered commands' ids (command-ids.ts): a command a reply names is a mention of it. */
  readonly commandIds?: CommandIds;
  /**
   * A command was used: its name, the id Discord sent with it, and the server of its own
   * registration (`data.guild_id`) or undefined for a global command (client.ts: a stale id is
   * forgotten and the list asked again).
   */
  readonly commandUsed?: (name: string, id: string, guildId: string | undefined) => void;
  /** A command delivered by the gateway not answered within this many ms is deferred (GATEWAY_DEFER_MS). */
  readonly deferAfterMs?: number;
}

/**
 * Discord refuses a first response later than 3 s (10062 Unknown interaction: the user sees "did
 * not respond", though the command may have done its work). A command the gateway delivered that
 * has not answered by this time is deferred, and its answer follows as the edit of the deferral
 * (first-responses.ts does the same for the Interactions Endpoint).
 */
export const GATEWAY_DEFER_MS = 2_000;

/** A command's deferral started by its timer (holdOpen), while it is in flight or done; cleared by the first answer. */
const deferrals = new WeakMap<BaseInteraction, { timer: NodeJS.Timeout; deferring?: Promise<unknown> }>();

/**
 * Defers `i` (ephemeral or not, as its answer most likely is) if it has not answered within `ms`;
 * answered in time, nothing is deferred.
 */
function holdOpen(i: ChatInputCommandInteraction, ephemeral: boolean, ms: number, log: Logger): void {
  const held: { timer: NodeJS.Timeout; deferring?: Promise<unknown> } = {
    timer: setTimeout(() => {
      held.deferring = i
        .deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {})
        .catch((e: unknown) => log.warn('could not defer a slow command', { error: String(e) }));
    }, ms),
  };
  deferrals.set(i, held);
}

/** The timer stopped; resolves once a deferral it started is done (then i.deferred tells). */
async function settled(i: BaseInteraction): Promise<void> {
  const held = deferrals.get(i);
  if (held === undefined) return;
  clearTimeout(held.timer);
  await held.deferring;
}

/**
 * The first answer to a command, or to a press: sent as the reply, or, when the command was
 * deferred meanwhile, as the edit of its deferral (a follow-up when the deferral is not as
 * ephemeral as the answer, the placeholder then deleted).
 */
async function respond(i: ChatInputCommandInteraction | Pressed, payload: ReturnType<typeof renderReply>, log: Logger): Promise<void> {
  await settled(i);
  if (!i.deferred) {
    await i.reply(payload);
    return;
  }
  const ephemeral = payload.flags !== undefined && (payload.flags & MessageFlags.Ephemeral) !== 0;
  if (i.ephemeral === ephemeral) {
    const { flags: _flags, ...edit } = payload;
    await i.editReply(edit);
    return;
  }
  await i.followUp(payload);
  await i.deleteReply().catch((e: unknown) => log.warn('could not delete the deferred placeholder', { error: String(e) }));
}

/**
 * What the bot needs in a channel to post an alert, in the order it names a missing one. Embed
 * Links and Attach Files are not among them: without the one an alert goes as plain text, without
 * the other its chart is left out (DiscordNotifier), so a channel that lacks either is subscribed,
 * and told (ALERT_EXTRAS).
 */
export const SEND_PERMISSIONS = ['ViewChannel', 'SendMessages'] as const;

/** What an alert loses without each, as /subscribe's note says it (the permission that gives it back named). */
const ALERT_EXTRAS = [
  ['EmbedLinks', 'discord.noEmbedsAhead'],
  ['AttachFiles', 'discord.noFilesAhead'],
] as const;

/** Threads, forum posts among them (announcement, public, private thread). */
const THREAD_TYPES: readonly number[] = [ChannelType.AnnouncementThread, ChannelType.PublicThread, ChannelType.PrivateThread];

/**
 * The first of SEND_PERMISSIONS that `perms` lacks, by its name in Discord's UI in `lang`. In a
 * thread or forum post a message needs Send Messages in Threads, not Send Messages (which there
 * only starts threads and posts).
 */
export function missingSendPermission(perms: Readonly<PermissionsBitField>, lang: Lang = 'en', thread = false): string | undefined {
  const flags = SEND_PERMISSIONS.map((f) => (thread && f === 'SendMessages' ? 'SendMessagesInThreads' : f));
  const flag = flags.find((f) => !perms.has(PermissionFlagsBits[f]));
  return flag === undefined ? undefined : t(lang, `discord.perm.${flag}`);
}

/** A Discord locale one of our languages reads (zh-TW, zh-CN, en-US, ...; langs.ts decides), else undefined. */
const knownLocale = (l: string | null | undefined): string | undefined => (matchLang(l) !== undefined ? (l ?? undefined) : undefined);
/** The chat's own setting wins (chatLang); then the user's client, then the server's language. */
const userLocale = (i: BaseInteraction): string | undefined => knownLocale(i.locale) ?? knownLocale(i.guildLocale);

type Pressed = ButtonInteraction | StringSelectMenuInteraction;

/** How a reply in the interaction's server (or none) names commands in `lang` (render.ts commandForm); an ephemeral one too. */
const forms = (d: HandlerDeps, i: BaseInteraction, lang: Lang, ephemeral = false) => ({
  lang,
  commandIds: d.commandIds?.forGuild(i.guildId),
  ...(ephemeral ? { ephemeral } : {}),
});

function chatContext(i: ChatInputCommandInteraction | Pressed, d: HandlerDeps, chatId: string): ChatContext {
  return {
    platform: 'discord',
    chatId,
    chatType: i.inGuild() ? 'group' : 'private',
    userLanguageCode: userLocale(i),
    // Checked at run time: default_member_permissions is only a default a server admin can change.
    isAdmin: async () => i.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false,
    nowMs: (d.now ?? Date.now)(),
    // Installed to the user's account only (not to this server, nor a DM of a server install):
    // only the commands a user install offers run here.
    ...(userInstallOnly(i) ? { commands: USER_INSTALL_COMMANDS } : {}),
  };
}

/** The interaction was authorized by a user install alone (Discord's authorizing_integration_owners has no guild install). */
const userInstallOnly = (i: BaseInteraction): boolean => {
  const owners = i.authorizingIntegrationOwners as Partial<Record<ApplicationIntegrationType, string>> | undefined;
  return owners !== undefined && owners[ApplicationIntegrationType.UserInstall] !== undefined && owners[ApplicationIntegrationType.GuildInstall] === undefined;
};

/** Interaction id → the type of the channel it came from (raw payload; see registerInteractions and http-interactions.ts). */
const channelTypes = new Map<string, number>();

/** The type of the channel an interaction came from, when Discord sent it. */
const invokingChannelType = (i: BaseInteraction): number | undefined => channelTypes.get(i.id) ?? i.channel?.type;

/** Both halves, as a gateway-only bot (no DISCORD_PUBLIC_KEY) has them. */
export function registerHandlers(client: Client, d: HandlerDeps): void {
  registerInteractions(client, d);
  registerRemovals(client, d);
  registerRemovedWhileAway(client, d);
}

/** Remembers the type of the channel an interaction came from (its raw payload's `channel.type`). */
export function noteChannelType(interactionId: string, type: number | undefined): void {
  if (type === undefined) return;
  channelTypes.set(interactionId, type);
  if (channelTypes.size > 1000) channelTypes.delete(channelTypes.keys().next().value as string);
}

/**
 * A button or menu choice on a reply about another channel than the one it sits in (/subscribe
 * channel:#alerts typed in #general: its level toggles) carries that channel: `<action>#<channel id>`.
 * Pressed, it acts on that channel, as the command did, in the same server.
 */
const AIMED = /#(\d{1,20})$/;

/**
 * An answer about `channelId`, read in another channel: its buttons aimed at that channel, and,
 * when it is a channel's settings (ok), first a line saying whose they are.
 */
function aimedAt(answer: Answer, channelId: string, lang: Lang): Answer {
  if (answer.kind === 'notice') return answer;
  const r = answer.reply;
  const buttons = r.buttons?.map((row) => row.map((b) => ({ ...b, action: `${b.action}#${channelId}` })));
  const lines = r.status === 'ok' ? [[t(lang, 'discord.aboutChannel', { channel: `<#${channelId}>` })], ...r.lines] : r.lines;
  return { ...answer, reply: { ...r, lines, ...(buttons !== undefined ? { buttons } : {}) } };
}

/** Commands, buttons, menus and autocomplete delivered by `client`'s gateway. */
export function registerInteractions(client: Client, d: HandlerDeps): void {
  client.on('interactionCreate', (i: BaseInteraction) => void answerInteraction(i, d, d.deferAfterMs ?? GATEWAY_DEFER_MS));
  // The invoking channel's type comes with the interaction, but discord.js keeps it only for a
  // cached guild: kept here, read by /subscribe (an announcement channel's alerts are published).
  client.on('raw', (packet: { t?: string; d?: { id?: string; channel?: { type?: number } } }) => {
    if (packet.t === 'INTERACTION_CREATE' && packet.d?.id !== undefined) noteChannelType(packet.d.id, packet.d.channel?.type);
  });
}

/**
 * Answers one interaction, from the gateway or from the Interactions Endpoint (interactions-endpoint.ts
 * gives it the same discord.js object): the one place commands, buttons, menus and autocomplete are
 * answered. Resolves when the handling is over (answered, or left unanswered on purpose); never rejects.
 */
export function answerInteraction(i: BaseInteraction, d: HandlerDeps, deferAfterMs?: number): Promise<void> {
  if (d.firstTime?.(i.id) === false) {
    d.log.warn('an interaction came twice (a replay, or by both the gateway and the endpoint): answered once', { id: i.id });
    return Promise.resolve();
  }
  if (i.isAutocomplete()) return onAutocomplete(i, d.log, (d.now ?? Date.now)()); // answers within Discord's 3 s from cached data; never throws
  const run = (async () => {
    if ((i.isChatInputCommand() || i.isButton() || i.isStringSelectMenu()) && !(await floodAllows(i, d))) return;
    await (i.isChatInputCommand()
      ? onCommand(i, d, deferAfterMs)
      : i.isButton()
        ? onPressed(i, d, i.customId)
        : // A select menu's chosen value is an action, as a button's custom_id is (render.ts).
          i.isStringSelectMenu()
          ? i.values[0] !== undefined
            ? onPressed(i, d, i.values[0])
            : tell(i, d, 'discord.noChoice', {})
          : Promise.resolve());
  })();
  return run.catch(async (err: unknown) => {
    // A full disk's cause, with the file, was said once as an error when the first write met it (store/file-identity.ts).
    if (isDiskFull(err)) d.log.warn('interaction not handled: the disk holding the database is full', { id: i.id });
    else if (isUnreachable(err))
      d.log.warn('interaction not handled: the database cannot be reached', { id: i.id, error: String((err as Error).message ?? err) });
    else d.log.error('interaction failed', { id: i.id, error: String(err) });
    if (!i.isRepliable()) return;
    try {
      await settled(i);
      // Inside the try: a failure while stopping (the database already closed) is one more log line, not an unhandled rejection.
      const answer = await apology(d.chat, { platform: 'discord', chatId: i.channelId ?? undefined, userLanguageCode: userLocale(i) }, false, err);
      if (answer.kind !== 'message') return;
      const payload = renderReply(answer.reply, forms(d, i, langFromCode(userLocale(i), d.chat.config.defaultLang), true));
      // Deferred and never answered: its "thinking…" would spin until Discord says it did not respond.
      const pending = i.deferred && !i.replied && !i.isMessageComponent();
      if (pending && i.ephemeral === true) await i.editReply({ ...payload, flags: undefined });
      else if (i.deferred || i.replied) await i.followUp(payload);
      else await i.reply(payload);
      // A public one is deleted, the apology being for the user alone.
      if (pending && i.ephemeral !== true)
        await i.deleteReply().catch((e: unknown) => d.log.warn('could not delete the deferred placeholder', { error: String(e) }));
    } catch (e) {
      d.log.warn('could not tell the user about the failure', { error: String(e) });
    }
  });
}

/**
 * A guild that removed the bot: stop sending to its channels. Raw, because discord.js only emits
 * guildDelete for guilds in its cache; `unavailable` is an outage, not a removal. Only the gateway
 * tells this, with or without the Interactions Endpoint.
 */
export function registerRemovals(client: Client, d: HandlerDeps): void {
  client.on('raw', (packet: { t?: string; d?: { id?: string; unavailable?: boolean } }) => {
    if (packet.t !== 'GUILD_DELETE' || packet.d?.id === undefined || packet.d.unavailable === true) return;
    const guild = packet.d.id;
    (async () => {
      const channels = await d.store.channelsOf(guild);
      for (const channelId of channels) await chatRemoved(d.chat, 'discord', channelId, 'removed', 'bot removed from the server');
      d.log.info('removed from a server: its channels are deactivated', { guild, channels: channels.length });
    })().catch((e: unknown) => d.log.error('could not deactivate the channels of a server that removed the bot', { guild, error: String(e) }));
  });
}

/**
 * A user going too fast is told once (ephemeral) and their further interactions are not run until
 * they slow down; nobody else is slowed. Each is still answered, or Discord shows "The application
 * did not respond": the notice; then a press or menu choice its deferred update (type 6: nothing
 * shown, the message left as it was), a command one short ephemeral line (a command has no answer
 * that shows nothing). Interaction responses are not bound by the bot's global rate limit
 * (Discord's rate limits page; budget.ts lets them pass), so answering a flood costs the alerts
 * nothing. False: do not run this one.
 */
async function floodAllows(i: ChatInputCommandInteraction | Pressed, d: HandlerDeps): Promise<boolean> {
  if (d.flood === undefined) return true;
  const who = { platform: 'discord', userId: i.user.id, chatId: i.channelId, userLanguageCode: userLocale(i) } as const;
  const gate = await floodGate(d.chat, d.flood, who);
  if (gate.run) return true;
  d.metrics?.floodDropped('discord');
  const line = (text: string) => renderReply({ status: 'error', lines: [[text]] }, forms(d, i, langFromCode(userLocale(i), d.chat.config.defaultLang), true));
  try {
    if (gate.notice !== undefined) await i.reply(line(gate.notice));
    else if (i.isMessageComponent()) await i.deferUpdate();
    else await i.reply(line(floodStill(d.chat, d.flood, who)));
  } catch (e) {
    d.log.warn(gate.notice !== undefined ? 'could not send the flood notice' : 'could not answer a command dropped by the flood limit', { error: String(e) });
  }
  return false;
}

/** One ephemeral line in the user's language, for an interaction goldratio cannot act on. */
async function tell(i: ChatInputCommandInteraction | Pressed, d: HandlerDeps, key: string, params: Record<string, string>): Promise<void> {
  const lang = await chatLang(d.chat, chatContext(i, d, i.channelId));
  await i.reply(renderReply({ status: 'error', lines: [[t(lang, key, params)]] }, forms(d, i, lang, true)));
}

/**
 * `deferAfterMs`: the command is deferred if it has not answered by then (the gateway's; the
 * Interactions Endpoint defers on its own), as ephemeral as a settings command's answer is.
 */
async function onCommand(i: ChatInputCommandInteraction, d: HandlerDeps, deferAfterMs?: number): Promise<void> {
  const command = findCommand(i.commandName);
  // A stale command (registered once, since removed): an answer, or Discord shows "did not respond".
  d.commandUsed?.(i.commandName, i.commandId, i.commandGuildId ?? undefined);
  if (command === undefined) return tell(i, d, 'discord.unknownCommand', { command: i.commandName.slice(0, 32) });
  const t0 = performance.now();
  let outcome: CommandOutcome = 'failed';
  if (deferAfterMs !== undefined) holdOpen(i, command.changesSettings, deferAfterMs, d.log);
  try {
    await runCommand(i, d, command);
    outcome = 'ok';
  } finally {
    await settled(i);
    d.metrics?.command('discord', command.name, (performance.now() - t0) / 1000, outcome);
  }
}

async function runCommand(i: ChatInputCommandInteraction, d: HandlerDeps, command: NonNullable<ReturnType<typeof findCommand>>): Promise<void> {
  // A command that names the channel it acts on (/subscribe's picker) acts there; the bot must be able to post there.
  const target = targetArg(command.args, 'discord');
  const picked = target !== undefined ? i.options.getChannel(target.name) : null;
  const chatId = picked?.id ?? i.channelId;
  const cc = await withChatLang(d.chat, chatContext(i, d, chatId));

  const values = chatValues(i.options.data);
  const notes: string[] = [];
  // A setting the bot will act on by posting here (alerts, a digest) is made only where it can post.
  if (command.postsHere?.(values) === true && (await cc.isAdmin())) {
    const lang = await chatLang(d.chat, cc);
    // The @everyone role's id is the guild's: `<@&guild id>` reads "@@everyone" and notifies nobody.
    const roleArg = command.args.find((a) => a.kind === 'role');
    if (roleArg !== undefined && i.guildId !== null && i.options.get(roleArg.name)?.value === i.guildId) {
      await respond(i, renderReply({ status: 'error', lines: [[t(lang, 'discord.roleEveryone')]] }, forms(d, i, lang, true)), d.log);
      return;
    }
    const can = await checkBotCan(i, chatId, picked, lang, command.name);
    if (can?.refusal !== undefined) {
      await respond(i, renderReply({ status: 'error', lines: [[can.refusal]] }, forms(d, i, lang, true)), d.log);
      return;
    }
    notes.push(...(can?.notes ?? []));
    // A role members may not mention is pinged only by a bot with Mention Everyone: else each alert
    // shows it and notifies nobody. Known for the channel the command came from (its appPermissions),
    // and for another one when its permissions were looked up.
    const role = roleArg !== undefined ? i.options.getRole(roleArg.name) : null;
    const there = chatId === i.channelId ? i.appPermissions : can?.perms;
    if (role !== null && !role.mentionable && there !== undefined && !there.has(PermissionFlagsBits.MentionEveryone))
      notes.push(t(lang, 'discord.roleNotMentionable', { role: `<@&${role.id}>`, permission: t(lang, 'discord.perm.MentionEveryone') }));
  }
  let answer = await answerCommand(d.chat, cc, command, { values });
  if (notes.length > 0 && answer.kind === 'message' && answer.reply.status === 'ok') {
    answer = { ...answer, reply: { ...answer.reply, lines: [...answer.reply.lines, ...notes.map((note) => [{ italic: note }])] } };
  }
  if (chatId !== i.channelId) answer = aimedAt(answer, chatId, await chatLang(d.chat, cc));
  // Its guild, so the channel is dropped when the bot leaves the server (GUILD_DELETE names only the guild);
  // its type, since an announcement channel's alerts are also published, and a DM's alert chart names
  // the DM's own level as the DM's (DiscordNotifier.chartPlace): known from here, no look-up per send.
  if (target !== undefined && answer.kind === 'message' && answer.reply.status === 'ok') {
    const type = picked !== null && 'type' in picked ? picked.type : invokingChannelType(i);
    if (i.guildId !== null) await d.store.setChannel(chatId, { guildId: i.guildId, ...(type !== undefined ? { type } : {}) });
    else if (type !== undefined && (await d.store.channel(chatId))?.type !== type) await d.store.setChannel(chatId, { type });
  }
  await render(i, d, answer, await chatLang(d.chat, cc));
}

async function onPressed(i: Pressed, d: HandlerDeps, pressed: string): Promise<void> {
  const aimed = AIMED.exec(pressed)?.[1];
  const action = aimed === undefined ? pressed : pressed.slice(0, -aimed.length - 1);
  // Only a channel of this server the bot keeps (set up by /subscribe here); never the channel the press sits in instead.
  const target = aimed !== undefined && i.guildId !== null && (await d.store.channel(aimed))?.guildId === i.guildId ? aimed : undefined;
  if (aimed !== undefined && target === undefined) return tell(i, d, 'chat.err.action', {});
  const cc = await withChatLang(d.chat, chatContext(i, d, target ?? i.channelId));
  const lang = await chatLang(d.chat, cc);
  // A press that sets up what the bot posts (Subscribe, a digest's zone, a level turned on) is checked as the command would be.
  const posts = await actionPostsHere(d.chat, cc, action);
  if (posts !== undefined && (await cc.isAdmin())) {
    const refusal = (await checkBotCan(i, target ?? i.channelId, null, lang, posts))?.refusal;
    if (refusal !== undefined) {
      await respond(i, renderReply({ status: 'error', lines: [[refusal]] }, forms(d, i, lang, true)), d.log);
      return;
    }
  }
  const answered = await answerButton(d.chat, cc, action);
  // A public message one member asked for (/chart's) is read by the whole channel in the language
  // it was written in: another member's press answers them alone, in theirs, the message left as it
  // was (else any press rewrote it for everyone, in the presser's language).
  const answer: Answer = answered.kind === 'edit' && pressedByAnother(i) ? { kind: 'message', reply: answered.reply, personal: true } : answered;
  await render(i, d, target !== undefined ? aimedAt(answer, target, lang) : answer, lang);
}

/** A press on a public interaction reply by someone other than the member who asked for it (a message the bot posted itself has no asker). */
function pressedByAnother(i: Pressed): boolean {
  if (i.message.flags.has(MessageFlags.Ephemeral)) return false;
  const asker = i.message.interactionMetadata?.user.id;
  return asker !== undefined && asker !== i.user.id;
}

/**
 * Renders chat/'s intent: `notice` and personal messages are ephemeral; `edit` updates the pressed
 * message. With a chart: acknowledge first (deferReply / deferUpdate: Discord wants an answer
 * within 3 s), draw, then edit the original in. Without: answer at once (reply / update).
 */
async function render(i: ChatInputCommandInteraction | Pressed, d: HandlerDeps, answer: Answer, lang: Lang): Promise<void> {
  if (answer.kind === 'notice') {
    await respond(i, renderReply({ status: 'error', lines: [[answer.text]] }, forms(d, i, lang, true)), d.log);
    return;
  }
  const update = answer.kind === 'edit' && i.isMessageComponent();
  const ephemeral = answer.kind === 'message' && answer.personal;
  const r = answer.reply;
  if (r.chart === undefined) {
    const [payload, ...more] = renderReplies(r, forms(d, i, lang, ephemeral));
    if (payload === undefined) return;
    if (update) await i.update({ ...payload, flags: undefined });
    else await respond(i, payload, d.log);
    if (more.length > 0) await rest(i, more, update ? i.message.flags.has(MessageFlags.Ephemeral) : ephemeral);
    return;
  }
  await settled(i);
  // Deferred by its timer already (a slow command), not as ephemeral as this answer: the answer follows, the placeholder goes.
  const mismatched = i.deferred && i.ephemeral !== ephemeral;
  if (update) await i.deferUpdate();
  else if (!i.deferred) await i.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const drawn = await withChart(d.charts, r, lang, d.chat.config.chartTheme);
  // An embed has room beside the picture: both ratios, the tone of the day, the data's source and age.
  const shown = await withChartCard(d.chat, drawn.reply, lang, (d.now ?? Date.now)(), drawn.chart?.sources);
  const [first, ...more] = renderReplies(shown, {
    ...forms(d, i, lang),
    ...(drawn.chart ? { chart: { png: drawn.chart.png, filename: drawn.chart.filename } } : {}),
  });
  if (first === undefined) return;
  const { flags: _flags, ...payload } = first;
  if (mismatched) {
    await i.followUp({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
    await i.deleteReply().catch((e: unknown) => d.log.warn('could not delete the deferred placeholder', { error: String(e) }));
  } else {
    // `attachments: []` drops the previous chart when a button swaps it for a new one.
    await i.editReply({ ...payload, attachments: [] });
  }
  if (more.length > 0) await rest(i, more, update ? i.message.flags.has(MessageFlags.Ephemeral) : mismatched ? ephemeral : i.ephemeral === true);
}

/**
 * The rest of a reply longer than one Discord message holds (renderReplies): follow-ups in order,
 * as ephemeral as the answer they continue.
 */
async function rest(i: ChatInputCommandInteraction | Pressed, more: readonly DiscordPayload[], ephemeral: boolean): Promise<void> {
  for (const { flags: _flags, ...payload } of more) await i.followUp({ ...payload, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
}

/** What Discord answers a bot about a server it is not a member of (GET /guilds/:id: 10004; its member: 50001, 10007). */
const NOT_A_MEMBER: readonly number[] = [RESTJSONErrorCodes.UnknownGuild, RESTJSONErrorCodes.MissingAccess, RESTJSONErrorCodes.UnknownMember];
const notAMember = (e: unknown): boolean => e instanceof DiscordAPIError && typeof e.code === 'number' && NOT_A_MEMBER.includes(e.code);

/**
 * The interaction's server as the bot, a member of it, sees it: cached by the gateway, or through
 * REST. 'absent' when Discord says the bot is not in it: the app was added with its commands only
 * (the `applications.commands` scope, no bot user), or the bot was removed, and interactions still
 * come. 'member' when Discord answered 10004 for the server but knows the bot's member in it.
 * 'unknown' when Discord could not be asked (5xx, a timeout, the network): the interaction's
 * app_permissions may then be @everyone's, so nothing can be told. undefined outside a server.
 */
async function botServer(i: ChatInputCommandInteraction | Pressed): Promise<Guild | 'absent' | 'member' | 'unknown' | undefined> {
  if (i.guildId === null) return undefined;
  if (i.guild !== null) return i.guild;
  try {
    return await i.client.guilds.fetch({ guild: i.guildId, cache: false });
  } catch (e) {
    if (!notAMember(e)) return 'unknown';
  }
  // Discord has answered 10004 to a bot that is in the server (discord-api-docs #8445): its own member is asked too.
  try {
    await i.client.rest.get(Routes.guildMember(i.guildId, i.client.user.id));
    return 'member';
  } catch (e) {
    return notAMember(e) ? 'absent' : 'unknown';
  }
}

/** What the bot needs to post an alert with its chart: the permissions its invite asks for (README: 52224). */
const INVITE_PERMISSIONS = [...SEND_PERMISSIONS, 'EmbedLinks', 'AttachFiles'] as const;

/** The line for a server that has goldratio's commands but not its bot: the invite that adds it there, with what it needs. */
function notInServer(i: ChatInputCommandInteraction | Pressed, channel: string, lang: Lang, command: string): string {
  const bits = INVITE_PERMISSIONS.reduce((sum, f) => sum | PermissionFlagsBits[f], 0n);
  const link = `https://discord.com/oauth2/authorize?client_id=${i.applicationId}&scope=bot+applications.commands&permissions=${bits}&guild_id=${i.guildId}&disable_guild_select=true`;
  const permissions = INVITE_PERMISSIONS.map((f) => t(lang, `discord.perm.${f}`));
  return t(lang, 'discord.notInServer', { channel, permissions: fmtList(permissions, lang), link, command: `/${command}` });
}

/**
 * Before a command that sets up a channel: the bot's own permissions there. A refusal when it
 * could not post an alert at all; a note when its alerts would come as plain text (no Embed Links)
 * or without their chart (no Attach Files).
 */
async function checkBotCan(
  i: ChatInputCommandInteraction | Pressed,
  channelId: string,
  option: ReturnType<ChatInputCommandInteraction['options']['getChannel']> | null,
  lang: Lang,
  command: string,
): Promise<{ readonly refusal?: string; readonly notes?: readonly string[]; readonly perms?: Readonly<PermissionsBitField> } | undefined> {
  const name = `<#${channelId}>`;
  const server = await botServer(i);
  if (server === 'absent') return { refusal: notInServer(i, name, lang, command) };
  const unchecked = { refusal: t(lang, 'discord.checkFailed', { channel: name, command: `/${command}` }) };
  if (server === 'unknown') return unchecked;
  let perms: Readonly<PermissionsBitField> | null = null;
  if (channelId === i.channelId) {
    // Discord sends the bot's permissions in the invoking channel with every interaction (in a
    // server the bot is not in, @everyone's: hence the look-up above).
    perms = i.appPermissions;
  } else {
    if (option !== null && 'type' in option && !ALERT_CHANNEL_TYPES.includes(option.type)) return { refusal: t(lang, 'discord.notText', { channel: name }) };
    // A guild the Client has not cached (still starting, or swept): its roles, the channel's
    // overwrites and the bot's roles come through REST, and discord.js computes the permissions.
    // Discord answered 10004 for the server while knowing the bot's member in it: the channel's permissions cannot be computed now.
    if (server === 'member') return unchecked;
    const guild = server ?? null;
    let failed: unknown;
    const channel = guild
      ? await guild.channels.fetch(channelId).catch((e: unknown) => {
          failed = e;
          return null;
        })
      : null;
    const code = failed instanceof DiscordAPIError ? failed.code : undefined;
    // Discord answers Missing Access to a bot asking for a channel it may not view.
    if (code === RESTJSONErrorCodes.MissingAccess)
      return { refusal: t(lang, 'discord.missingPermission', { channel: name, permission: t(lang, 'discord.perm.ViewChannel'), command: `/${command}` }) };
    // Deleted after the picker offered it.
    if (code === RESTJSONErrorCodes.UnknownChannel) return { refusal: t(lang, 'discord.channelGone', { channel: name }) };
    if (failed !== undefined) return unchecked;
    let meFailed = false;
    const me = guild
      ? await guild.members.fetchMe().catch(() => {
          meFailed = true;
          return null;
        })
      : null;
    if (meFailed) return unchecked;
    if (channel !== null && me !== null) perms = channel.permissionsFor(me);
  }
  if (perms === null) return undefined; // unknown: the first alert will tell (and a dead channel is dropped)
  const invoked = channelId === i.channelId ? invokingChannelType(i) : undefined;
  const missing = missingSendPermission(perms, lang, invoked !== undefined && THREAD_TYPES.includes(invoked));
  if (missing === undefined) {
    const notes = ALERT_EXTRAS.filter(([flag]) => !perms.has(PermissionFlagsBits[flag])).map(([flag, key]) =>
      t(lang, key, { channel: name, permission: t(lang, `discord.perm.${flag}`) }),
    );
    return notes.length === 0 ? { perms } : { perms, notes };
  }
  // Publishing the bot's own message needs what sending it needs (Send Messages): named as such there.
  const type = channelId === i.channelId ? invokingChannelType(i) : option !== null && 'type' in option ? option.type : undefined;
  return {
    refusal: t(lang, type === ANNOUNCEMENT_CHANNEL ? 'discord.missingPublish' : 'discord.missingPermission', {
      channel: name,
      permission: missing,
      command: `/${command}`,
    }),
  };
}
