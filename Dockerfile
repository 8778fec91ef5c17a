# harden-wizard's own image, hardened by the tool: the toolchain, devDependencies and
# sources stay in the build stage; the runtime stage holds only what `harden` runs, owned
# by root and run as a numeric non-root user, so it works with a read-only root filesystem.
# Usage: the "Container image" section of README.md (test/image checks it).

# Both bases are named by tag, not digest (our audit's mutable-image-ref, low): pin them
# with `harden fix --pin-digests` on an engine that pulled them from a registry; the
# stand-ins the tests build locally have no registry digest to pin.

# ---- build: devDependencies (esbuild), sources, the bundle ----
FROM node:20 AS build
WORKDIR /app
# Dependencies first, so this layer is cached until package*.json changes.
COPY package.json package-lock.json ./
# From the lockfile, through the registry, as a person's build does. An engine with no
# default bridge (dockerd --bridge=none) needs `--network host` for this step.
# --ignore-scripts: no package's install script runs here. The only ones in the tree build
# ssh2's optional native addons (cpu-features, its crypto binding), which would need a
# compiler and Node headers from the network; without them ssh2 uses its JavaScript code,
# and only ssh:// engines use ssh2 at all. It also keeps our own `prepare` from building
# before the sources are copied.
# npm_config_ca: behind a TLS-inspecting proxy, its CA certificates as PEM text (npm's
# `ca` setting, `--build-arg npm_config_ca="$(cat proxy-ca.pem)"`); unset, npm trusts the
# usual public CAs. Only this stage sees it, and this stage is not shipped.
ARG npm_config_ca
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY bin/ bin/
COPY source/ source/
# The sources import templates/runtime-bases.json, and `harden demo` copies templates/demo.
COPY templates/ templates/
RUN node scripts/build.js
# prune only deletes, so it needs no registry; the runtime stage copies what is left.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: node and the built CLI, nothing else ----
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
# Copied as root: the user the CLI runs as can read its code but not change it.
# package.json stays: its "type": "module" makes node load dist/ as ES modules, and
# `harden demo` finds templates/ beside it.
COPY --from=build /app/package.json ./
COPY --from=build /app/bin/ bin/
COPY --from=build /app/dist/ dist/
COPY --from=build /app/templates/ templates/
# The MIT licence asks for its notice in every copy, and an image is a copy.
COPY LICENSE ./
# The bundle holds most dependencies; the few it leaves external (dockerode, tar-fs, dockerfile-ast,
# yoga-layout: scripts/build.js says why) are the production node_modules left after the prune.
COPY --from=build /app/node_modules/ node_modules/
# The image's `node` user, by number so Kubernetes runAsNonRoot can check it. Files that
# `harden fix --yes` writes in the mounted project belong to it (or to `docker run --user`).
USER 1000:1000
# The project to audit or fix is mounted here. The CLI writes only there (`fix --yes`: the
# files and .harden/ backups), so the root filesystem can be read-only; `harden demo` with
# no DIR is the exception, it copies the demo project to /tmp (give it `--tmpfs /tmp`).
WORKDIR /work
# No HEALTHCHECK: a CLI runs once and exits; there is no long-running state to probe, and
# our own audit has no rule asking for one on a one-shot image.
ENTRYPOINT ["node", "/app/bin/harden.js"]
# With no arguments: audit the mounted project.
CMD ["audit", "."]
