# syntax=docker/dockerfile:1
# A static site (React, Vue, Astro...): build with Node, serve the files with nginx.
# Neither Node nor the sources reach the runtime image.

ARG NODE_VERSION=20

# ---- builder ----
FROM node:${NODE_VERSION} AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The output directory depends on the tool: dist/ (Vite), build/ (Create React App), out/ (next export).
RUN npm run build

# ---- runtime ----
# nginx-unprivileged runs as uid 101 and listens on 8080, so it needs neither root
# nor the capability to bind port 80.
FROM nginxinc/nginx-unprivileged:1.27-alpine
# Files owned by root: nginx (101) can read and serve them but not change them.
COPY --from=builder /app/dist /usr/share/nginx/html
EXPOSE 8080
# On a read-only root filesystem nginx still writes its cache and pid file: mount a
# tmpfs on /var/cache/nginx and /tmp (nginx-unprivileged keeps its pid in /tmp).
USER 101:101
CMD ["nginx", "-g", "daemon off;"]
