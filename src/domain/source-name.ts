/**
 * A close's source as a reader sees it: the tag kept with each close (`yahoo`, `import:spx_daily.csv`)
 * is the operator's, and reads as a file or a code word in a chart's footer, a chat's /status or a
 * Discord card. A provider is named as PROVIDERS.md names it; an import as an imported CSV in the
 * reader's language (the file's name is the operator's: `goldratio status` keeps it); a name given
 * with `import --source` is the operator's choice for readers, shown as given.
 */
import { t, type Lang } from './i18n/index.ts';

const PROVIDERS: Readonly<Record<string, string>> = {
  yahoo: 'Yahoo Finance',
  fred: 'FRED',
  lbma: 'LBMA',
  twelvedata: 'Twelve Data',
};

/** The prefix of the tag `goldratio import` gives closes without `--source` (cli/import.ts). */
export const IMPORT_TAG = 'import:';

export function sourceName(tag: string, lang: Lang): string {
  const provider = PROVIDERS[tag];
  if (provider !== undefined) return provider;
  return tag.startsWith(IMPORT_TAG) ? t(lang, 'source.import') : tag;
}

/** The sources' names, each once (two imported files are one "imported CSV"), in the order first met. */
export const sourceNames = (tags: readonly string[], lang: Lang): string[] => [...new Set(tags.map((s) => sourceName(s, lang)))];
