import {mkdir, writeFile} from 'node:fs/promises';
import {dirname, join} from 'node:path';

/*
 * A collection of 40 small compose apps written the way people write them (a web app with
 * its database and cache, workers, an nginx front, official postgres/redis/mysql/nginx/
 * node/python images, some built from a Dockerfile, some partly hardened), about 116
 * targets in all. Deterministic and offline: the audit-text tests measure how long the
 * report of such a collection is, so the same input must come back every run.
 */

/** One app's files, by path relative to the app's directory. */
type App = Record<string, string>;

const nodeDockerfile = (tag: string) => `FROM node:${tag}
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["node", "server.js"]
`;

const pythonDockerfile = (tag: string) => `FROM python:${tag}
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["python", "app.py"]
`;

/** Someone already read a hardening guide: two stages and a USER. */
const hardenedPythonDockerfile = (tag: string) => `FROM python:${tag} AS build
WORKDIR /src
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt

FROM python:${tag}-slim
COPY --from=build /install /usr/local
WORKDIR /app
COPY . .
USER 10001:10001
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
`;

/** web (built, node) + db (postgres) + cache (redis): 3 services and a Dockerfile. */
function nodeStack(n: number): App {
  return {
    'compose.yaml': `services:
  web:
    build: ./web
    ports:
      - "${3000 + n}:3000"
    environment:
      DATABASE_URL: postgres://app:app@db:5432/app
      REDIS_URL: redis://cache:6379
    depends_on: [db, cache]
  db:
    image: postgres:${n % 2 ? '16' : '15-alpine'}
    environment:
      POSTGRES_PASSWORD: app
    volumes:
      - db-data:/var/lib/postgresql/data
  cache:
    image: redis:7-alpine
volumes:
  db-data:
`,
    'web/Dockerfile': nodeDockerfile(n % 3 ? '20' : '18-alpine'),
  };
}

/** nginx front + python app (built) + mysql: 3 services and a Dockerfile. */
function nginxPythonMysql(n: number): App {
  return {
    'docker-compose.yml': `version: "3.8"
services:
  proxy:
    image: nginx:1.25
    ports:
      - "${8000 + n}:80"
    volumes:
      - ./nginx.conf:/etc/nginx/conf.d/default.conf:ro
    depends_on:
      - app
  app:
    build:
      context: ./app
    environment:
      - MYSQL_HOST=db
  db:
    image: mysql:8.0
    environment:
      MYSQL_ROOT_PASSWORD: example
    volumes:
      - mysql:/var/lib/mysql
volumes:
  mysql: {}
`,
    'app/Dockerfile': pythonDockerfile(n % 2 ? '3.12' : '3.11'),
  };
}

/** An api and a worker on the same image, and a redis queue: 3 services. */
function workerQueue(n: number): App {
  return {
    'compose.yaml': `services:
  api:
    image: node:20-alpine
    working_dir: /srv
    command: node api.js
    volumes:
      - ./:/srv
  worker:
    image: node:20-alpine
    working_dir: /srv
    command: node worker.js
    volumes:
      - ./:/srv
    deploy:
      replicas: ${1 + (n % 3)}
  queue:
    image: redis:7
    command: ["redis-server", "--appendonly", "yes"]
`,
  };
}

/** A static site: 1 service on an untagged nginx. */
function staticSite(n: number): App {
  return {
    'compose.yaml': `services:
  site:
    image: nginx
    ports:
      - "${8080 + n}:80"
    volumes:
      - ./public:/usr/share/nginx/html:ro
`,
  };
}

/** A python app and its worker built from one Dockerfile, with postgres: 3 services and a Dockerfile. */
function pythonWorker(n: number): App {
  return {
    'compose.yaml': `services:
  app:
    build: .
    ports: ["${5000 + n}:5000"]
    depends_on: [db]
  worker:
    build: .
    command: celery -A tasks worker
    depends_on: [db]
  db:
    image: postgres:15-alpine
    environment:
      POSTGRES_PASSWORD: secret
`,
    Dockerfile: pythonDockerfile('3.11-slim'),
  };
}

/** Partly hardened: read-only with a tmpfs, a user, no-new-privileges; its db is not. 2 services. */
function partlyHardened(n: number): App {
  return {
    'compose.yaml': `services:
  web:
    image: node:18
    read_only: true
    tmpfs:
      - /tmp
    user: "1000:1000"
    security_opt:
      - no-new-privileges:true
    command: node /srv/index.js
    ports:
      - "${4000 + n}:4000"
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: secret
    volumes:
      - pg:/var/lib/postgresql/data
volumes:
  pg:
`,
  };
}

/** A flask app from a two-stage Dockerfile with USER, and redis: 2 services and a Dockerfile. */
function flaskRedis(n: number): App {
  return {
    'compose.yaml': `services:
  web:
    build:
      context: .
      dockerfile: Dockerfile
    ports:
      - "${8100 + n}:8000"
    security_opt: ["no-new-privileges:true"]
  redis:
    image: redis:7.2-alpine
`,
    Dockerfile: hardenedPythonDockerfile('3.12'),
  };
}

/** nginx in front of a node app built from a Dockerfile: 2 services and a Dockerfile. */
function nginxNode(n: number): App {
  return {
    'compose.yml': `services:
  nginx:
    image: nginx:1.25-alpine
    ports:
      - "${9000 + n}:80"
    volumes:
      - ./nginx/default.conf:/etc/nginx/conf.d/default.conf:ro
    depends_on: [frontend]
  frontend:
    build: frontend
    environment:
      NODE_ENV: production
`,
    'frontend/Dockerfile': nodeDockerfile('20-bullseye'),
  };
}

/** Each kind of app five times, under the kind of names such collections use. */
const apps: ReadonlyArray<readonly [(n: number) => App, readonly string[]]> = [
  [nodeStack, ['express-postgres-redis', 'nest-postgres', 'koa-redis-postgres', 'fastify-postgres', 'node-api-cache']],
  [nginxPythonMysql, ['nginx-flask-mysql', 'nginx-django-mysql', 'proxy-fastapi-mysql', 'nginx-bottle-mysql', 'nginx-pyramid-mysql']],
  [workerQueue, ['node-worker-redis', 'bull-queue', 'jobs-redis', 'mailer-queue', 'render-workers']],
  [staticSite, ['static-site', 'docs-nginx', 'landing-page', 'nginx-html', 'portfolio']],
  [pythonWorker, ['celery-postgres', 'django-celery', 'flask-rq-postgres', 'scraper-worker', 'etl-postgres']],
  [partlyHardened, ['node-readonly', 'api-hardened', 'ro-web-postgres', 'safe-node-pg', 'minimal-api']],
  [flaskRedis, ['flask-redis', 'quart-redis', 'flask-cache', 'counter-redis', 'python-redis']],
  [nginxNode, ['nginx-react', 'nginx-vue', 'nginx-angular', 'nginx-next', 'nginx-svelte']],
];

/** Every file of the collection, by path: `app-name/...`, 40 apps. */
export function composeCollection(): Record<string, string> {
  const files: Record<string, string> = {};
  let n = 0;
  for (const [make, names] of apps) {
    for (const name of names) {
      for (const [path, text] of Object.entries(make(n))) files[`${name}/${path}`] = text;
      n += 1;
    }
  }
  return files;
}

/** Writes the collection under `root`. */
export async function writeComposeCollection(root: string): Promise<void> {
  for (const [path, text] of Object.entries(composeCollection())) {
    await mkdir(dirname(join(root, path)), {recursive: true});
    await writeFile(join(root, path), text);
  }
}
