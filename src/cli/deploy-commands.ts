/** `goldratio deploy-commands [--guild ID]`: registers the Discord slash commands (a guild: at once, for testing; global: production). */
import type { Command } from './command.ts';
import { IoFailure, storeOf, UserError } from './command.ts';
import { parseCli } from './args.ts';
import { CLI_SPECS } from './specs.ts';
import { deployFromCli } from '../platforms/discord/client.ts';
import { registrationHash } from '../platforms/discord/commands.ts';
import { DiscordStore } from '../store/discord.ts';

export const deployCommandsCommand: Command = {
  ...CLI_SPECS['deploy-commands'],
  // A global registration records its hash, so the next `npm start` does not repeat it.
  database: 'write',
  async run(args, ctx) {
    const { values } = parseCli(args, { guild: { type: 'string' } });
    const guild = values.guild as string | undefined;
    if (guild !== undefined && !/^\d{17,20}$/.test(guild))
      throw new UserError(`--guild: expected a Discord server id (17-20 digits), got ${JSON.stringify(guild)}`);
    const r = await deployFromCli(ctx.config.discord, guild);
    // Discord not answering is the network's (exit 1, as backfill's sources); a refusal is the setup's (exit 2).
    if (!r.ok) throw r.unreachable ? new IoFailure(r.error) : new UserError(r.error);
    // A global registration is what `npm start` would do: remember it so start does not repeat it.
    const appId = ctx.config.discord.applicationId;
    if (guild === undefined && appId !== undefined) await new DiscordStore(await storeOf(ctx)).setCommandsHash('global', registrationHash(appId));
    ctx.out(`registered ${r.count} slash commands ${guild === undefined ? 'globally (may take up to an hour to show everywhere)' : `in server ${guild}`}`);
    return 0;
  },
};
