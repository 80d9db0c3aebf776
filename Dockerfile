# syntax=docker/dockerfile:1
# The bot's image: `docker build -t sferum-bot .` See docs/deploy.md.
#
# Node.js 24 (LTS until April 2028; Node 20 reached its end of life in April 2026). The base image is
# pinned by digest, so a rebuild gets the same bytes: node:24-bookworm-slim as published with Node
# 24.18.0 (July 2026). To move it: `docker pull node:24-bookworm-slim`, then
# `docker image inspect --format '{{index .RepoDigests 0}}' node:24-bookworm-slim`, and replace the
# digest in all three FROM lines.

# Stage 1: production dependencies only, installed exactly from the lockfile.
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# postgres.js comes from a tarball in vendor/ (vendor/README.md): it must be there before npm ci.
COPY vendor ./vendor
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Stage 2: compile src/ to JavaScript (scripts/build.mjs) with the dev dependencies (TypeScript).
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY vendor ./vendor
RUN npm ci --no-audit --no-fund
COPY scripts ./scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Stage 3: the runtime image. No npm, no dev dependencies (tsx, pino-pretty: logs are JSON), no build
# tools; runs as "node" (uid 1000). Writes only to /app/data (a volume) and /tmp: docker-compose.yml
# runs it with a read-only root file system.
FROM node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
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
COPY assets ./assets
USER node
EXPOSE 8080
# Healthy = ready to take updates: database reachable, migrations applied, not shutting down.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Compiled JavaScript run by plain node: no TypeScript loader in the process (about 75 MB less
# memory than tsx; docs/BENCHMARKS.md). test/build.test.ts runs this build in CI.
# Node is PID 1 and handles SIGTERM itself: it stops taking updates, finishes those in flight, exits.
CMD ["node", "dist/main.js"]
