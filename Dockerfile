# The Tollgate image: the server, and the web front end it runs beside itself (see
# docker-compose.yml).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm run build:web && rm -rf apps/web/.next/cache && npm prune --omit=dev

# The settlement engine (`docker compose` target `engine`): `npm run engine` runs its
# TypeScript through tsx, so this stage keeps the full install. The anvil binary comes with
# it (linux/amd64) for chains started by the engine itself.
FROM deps AS engine
COPY . .
ENV NODE_ENV=production
# Its own anvil keeps the chain state here.
RUN mkdir -p /app/.tollgate && chown node /app/.tollgate
USER node
EXPOSE 3001
CMD ["npm", "run", "--silent", "engine"]

FROM node:20-bookworm-slim
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/web/.next ./apps/web/.next
COPY apps/web/package.json apps/web/next.config.ts ./apps/web/
COPY package.json ./
USER node
EXPOSE 8080 3000
CMD ["node", "dist/apps/server/apps/server/src/main.js"]
