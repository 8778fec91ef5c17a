# syntax=docker/dockerfile:1
# Node.js: build with the full image, run on the slim one as the image's own `node` user.
# What `harden fix` writes for a single-stage Node Dockerfile looks like this
# (templates/runtime-bases.json: node:X -> node:X-slim).

ARG NODE_VERSION=20

# ---- builder: compilers, devDependencies and sources stay here ----
FROM node:${NODE_VERSION} AS builder
WORKDIR /app
# Dependencies first, so this layer is cached until package*.json changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
# Drop devDependencies. prune only deletes, so it works offline; running
# `npm ci --omit=dev` in the runtime stage would need the registry again.
RUN npm prune --omit=dev && mkdir -p node_modules

# ---- runtime: only what the app runs ----
FROM node:${NODE_VERSION}-slim
WORKDIR /app
# npm writes its cache and logs to $HOME/.npm; on a read-only root put them on /tmp (npm/cli #5183).
ENV NODE_ENV=production \
    npm_config_cache=/tmp/.npm
# Files are copied as root: the app can read them but not change them.
COPY --from=builder /app/package*.json /app/
COPY --from=builder /app/node_modules /app/node_modules
COPY --from=builder /app/dist /app/dist
# The only directories the app writes, owned by its user. With a read-only root
# filesystem, mount a tmpfs (cache, pid) or a volume (logs) over them instead.
RUN mkdir -p /app/logs /app/cache /app/run && chown 1000:1000 /app/logs /app/cache /app/run
EXPOSE 3000
# node:X-slim has no curl or wget: check health with node itself.
HEALTHCHECK --interval=10s --timeout=3s CMD ["node", "-e", "require('http').get('http://127.0.0.1:3000/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
# The image's `node` user (1000:1000), by number so Kubernetes runAsNonRoot can check it.
USER 1000:1000
# Run node directly, not `npm start`: npm does not forward SIGTERM and writes to ~/.npm.
CMD ["node", "dist/server.js"]
