/** The one logger: one line per event, `LEVEL scope: message`, to stderr so stdout stays for output. */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export interface LogSink {
  (line: string): void;
}

export function createLogger(level: LogLevel = 'info', scope = 'goldratio', sink: LogSink = (l) => process.stderr.write(`${l}\n`)): Logger {
  const min = ORDER[level];
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, extra?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return;
    const tail = extra && Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    sink(`${new Date().toISOString()} ${lvl.toUpperCase().padEnd(5)} ${scope}: ${msg}${tail}`);
  };
  return {
    debug: (m, e) => emit('debug', m, e),
    info: (m, e) => emit('info', m, e),
    warn: (m, e) => emit('warn', m, e),
    error: (m, e) => emit('error', m, e),
    child: (s) => createLogger(level, `${scope}/${s}`, sink),
  };
}

/** A logger that records lines, for tests. */
export function memoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger(level, 'test', (l) => lines.push(l)), { lines });
}
