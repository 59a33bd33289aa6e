/** Every `goldratio` subcommand. Add a command: write src/cli/<name>.ts and list it here. */
import type { Command } from './command.ts';

export const COMMANDS: readonly Command[] = [];
