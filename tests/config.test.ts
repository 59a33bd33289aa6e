import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_VARS, ConfigError, loadConfig, redacted } from '../src/config.ts';

describe('config', () => {
  test('GIVEN no environment at all THEN the embedded defaults run the bot with no tokens', () => {
    const c = loadConfig({});
    expect(c.databasePath).toBe('data/goldratio.db');
    expect(c.telegram.token).toBeUndefined();
    expect(c.sources.gold).toEqual(['yahoo', 'lbma', 'twelvedata']);
    expect(c.backfillFrom).toBe('1999-03-10');
  });

  test('GIVEN several bad variables THEN every problem is reported at once, secrets hidden', () => {
    let error: unknown;
    try {
      loadConfig({ HTTP_RETRIES: '-1', ALERT_MODE: 'sometimes', BACKFILL_FROM: '1999-02-30', TELEGRAM_RATE: 'fast', TELEGRAM_PAID_BROADCAST: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'HTTP_RETRIES: expected a number >= 0, got "-1"',
      'BACKFILL_FROM: expected a date YYYY-MM-DD, got "1999-02-30"',
      'ALERT_MODE: expected one of close, intraday, got "sometimes"',
      'TELEGRAM_RATE: expected a finite number, got "fast"',
      'TELEGRAM_PAID_BROADCAST: expected true or false, got "maybe"',
    ]);
  });

  test('GIVEN a token THEN redacted() never shows it', () => {
    const c = loadConfig({ TELEGRAM_BOT_TOKEN: '123456:SECRET-token', FRED_API_KEY: 'abcdef0123456789abcdef0123456789' });
    const shown = JSON.stringify(redacted(c));
    expect(shown).not.toContain('SECRET');
    expect(shown).not.toContain('abcdef0123');
    expect(shown).toContain('(set)');
  });

  test('.env.example lists every variable, each with a comment', () => {
    const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
    for (const v of CONFIG_VARS) {
      const i = lines.findIndex((l) => l.replace(/^#\s*/, '').startsWith(`${v.name}=`));
      expect(i, `${v.name} missing from .env.example`).toBeGreaterThan(0);
      expect(lines[i - 1], `${v.name} needs a comment line above it`).toMatch(/^#\s+\S/);
    }
  });
});
