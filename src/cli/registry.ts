/**
 * Every `goldratio` subcommand, loaded only when it runs: `--help` and a typo never load grammY,
 * canvas or sqlite. Add a command: its spec in specs.ts, its module src/cli/<name>.ts, one line here.
 */
import type { Command } from './command.ts';
import { CLI_SPECS, type CommandSpec } from './specs.ts';

export interface CommandEntry extends CommandSpec {
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { ...CLI_SPECS.start, load: async () => (await import('./start.ts')).startCommand },
  { ...CLI_SPECS.ratio, load: async () => (await import('./ratio.ts')).ratioCommand },
  { ...CLI_SPECS.levels, load: async () => (await import('./levels.ts')).levelsCommand },
  { ...CLI_SPECS.history, load: async () => (await import('./history.ts')).historyCommand },
  { ...CLI_SPECS.power, load: async () => (await import('./power.ts')).powerCommand },
  { ...CLI_SPECS.chart, load: async () => (await import('./chart.ts')).chartCommand },
  { ...CLI_SPECS.status, load: async () => (await import('./status.ts')).statusCommand },
  { ...CLI_SPECS.backfill, load: async () => (await import('./backfill.ts')).backfillCommand },
  { ...CLI_SPECS.import, load: async () => (await import('./import.ts')).importCommand },
  { ...CLI_SPECS.replay, load: async () => (await import('./replay.ts')).replayCommand },
  { ...CLI_SPECS['deploy-commands'], load: async () => (await import('./deploy-commands.ts')).deployCommandsCommand },
  { ...CLI_SPECS.digest, load: async () => (await import('./digest.ts')).digestCommand },
  { ...CLI_SPECS.webhook, load: async () => (await import('./webhook.ts')).webhookCommand },
  { ...CLI_SPECS.backup, load: async () => (await import('./backup.ts')).backupCommand },
  { ...CLI_SPECS.restore, load: async () => (await import('./restore.ts')).restoreCommand },
  { ...CLI_SPECS['copy-data'], load: async () => (await import('./copy-data.ts')).copyDataCommand },
];
