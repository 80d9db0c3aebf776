# syntax=docker/dockerfile:1
# The bot's image: `docker build -t sferum-bot .` See docs/deploy.md.

# Stage 1: production dependencies only, installed exactly from the lockfile.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postinstall patches postgres.js (scripts/patch-postgres.mjs): it must be there before npm ci.
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 2: compile src/ to JavaScript (scripts/build.mjs) with the dev dependencies (TypeScript).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Stage 3: the runtime image. No npm, no dev dependencies, no build tools; runs as "node" (uid 1000).
FROM node:20-bookworm-slim
# npm and yarn are not needed to run the bot: fewer files, fewer CVEs to patch.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
 && mkdir -p /app/data && chown node:node /app/data
# Inside a container the HTTP server must listen on all interfaces to be reachable: publish the port
# with care (docker-compose.yml binds it to the host's loopback). The embedded PostgreSQL server (no DATABASE_URL)
# keeps its files in DATA_DIR: mount a volume there.
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 PORT=8080 DATA_DIR=/app/data
WORKDIR /app
# Code and dependencies stay owned by root: the bot cannot modify itself.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
USER node
EXPOSE 8080
# Healthy = ready to take updates: database reachable, migrations applied, not shutting down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Compiled JavaScript run by plain node: no TypeScript loader in the process (about 75 MB less
# memory than tsx; docs/BENCHMARKS.md). test/build.test.ts runs this build in CI.
# Node is PID 1 and handles SIGTERM itself: it stops taking updates, finishes those in flight, exits.
CMD ["node", "dist/main.js"]
