/**
 * Docker cannot build here, so this checks what it would need: every path the Dockerfile copies
 * exists and is not excluded by .dockerignore, what it runs exists, and the Dockerfile, compose.yaml
 * and the README agree on the base image, user, volume, port, health check and environment.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { CONFIG_VARS, loadConfig } from '../src/config.ts';
import { COMMANDS } from '../src/cli/registry.ts';

const root = new URL('../', import.meta.url);
const read = (p: string) => readFileSync(new URL(p, root), 'utf8');
const dockerfile = read('Dockerfile');
/** Instructions with their continuation lines joined. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));
const stages = dockerfile.split(/^FROM /m).slice(1);
const final = instructions.slice(instructions.lastIndexOf(instructions.filter((l) => l.startsWith('FROM ')).at(-1)!));
const env = Object.fromEntries(final.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.slice(4).matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));

describe('Dockerfile', () => {
  test('multi-stage on node:24-slim (src/store/driver.ts loads better-sqlite3 13 there); the image runs as a non-root user with /data as a volume', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(instructions.filter((l) => l.startsWith('FROM ')).every((l) => /^FROM node:24-slim\b/.test(l))).toBe(true);
    const user = final.find((l) => l.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    expect(final.some((l) => /^VOLUME \[?"?\/data"?\]?/.test(l))).toBe(true);
    expect(final.some((l) => /chown node:node \/data/.test(l))).toBe(true);
  });

  test('every COPY source exists in the repository and is not excluded by .dockerignore', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const copies = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) {
      const parts = c.split(/\s+/).slice(1);
      for (const src of parts.slice(0, -1)) {
        expect(existsSync(new URL(src, root)), `${src} (COPY) exists`).toBe(true);
        expect(
          ignored.filter((i) => i.replace(/\/$/, '') === src.replace(/\/$/, '')),
          `${src} is not in .dockerignore`,
        ).toEqual([]);
      }
    }
    // What the deps stage installs from must be copied before it.
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json \.\/\s+RUN npm ci --omit=dev/);
  });

  test('CMD runs the real bin with a real command; HEALTHCHECK asks /livez on HTTP_PORT', () => {
    const cmd = final.find((l) => l.startsWith('CMD '))!;
    const argv = JSON.parse(cmd.slice(4)) as string[];
    expect(argv[0]).toBe('node');
    expect(existsSync(new URL(argv[1]!, root))).toBe(true);
    expect(COMMANDS.map((c) => c.name)).toContain(argv[2]);
    const health = final.find((l) => l.startsWith('HEALTHCHECK '))!;
    expect(health).toMatch(/\/livez/);
    expect(health).toMatch(/process\.env\.HTTP_PORT/);
  });

  test('its environment is valid config: the ops server on 0.0.0.0, the database in /data', () => {
    for (const k of Object.keys(env).filter((k) => k !== 'NODE_ENV'))
      expect(
        CONFIG_VARS.map((v) => v.name),
        k,
      ).toContain(k);
    const config = loadConfig(env);
    expect(config.http).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(config.databasePath).toBe('/data/goldratio.db');
    expect(final.some((l) => new RegExp(`^EXPOSE .*\\b${config.http.port}\\b`).test(l))).toBe(true);
  });

  test('compose.yaml builds it, keeps /data on a volume and publishes the same port on loopback', () => {
    const compose = read('compose.yaml');
    expect(compose).toMatch(/build: \./);
    expect(compose).toMatch(/- goldratio-data:\/data/);
    expect(compose).toMatch(/^volumes:\n\s+goldratio-data:/m);
    expect(compose).toContain(`"127.0.0.1:${env.HTTP_PORT}:${env.HTTP_PORT}"`);
    // Webhook mode's ports, ready to uncomment: the ones the servers listen on by default.
    for (const name of ['TELEGRAM_WEBHOOK_PORT', 'DISCORD_INTERACTIONS_PORT']) {
      const port = (CONFIG_VARS.find((v) => v.name === name) as { default?: string }).default;
      expect(compose).toContain(`# - "127.0.0.1:${port}:${port}"`);
    }
  });

  test('the README says the same: compose, image, port, health and metrics URLs, backup command', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Running it in production'));
    expect(section).toContain('docker compose up -d');
    const image = final[0]!.split(/\s+/)[1]!;
    expect(image).toBe('node:24-slim');
    expect(section).toContain(`\`${image}\``);
    expect(section).toContain('`/data`');
    for (const path of ['/livez', '/readyz', '/freshz', '/metrics']) expect(section).toContain(`http://127.0.0.1:${env.HTTP_PORT}${path}`);
    expect(section).toMatch(/goldratio backup /);
    expect(section).toMatch(/Litestream/);
  });
});

describe('compose.replicas.yaml: PostgreSQL, two replicas, a load balancer', () => {
  const compose = read('compose.replicas.yaml');
  const lb = read('deploy/lb.conf');
  /** The `environment:` entries of the replicas (the anchor both share). */
  const replicaEnv = Object.fromEntries(
    [...compose.slice(compose.indexOf('goldratio-a:'), compose.indexOf('goldratio-b:')).matchAll(/^ {6}([A-Z_]+): "?([^"\n]*)"?$/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );

  test('the replicas run on DATABASE_URL alone, their variables are goldratio’s, and the configuration takes them', () => {
    expect(replicaEnv.DATABASE_PATH).toBe('');
    expect(replicaEnv.DATABASE_URL).toMatch(/^postgres:\/\/goldratio:\$\{POSTGRES_PASSWORD\}@postgres:5432\/goldratio$/);
    const names = new Set<string>(CONFIG_VARS.map((v) => v.name));
    for (const k of Object.keys(replicaEnv)) expect(names.has(k), k).toBe(true);
    const config = loadConfig({ ...env, ...replicaEnv, DATABASE_URL: 'postgres://goldratio:pw@postgres:5432/goldratio' });
    expect([config.databaseUrl !== undefined, config.telegram.webhookPort, config.http.port]).toEqual([true, 8443, 9464]);
    expect(compose).toMatch(/goldratio-b:\n\s+<<: \*replica/);
    expect(compose).toMatch(/image: postgres:1[5-9]/);
  });

  test('PostgreSQL is healthy only once it answers over TCP, as the replicas connect: not while the image initialises a new volume on its Unix socket', () => {
    const check = /healthcheck:\n(?:\s+#.*\n)*\s+test: (\[.*\])/.exec(compose.slice(compose.indexOf('postgres:')))?.[1];
    expect(JSON.parse(check ?? '[]')).toEqual(['CMD', 'pg_isready', '-h', '127.0.0.1', '-U', 'goldratio', '-d', 'goldratio']);
  });

  test('the README’s Kubernetes probes: liveness on /livez (never /readyz), readiness on /readyz, on the port the replicas listen on', () => {
    const readme = read('README.md');
    const yaml = /```yaml\n(livenessProbe:[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(yaml).toMatch(new RegExp(`livenessProbe:\\n\\s+httpGet: \\{ path: /livez, port: ${replicaEnv.HTTP_PORT} \\}`));
    expect(yaml).toMatch(new RegExp(`readinessProbe:\\n\\s+httpGet: \\{ path: /readyz, port: ${replicaEnv.HTTP_PORT} \\}`));
    for (const lang of ['zh-TW', 'zh-CN']) expect(read(`README.${lang}.md`), lang).toContain(yaml);
  });

  test('the load balancer sends the webhook and the interactions to the ports the replicas listen on, on both replicas', () => {
    for (const host of ['goldratio-a', 'goldratio-b']) {
      expect(lb).toContain(`server ${host}:${replicaEnv.TELEGRAM_WEBHOOK_PORT} `);
      expect(lb).toContain(`server ${host}:${replicaEnv.DISCORD_INTERACTIONS_PORT} `);
    }
    expect(lb).toMatch(/location = \/telegram \{/);
    expect(lb).toMatch(/location = \/discord\/interactions \{/);
    expect(compose).toContain('./deploy/lb.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  test('the README moves compose.yaml’s SQLite into it with names both files use, and its command reads the file and writes the replica’s DATABASE_URL', () => {
    const readme = read('README.md');
    const block = /```sh\n(docker compose stop [\s\S]*?)```/.exec(readme.slice(readme.indexOf('## More than one machine')))?.[1] ?? '';
    const single = read('compose.yaml');
    // The SQLite bot stopped is compose.yaml's service; its volume, named as compose prefixes it.
    const service = /^ {2}([\w-]+):\n\s+build: \./m.exec(single)?.[1];
    expect(block).toContain(`docker compose stop ${service}\n`);
    expect(block).toMatch(/-v goldratio_goldratio-data:\/sqlite goldratio-a /);
    expect(single).toMatch(/^volumes:\n\s+goldratio-data:/m);
    expect(compose).toMatch(/^ {2}goldratio-a: &replica$/m);
    expect(compose).toMatch(/^ {2}postgres:$/m);
    // Inside, the replica's environment with the command's own assignments: SQLite read, the replica's URL the target.
    const inner = /sh -c '([^']+)'/.exec(block)?.[1] ?? '';
    const assigned = Object.fromEntries([...inner.matchAll(/\b([A-Z_]+)=(\S*)/g)].map((m) => [m[1]!, m[2]!]));
    expect(assigned).toEqual({ DATABASE_PATH: '/sqlite/goldratio.db', DATABASE_URL: '' });
    expect(inner).toMatch(/node bin\/goldratio\.js copy-data --to "\$DATABASE_URL"$/);
    const config = loadConfig({ ...env, ...replicaEnv, ...assigned });
    expect([config.databaseUrl, config.databasePath]).toEqual([undefined, '/sqlite/goldratio.db']);
  });

  test('the README points at this setup', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## More than one machine'));
    expect(section).toContain('docker compose -f compose.replicas.yaml up -d');
  });
});
