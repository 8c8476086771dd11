# syntax=docker/dockerfile:1
# The Seatwise job image: the `seatwise` command on Node 24, production dependencies only, non-root.
# Build: `npm run image` (scripts/build-image.sh). The sources are TypeScript run by Node's own type
# stripping, so there is no build step: the image holds the same .ts files as the repository.
# test/image-content.test.ts reproduces this image's file tree without Docker by reading the COPY,
# RUN npm ci and ENTRYPOINT lines below: list every runtime file here, nowhere else.
ARG NODE_IMAGE=node:24-slim

# Stage 1: production dependencies from the lock file (no devDependencies, no install scripts).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Stage 2: the runtime. Only what `bin/seatwise.js` loads; tests are left out by .dockerignore.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# npm, npx and corepack are not needed at run time: one less tool inside the job's container.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
  && mkdir -p /var/lib/seatwise && chown 1000:1000 /var/lib/seatwise
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin/ ./bin/
COPY cli/ ./cli/
COPY core/ ./core/
COPY graph/ ./graph/
COPY store/ ./store/
COPY collector/ ./collector/
COPY policies/ ./policies/
COPY reclaim/ ./reclaim/
COPY report/ ./report/
COPY simulator/ ./simulator/
COPY provisioning/parse-stack-outputs.ts provisioning/seatwise-yaml.ts ./provisioning/
# The `node` user of the base image (uid 1000); numeric, so runAsNonRoot checks can verify it.
USER 1000:1000
WORKDIR /var/lib/seatwise
# The same V8 flag as bin/seatwise.js's shebang (a small young generation halves the collector's RSS).
ENTRYPOINT ["node", "--max-semi-space-size=4", "/app/bin/seatwise.js"]
CMD ["--help"]
