/**
 * `goldratio digest --preview [--lang en|zh-TW|zh-CN] [--out file.png]`: today's digest as a chat would
 * get it (the same stored-message text, the same chart), printed, with its chart written to a file.
 */
import { makeDirs } from '../make-dirs.ts';
import { join } from 'node:path';
import { noData, storeOf, UserError, whereOf, type Command } from './command.ts';
import { CLI_SPECS } from './specs.ts';
import { fileProblem, langArg, parseCli } from './args.ts';
import { MarketView } from '../store/market-view.ts';
import { QuoteStore } from '../store/quotes.ts';
import { digestOf } from '../store/digest-view.ts';
import { crossingOptions } from '../store/story-view.ts';
import { digestMessageAt } from '../domain/digest.ts';
import { dateInZone } from '../domain/dates.ts';
import { localize } from '../domain/message.ts';
import { messageLines } from '../chat/message-lines.ts';
import { plainText, reply } from '../chat/reply.ts';
import { ChartService } from '../charts/service.ts';
import { ChartDataError } from '../charts/errors.ts';
import { checkOutFolder, checkPngName, writeWhole } from './chart.ts';

export const digestCommand: Command = {
  ...CLI_SPECS.digest,
  database: 'read',
  async run(args, ctx) {
    const { values } = parseCli(args, { preview: { type: 'boolean' }, lang: { type: 'string' }, out: { type: 'string' } });
    if (values.preview !== true) throw new UserError(`usage: goldratio ${CLI_SPECS.digest.usage}`);
    const lang = langArg(values.lang, ctx.config.defaultLang);
    const view = new MarketView(new QuoteStore(await storeOf(ctx)));
    const d = await digestOf(view, crossingOptions(ctx.config));
    if (d === undefined) throw noData('for a digest', whereOf(ctx));
    const out = values.out ?? join(ctx.config.dataDir, `digest-${d.date}-${lang}.png`);
    // As chart --out: a .png in a folder that exists, said in one line before any render.
    if (values.out !== undefined) {
      checkPngName(values.out);
      checkOutFolder(out);
    }
    const now = (ctx.now ?? Date.now)();
    // Its "ago" counted to today (UTC, as the CLI's dates are).
    const text = plainText(reply(messageLines(localize(digestMessageAt(d, now), lang, { today: dateInZone(new Date(now), 'UTC') }))));
    let png: Buffer;
    try {
      png = (await new ChartService(view, { theme: ctx.config.chartTheme }).render({ kind: 'digest' }, { lang })).png;
    } catch (e) {
      // Only SPX and gold loaded (no QQQ yet): the text says what there is; the chart says why it is missing.
      if (e instanceof ChartDataError) {
        ctx.out(text);
        ctx.out(`chart: not drawn: ${e.message}`);
        return 0;
      }
      throw e;
    }
    try {
      // Without --out the chart goes to the data folder, made as `start` makes it.
      if (values.out === undefined) makeDirs(ctx.config.dataDir);
      writeWhole(out, png);
    } catch (e) {
      const why = fileProblem(e, 'write');
      throw new UserError(
        values.out !== undefined
          ? `cannot write --out ${out}: ${why}`
          : `cannot write the chart to ${out} in the data folder (DATA_DIR): ${why}; give another file with --out file.png`,
      );
    }
    ctx.out(text);
    ctx.out(`chart: ${out}`);
    return 0;
  },
};
