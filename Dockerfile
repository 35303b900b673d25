# One image for the API and the worker (ROLE=api|worker|all). TypeScript runs through tsx, as in development:
# the generated Prisma client is TypeScript source.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall.mjs scripts/generate.mjs ./scripts/
COPY vendor ./vendor
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --omit=dev --ignore-scripts && node scripts/generate.mjs

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 LOG_PRETTY=false
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/src/generated ./src/generated
COPY . .
RUN chown -R node:node /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# Migrations are applied at start by the same offline migrator as `npm run db:migrate`.
CMD ["sh", "-c", "node --import tsx scripts/db-migrate.ts && node --import tsx scripts/serve.ts"]
