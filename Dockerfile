# The Tollgate image: the server, and the web front end it runs beside itself (see
# docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm run build:web && rm -rf apps/web/.next/cache && npm prune --omit=dev

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
