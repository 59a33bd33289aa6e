/** `goldratio deploy-commands [--guild ID]`: registers the Discord slash commands (a guild: at once, for testing; global: production). */
import { DiscordAPIError, REST } from 'discord.js';
import type { Command } from './command.ts';
import { UserError } from './command.ts';
import { parseCli } from './args.ts';
import { CLI_SPECS } from './specs.ts';
import { deployCommands, restOptions } from '../platforms/discord/client.ts';
import { definitionsHash } from '../platforms/discord/commands.ts';
import { DiscordStore } from '../store/discord.ts';

export const deployCommandsCommand: Command = {
  ...CLI_SPECS['deploy-commands'],
  async run(args, ctx) {
    const { values } = parseCli(args, { guild: { type: 'string' } });
    const guild = values.guild as string | undefined;
    if (guild !== undefined && !/^\d{17,20}$/.test(guild)) throw new UserError(`--guild: expected a Discord server id (17-20 digits), got ${JSON.stringify(guild)}`);
    const { token, applicationId, apiBase } = ctx.config.discord;
    if (token === undefined || applicationId === undefined) throw new UserError('deploy-commands needs DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    const rest = new REST({ ...restOptions(ctx.config.discord), retries: 2 }).setToken(token);
    let n: number;
    try {
      n = await deployCommands(rest, applicationId, guild);
    } catch (err) {
      if (err instanceof DiscordAPIError && err.status === 401) throw new UserError('Discord refused DISCORD_TOKEN (401)');
      if (err instanceof DiscordAPIError) throw new UserError(`Discord refused the commands: ${err.status} ${err.code} ${err.message}`);
      throw new UserError(`Discord unreachable at ${apiBase}: ${(err as Error).message}`);
    }
    // A global registration is what `npm start` would do: remember it so start does not repeat it.
    if (guild === undefined) new DiscordStore(ctx.db()).setCommandsHash('global', definitionsHash());
    ctx.out(`registered ${n} slash commands ${guild === undefined ? 'globally (may take up to an hour to show everywhere)' : `in server ${guild}`}`);
    return 0;
  },
};
