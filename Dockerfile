# squad-mcp image: build with the dev toolchain, run with production dependencies only.
#
#   docker build -t squad-mcp:0.1.0 .
#   docker run --rm -p 8000:8000 -e DB_URL=... -e API_BASE_URL=... -e API_KEY_PRIMARY=... squad-mcp:0.1.0
#
# scripts/production-install-check.sh performs these same steps outside Docker in CI (there is no
# Docker engine there): keep the two in step when a COPY or an install flag changes here.
#
# NODE_VERSION is the pinned `node` package of package.json (the Node every npm script and CI run
# on); .ci/run fails when the two differ. Pin the base image by digest in production
# (--build-arg NODE_IMAGE=node:24.21.0-bookworm-slim@sha256:...).
ARG NODE_VERSION=24.21.0
ARG NODE_IMAGE=node:${NODE_VERSION}-bookworm-slim

# --- build: the TypeScript compiler and the Nest CLI, then `nest build` into dist/ -----------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the only install scripts in the tree are the dev-only `node` package (it
# downloads a Node 24 binary for npm scripts; this image already runs Node 24), @parcel/watcher
# (dev, prebuilt binaries come as optional packages) and @scarf/scarf (install telemetry).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- production dependencies only ---------------------------------------------------------------
# No runtime dependency needs an install script (checked: package-lock.json's hasInstallScript),
# so --ignore-scripts changes nothing but the telemetry call.
FROM ${NODE_IMAGE} AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# A heap cap keeps a saturated instance near 350 MB RSS; without it V8 sizes the heap from the host's
# memory (541 MB measured under load). Raise it together with the container's memory limit.
ENV NODE_ENV=production \
    ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    NODE_OPTIONS="--max-old-space-size=384 --max-semi-space-size=16"
WORKDIR /app
# Owned by root and read-only to the `node` user (uid 1000): the process cannot change its own code.
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# dist/app-info.js reads ../package.json for the service name and version.
COPY package.json ./
# The demo help center, for `node dist/documents/ingest.cli.js --dir corpus/help-center`.
COPY corpus ./corpus
USER node
EXPOSE 8000
# Liveness only (no dependencies); the slim image has no curl, so node's own fetch asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
