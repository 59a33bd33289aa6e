/** Every `goldratio` subcommand. Add a command: write src/cli/<name>.ts and list it here. */
import type { Command } from './command.ts';
import { backfillCommand } from './backfill.ts';
import { backupCommand } from './backup.ts';
import { chartCommand } from './chart.ts';
import { historyCommand } from './history.ts';
import { importCommand } from './import.ts';
import { powerCommand } from './power.ts';
import { ratioCommand } from './ratio.ts';
import { replayCommand } from './replay.ts';
import { startCommand } from './start.ts';
import { statusCommand } from './status.ts';

export const COMMANDS: readonly Command[] = [
  startCommand,
  ratioCommand,
  historyCommand,
  powerCommand,
  chartCommand,
  statusCommand,
  backfillCommand,
  importCommand,
  replayCommand,
  backupCommand,
];
