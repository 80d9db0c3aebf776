# syntax=docker/dockerfile:1
# Stage 1: production dependencies only, installed from the lockfile.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Stage 2: the runtime image, run as the unprivileged "node" user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
USER node
# TypeScript runs through tsx (a runtime dependency): no separate build step to drift from the source.
CMD ["node", "--import", "tsx", "src/main.ts"]
