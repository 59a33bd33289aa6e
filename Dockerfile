# goldratio in a container: `docker compose up -d` (see compose.yaml and the README's
# "Running it in production"). Two stages: the first has the compiler toolchain that
# better-sqlite3 may need; the image that runs has only Node, the app and its dependencies.
# Node 22, not 24: better-sqlite3 12 aborts the process under Node 24 (Statement destructor,
# "Assertion failed: (env) != nullptr"; WiseLibs/better-sqlite3#1515). Its fix, better-sqlite3 13,
# needs Node >= 22. Move both to 24 together once Node 20 support is dropped (README).
FROM node:22-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:22-slim
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
RUN mkdir -p /data && chown node:node /data
# The official image's unprivileged user (uid 1000).
USER node
VOLUME ["/data"]
# 9464: /livez /readyz /metrics. 8443: Telegram webhook mode (TELEGRAM_WEBHOOK_PORT), if used.
EXPOSE 9464 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 9464) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/goldratio.js", "start"]
