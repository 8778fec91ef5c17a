// Deterministic corpus of Dockerfiles, compose files and multi-document Kubernetes
// manifests. Every file is a pure function of (seed, kind, index), so the first N
// files of a 2N corpus are byte-identical to an N corpus.
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** mulberry32: small, fast, good enough for picking realistic variations. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rngFor = (seed, kind, i) => mulberry32(seed ^ Math.imul(kind + 1, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b));
const pick = (r, list) => list[Math.floor(r() * list.length)];
const chance = (r, p) => r() < p;
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const digest = (r) => 'sha256:' + Array.from({length: 64}, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');

const stacks = [
  {base: ['node:20-alpine', 'node:20', 'node:18-bullseye-slim', 'node:22-slim'], build: ['npm ci', 'npm ci --omit=dev', 'npm run build', 'yarn install --frozen-lockfile'], cmd: '["node", "dist/server.js"]', port: 3000},
  {base: ['python:3.12-slim', 'python:3.11', 'python:3.12-alpine'], build: ['pip install --no-cache-dir -r requirements.txt', 'pip install .', 'python -m compileall .'], cmd: '["gunicorn", "-b", "0.0.0.0:8000", "app:app"]', port: 8000},
  {base: ['golang:1.22', 'golang:1.21-alpine'], build: ['go mod download', 'CGO_ENABLED=0 go build -o /out/app ./cmd/app'], cmd: '["/app"]', port: 8080, runtime: ['gcr.io/distroless/static-debian12', 'alpine:3.19', 'scratch']},
  {base: ['eclipse-temurin:21-jdk', 'maven:3.9-eclipse-temurin-21'], build: ['./mvnw -B package -DskipTests', 'mvn -q dependency:go-offline'], cmd: '["java", "-jar", "/app/app.jar"]', port: 8080, runtime: ['eclipse-temurin:21-jre', 'gcr.io/distroless/java21-debian12']},
  {base: ['nginx:1.25', 'nginx:1.25-alpine', 'nginx:latest'], build: [], cmd: '["nginx", "-g", "daemon off;"]', port: 80},
  {base: ['ubuntu:22.04', 'debian:bookworm-slim', 'ubuntu'], build: ['apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*', 'apt-get update && apt-get install -y build-essential'], cmd: '["/usr/local/bin/entrypoint.sh"]', port: 9000},
  {base: ['ruby:3.3', 'ruby:3.3-slim'], build: ['bundle install --jobs 4', 'bundle exec rake assets:precompile'], cmd: '["bundle", "exec", "puma"]', port: 9292},
  {base: ['php:8.3-fpm', 'php:8.2-apache'], build: ['docker-php-ext-install pdo_mysql', 'composer install --no-dev'], cmd: '["php-fpm"]', port: 9000},
];

export function dockerfile(seed, i) {
  const r = rngFor(seed, 0, i);
  const s = pick(r, stacks);
  const base = pick(r, s.base) + (chance(r, 0.15) ? '@' + digest(r) : '');
  const lines = [`# service ${i}`];
  if (chance(r, 0.3)) lines.unshift('# syntax=docker/dockerfile:1.7');
  const multi = s.runtime && chance(r, 0.7);
  lines.push(`FROM ${base}${multi ? ' AS build' : ''}`);
  if (chance(r, 0.4)) lines.push(`LABEL org.opencontainers.image.source="https://example.com/repo-${i}"`);
  lines.push(`WORKDIR ${pick(r, ['/app', '/src', '/usr/src/app', '/srv'])}`);
  if (chance(r, 0.5)) lines.push(`ENV ${pick(r, ['NODE_ENV=production', 'PYTHONUNBUFFERED=1', 'APP_ENV=prod', 'LANG=C.UTF-8'])}`);
  if (chance(r, 0.3)) lines.push(`ARG VERSION=${int(r, 1, 9)}.${int(r, 0, 20)}.${int(r, 0, 9)}`);
  lines.push(`COPY ${pick(r, ['package*.json ./', 'requirements.txt .', 'go.mod go.sum ./', 'pom.xml .', 'Gemfile Gemfile.lock ./', '. .'])}`);
  for (let k = int(r, 0, 3); k > 0; k--) {
    if (s.build.length) lines.push(`RUN ${pick(r, s.build)}`);
    if (chance(r, 0.2)) lines.push('RUN chmod +x /usr/local/bin/entrypoint.sh \\\n    && mkdir -p /var/cache/app');
  }
  lines.push('COPY . .');
  if (multi) {
    lines.push('', `FROM ${pick(r, s.runtime)}`, `COPY --from=build ${pick(r, ['/out/app /app', '/src/target/app.jar /app/app.jar'])}`);
  }
  if (chance(r, 0.35)) lines.push(`RUN ${pick(r, ['addgroup -S app && adduser -S app -G app', 'useradd -r -u 10001 app', 'chown -R 1000:1000 /app'])}`);
  if (chance(r, 0.3)) lines.push(`VOLUME ${pick(r, ['/data', '/var/lib/app', '["/tmp", "/cache"]'])}`);
  lines.push(`EXPOSE ${s.port}`);
  if (chance(r, 0.4)) lines.push(`USER ${pick(r, ['app', '10001:10001', 'node', 'nobody', 'root'])}`);
  if (chance(r, 0.3)) lines.push(`HEALTHCHECK --interval=30s CMD ${pick(r, ['curl -f http://localhost/ || exit 1', 'wget -qO- http://localhost/health'])}`);
  if (chance(r, 0.2)) lines.push('ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]');
  lines.push(`CMD ${s.cmd}`);
  return lines.join('\n') + '\n';
}

const images = ['postgres:16', 'redis:7-alpine', 'nginx:1.25', 'mysql:8.0', 'rabbitmq:3-management', 'mongo:7', 'traefik:v3.0', 'grafana/grafana:10.4.0', 'prom/prometheus:v2.51.0', 'ghcr.io/example/api:1.4.2', 'memcached:1.6', 'elasticsearch:8.13.0'];

export function compose(seed, i) {
  const r = rngFor(seed, 1, i);
  const names = ['web', 'api', 'worker', 'db', 'cache', 'proxy', 'queue', 'metrics'];
  const count = int(r, 1, 5);
  const used = [];
  const out = [];
  if (chance(r, 0.2)) out.push(`name: project-${i}`);
  out.push('services:');
  const named = [];
  for (let k = 0; k < count; k++) {
    const name = names[(k + int(r, 0, 7)) % names.length];
    if (used.includes(name)) continue;
    used.push(name);
    out.push(...service(r, name, i, used, named));
  }
  if (named.length) out.push('volumes:', ...named.map((v) => `  ${v}: {}`));
  return out.join('\n') + '\n';
}

/** One compose file with `count` services (`svc-0`, ...), each like a service of compose(): the bench's one huge file. */
export function hugeCompose(seed, count) {
  const out = ['services:'];
  const named = [];
  for (let i = 0; i < count; i++) out.push(...service(rngFor(seed, 3, i), `svc-${i}`, i, i > 0 ? [`svc-${i - 1}`, `svc-${i}`] : [`svc-${i}`], named));
  if (named.length) out.push('volumes:', ...named.map((v) => `  ${v}: {}`));
  return out.join('\n') + '\n';
}

/** One manifest of the documents of kubernetes(seed, 0 .. count - 1): the bench's one huge multi-document file. */
export function hugeManifest(seed, count) {
  return Array.from({length: count}, (_, i) => kubernetes(seed, i)).join('---\n');
}

/** The lines of one compose service; `used` is the services so far (for depends_on), `named` collects named volumes. */
function service(r, name, i, used, named) {
  const out = [`  ${name}:`];
  if (chance(r, 0.3)) out.push('    build: .', `    image: example/${name}-${i}:latest`);
  else out.push(`    image: ${pick(r, images)}${chance(r, 0.1) ? '@' + digest(r) : ''}`);
  if (chance(r, 0.5)) out.push('    restart: unless-stopped');
  if (chance(r, 0.5)) out.push('    ports:', `      - "${int(r, 3000, 9999)}:${pick(r, [80, 443, 5432, 6379, 8080])}"`);
  if (chance(r, 0.6)) {
    out.push('    environment:');
    for (let e = int(r, 1, 4); e > 0; e--) out.push(`      ${pick(r, ['LOG_LEVEL', 'DATABASE_URL', 'REDIS_HOST', 'PORT', 'TZ'])}_${e}: "${pick(r, ['info', 'postgres://db/app', 'cache', '8080', 'UTC'])}"`);
  }
  if (chance(r, 0.5)) {
    const v = `${name}-data`;
    const useNamed = chance(r, 0.5);
    out.push('    volumes:', `      - ${useNamed ? v : './' + name}:${pick(r, ['/data', '/var/lib/postgresql/data', '/app/uploads'])}`);
    if (chance(r, 0.2)) out.push('      - /var/run/docker.sock:/var/run/docker.sock');
    if (useNamed) named.push(v);
  }
  if (chance(r, 0.3)) out.push('    read_only: true', '    tmpfs:', '      - /tmp');
  if (chance(r, 0.3)) out.push(`    user: "${pick(r, ['10001:10001', '1000', 'root'])}"`);
  if (chance(r, 0.3)) out.push('    cap_drop:', '      - ALL');
  if (chance(r, 0.1)) out.push('    privileged: true');
  if (chance(r, 0.25)) out.push('    security_opt:', '      - no-new-privileges:true');
  if (chance(r, 0.3) && used.length > 1) out.push('    depends_on:', `      - ${used[0]}`);
  if (chance(r, 0.3)) out.push('    healthcheck:', '      test: ["CMD", "curl", "-f", "http://localhost/health"]', '      interval: 30s');
  return out;
}

const kinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

function podSpec(r, name, indent) {
  const p = ' '.repeat(indent);
  const out = [];
  if (chance(r, 0.3)) out.push(`${p}serviceAccountName: ${name}`);
  if (chance(r, 0.4)) out.push(`${p}securityContext:`, `${p}  runAsNonRoot: true`, `${p}  seccompProfile:`, `${p}    type: RuntimeDefault`);
  if (chance(r, 0.1)) out.push(`${p}hostNetwork: true`);
  out.push(`${p}containers:`);
  for (let c = int(r, 1, 3), k = 0; k < c; k++) {
    out.push(`${p}- name: ${k === 0 ? name : 'sidecar-' + k}`, `${p}  image: ${pick(r, images)}`);
    if (chance(r, 0.5)) out.push(`${p}  ports:`, `${p}  - containerPort: ${pick(r, [80, 8080, 5432, 9090])}`);
    if (chance(r, 0.5)) out.push(`${p}  resources:`, `${p}    limits:`, `${p}      cpu: 500m`, `${p}      memory: ${pick(r, ['128Mi', '256Mi', '1Gi'])}`);
    if (chance(r, 0.5)) {
      out.push(`${p}  securityContext:`);
      if (chance(r, 0.7)) out.push(`${p}    readOnlyRootFilesystem: ${chance(r, 0.8)}`);
      out.push(`${p}    allowPrivilegeEscalation: ${chance(r, 0.2)}`);
      if (chance(r, 0.5)) out.push(`${p}    capabilities:`, `${p}      drop: ["ALL"]`);
      if (chance(r, 0.1)) out.push(`${p}    privileged: true`);
    }
    if (chance(r, 0.4)) out.push(`${p}  volumeMounts:`, `${p}  - name: data`, `${p}    mountPath: /data`);
    if (chance(r, 0.3)) out.push(`${p}  livenessProbe:`, `${p}    httpGet:`, `${p}      path: /healthz`, `${p}      port: 8080`);
  }
  out.push(`${p}volumes:`, `${p}- name: data`, `${p}  ${pick(r, ['emptyDir: {}', 'configMap:\n' + p + '    name: ' + name, 'persistentVolumeClaim:\n' + p + '    claimName: ' + name])}`);
  return out;
}

export function kubernetes(seed, i) {
  const r = rngFor(seed, 2, i);
  const docs = [];
  for (let w = int(r, 1, 3), k = 0; k < w; k++) {
    const kind = pick(r, kinds);
    const name = `app-${i}-${k}`;
    const api = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
    const head = [`apiVersion: ${api}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, '  labels:', `    app: ${name}`, 'spec:'];
    if (kind === 'CronJob') docs.push([...head, '  schedule: "*/5 * * * *"', '  jobTemplate:', '    spec:', '      template:', '        spec:', '          restartPolicy: OnFailure', ...podSpec(r, name, 10)]);
    else if (kind === 'Job') docs.push([...head, '  template:', '    spec:', '      restartPolicy: Never', ...podSpec(r, name, 6)]);
    else docs.push([...head, ...(kind === 'DaemonSet' ? [] : [`  replicas: ${int(r, 1, 5)}`]), '  selector:', '    matchLabels:', `      app: ${name}`, '  template:', '    metadata:', '      labels:', `        app: ${name}`, '    spec:', ...podSpec(r, name, 6)]);
    if (chance(r, 0.5)) docs.push(['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, 'spec:', '  selector:', `    app: ${name}`, '  ports:', '  - port: 80', '    targetPort: 8080']);
  }
  if (chance(r, 0.3)) docs.push(['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: cfg-${i}`, 'data:', '  LOG_LEVEL: info']);
  return docs.map((d) => d.join('\n')).join('\n---\n') + '\n';
}

const composeNames = ['compose.yaml', 'docker-compose.yml', 'compose.prod.yaml', 'docker-compose.yaml'];
const k8sNames = ['deployment.yaml', 'k8s.yaml', 'manifests.yml', 'workload.yaml'];

/**
 * Writes `n` files of each kind under root: docker/, compose/, k8s/, one
 * directory per file (as in a monorepo). Returns the relative paths written.
 */
export function writeCorpus(root, n, seed) {
  const written = [];
  const put = (rel, text) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), {recursive: true});
    writeFileSync(path, text);
    written.push(rel);
  };
  const pad = (i) => String(i).padStart(5, '0');
  for (let i = 0; i < n; i++) put(`docker/svc-${pad(i)}/Dockerfile`, dockerfile(seed, i));
  for (let i = 0; i < n; i++) put(`compose/app-${pad(i)}/${composeNames[i % composeNames.length]}`, compose(seed, i));
  for (let i = 0; i < n; i++) put(`k8s/app-${pad(i)}/${k8sNames[i % k8sNames.length]}`, kubernetes(seed, i));
  return written;
}
