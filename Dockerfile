# goldratio in a container: `docker compose up -d` (see compose.yaml and the README's
# "Running it in production"). Two stages: the first has the compiler toolchain that
# better-sqlite3 may need; the image that runs has only Node, the app and its dependencies.
# Node 24: src/store/driver.ts loads better-sqlite3 13 (the alias better-sqlite3-13, a Node-API
# binary shipped in the package) on Node 22+; better-sqlite3 12, which Node 20 needs, aborts at exit
# under 24 and is not loaded here (it still compiles in the first stage: npm ci installs both).
FROM node:24-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production \
    DATABASE_PATH=/data/goldratio.db \
    DATA_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=9464 \
    LOG_FORMAT=json
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
# The bin's bundle of src/ (bin/bundle.js), built now: the unprivileged user cannot write node_modules.
RUN node bin/goldratio.js help >/dev/null \
 && mkdir -p /data && chown node:node /data
# The official image's unprivileged user (uid 1000).
USER node
VOLUME ["/data"]
# 9464: /livez (or /healthz) /readyz /freshz /metrics. 8443: Telegram webhook mode (TELEGRAM_WEBHOOK_PORT), if used.
# 8444: the Discord Interactions Endpoint (DISCORD_INTERACTIONS_PORT, with DISCORD_PUBLIC_KEY), if used.
EXPOSE 9464 8443 8444
# /livez, never /readyz: a lost database or a platform retrying would mark every replica unhealthy (README, "Probes").
# HTTP_HOST when it names one address (not 0.0.0.0 or ::, where 127.0.0.1 answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "const h = process.env.HTTP_HOST || '0.0.0.0'; const host = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? '[' + h + ']' : h; fetch('http://' + host + ':' + (process.env.HTTP_PORT || 9464) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/goldratio.js", "start"]
