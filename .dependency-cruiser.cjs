/**
 * The walls of docs/architecture.md ("Rules of the house"), checked by `npm run walls` (part of
 * `npm test`). tests/walls.test.ts runs this same config on fixtures that cross each wall, so a rule
 * that stops matching fails the suite instead of passing silently.
 *
 * Rooms only name themselves by folder; a rule's `from` is the room, its `to` what it may not import.
 */

/** IO modules of Node: none of them may reach the pure core. */
const NODE_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'worker_threads', 'cluster', 'dgram', 'dns', 'tls', 'readline'];
const nodeIo = `^(node:)?(${NODE_IO.map((m) => m.replace('/', '\\/')).join('|')})$`;
/** Impure packages: IO, drivers, chat APIs, canvas, logging and metrics. */
const IMPURE_PACKAGES = [
  'undici',
  'better-sqlite3(-13)?',
  'pg',
  'kysely',
  'grammy',
  '@grammyjs',
  'discord\\.js',
  '@discordjs',
  '@napi-rs/canvas',
  'chart\\.js',
  'pino',
  'pino-pretty',
  'prom-client',
  'node-cron',
  'piscina',
];
const pkg = (names) => `(^|/)node_modules/(${names.join('|')})(/|$)`;
/** Every room but domain/: the core imports none of them (nor config.ts, which reads the environment, nor log.ts). */
const ROOMS = ['market', 'store', 'platforms', 'charts', 'alerts', 'chat', 'cli', 'ops', 'schedule', 'services'];

/**
 * Named exceptions: code that crosses a wall today while another change moves it. Each entry names
 * the issue that removes it; delete the entry with the fix. None today: the alert pipeline and
 * dispatcher stopped using the raw handle with issue 10 (store units of work).
 */
const EXCEPTIONS = {
  /** Files outside store/ and the composition roots that may still import store/db.ts. */
  rawDbHandle: [],
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain/ is data in, data out: no IO module, no impure package, no other room, no config or logger.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [nodeIo, pkg(IMPURE_PACKAGES), `^src/(${ROOMS.join('|')})/`, '^src/(config|log|main|cli)\\.ts$'],
      },
    },
    {
      name: 'only-store-imports-sqlite',
      comment: 'SQL belongs to src/store/ (store/driver.ts picks better-sqlite3 12 or its alias better-sqlite3-13 by Node version).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      // The bare name too: better-sqlite3-13 is optional, unresolved where npm left it out (Node 20).
      to: { path: [pkg(['better-sqlite3(-13)?']), '^better-sqlite3-13$'] },
    },
    {
      name: 'only-store-imports-postgres',
      comment: 'PostgreSQL (pg) and the query layer (Kysely) belong to src/store/, like SQLite.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: pkg(['pg', 'kysely']) },
    },
    {
      name: 'only-market-imports-undici',
      comment: "Quote sources are reached from src/market/ only; the one other HTTP client is Discord's REST transport.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(market/|platforms/discord/http-request\\.ts$)' },
      to: { path: pkg(['undici']) },
    },
    {
      name: 'only-platforms-import-chat-apis',
      comment: 'grammY and discord.js belong to src/platforms/ (adapters translate and nothing more).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/platforms/' },
      to: { path: pkg(['grammy', '@grammyjs', 'discord\\.js', '@discordjs']) },
    },
    {
      name: 'only-charts-import-canvas',
      comment: 'Canvas and Chart.js belong to src/charts/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/charts/' },
      to: { path: pkg(['@napi-rs/canvas', 'chart\\.js']) },
    },
    {
      name: 'chat-is-platform-neutral',
      comment: 'src/chat/ returns a Reply model; the platforms render it. It never imports a platform.',
      severity: 'error',
      from: { path: '^src/chat/' },
      to: { path: '^src/platforms/' },
    },
    {
      name: 'raw-db-handle-stays-in-store',
      comment:
        'The better-sqlite3 handle (store/db.ts) is opened by the composition roots (main.ts, cli) and used by store/ only; ' +
        'everyone else gets store objects. Exceptions: EXCEPTIONS.rawDbHandle.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/main\\.ts$', '^src/cli\\.ts$', '^src/cli/', ...EXCEPTIONS.rawDbHandle] },
      to: { path: '^src/store/db\\.ts$' },
    },
    {
      name: 'src-does-not-import-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|bench)/' },
    },
    {
      name: 'no-unresolvable-import',
      comment:
        'An import that resolves to nothing is a typo or a missing dependency. better-sqlite3-13 is an optional dependency that npm leaves out on Node 20 (src/store/driver.ts requires it only on 22 and later).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^better-sqlite3-13$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from another room is still a dependency on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
