# Build stage: compiles better-sqlite3 and generates the Prisma clients.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
RUN npm ci && npm prune --omit=dev

# Run stage: no compilers, runs as the unprivileged node user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app ./
COPY --chown=node:node locales ./locales
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 8080
# Apply migrations, then run the bot (which checks them again, harmlessly).
CMD ["sh", "-c", "node --import tsx scripts/migrate.ts deploy && exec node --import tsx src/main.ts"]
