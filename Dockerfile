# The back office image: runs the API by default; docker-compose.yml overrides the command for the worker and migrations.
FROM node:20-bookworm-slim

# No Prisma telemetry or update checks, at build time or at run time.
ENV CHECKPOINT_DISABLE=1
# CA certificates for TLS to Temporal Cloud and SMTP relays; openssl for Prisma's platform detection.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates openssl \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first so source edits reuse this layer; dev dependencies included (the prisma CLI runs migrations).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY . .
# The schema reads env("DATABASE_URL"); generate only needs a syntactically valid URL, nothing connects.
RUN DATABASE_URL=postgresql://build@localhost:5432/build npx prisma generate

# NODE_ENV is set after `npm ci`, which would otherwise skip the dev dependencies.
ENV NODE_ENV=production
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "api/server.ts"]
