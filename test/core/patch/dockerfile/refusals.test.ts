import {describe, expect, it} from 'vitest';
import {rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

/*
 * Where the rewrite cannot tell what the runtime stage needs, it says why, with the line
 * to look at, and writes nothing: the wizard asks, `fix --yes` reports it.
 */

const lines = (...l: string[]) => l.join('\n') + '\n';

const cases: Array<{name: string; text: string; reason: RegExp; line?: number}> = [
  {
    name: 'go build without -o',
    text: lines('FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN CGO_ENABLED=0 go build ./cmd/app', 'CMD ["/src/app"]'),
    reason: /go build without -o \(line 4\) names the binary after the module/, line: 4,
  },
  {
    name: 'go install',
    text: lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'WORKDIR /src', 'COPY . .', 'RUN go install ./cmd/app', 'CMD ["app"]'),
    reason: /go install \(line 5\)/, line: 5,
  },
  {
    name: 'go build after cd',
    text: lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'COPY . /src', 'RUN cd /src && go build -o app .', 'CMD ["/src/app"]'),
    reason: /runs after a cd in the same RUN \(line 4\)/, line: 4,
  },
  {
    name: 'go with cgo on an unversioned Debian tag',
    text: lines('FROM golang:1.22', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .', 'CMD ["/app"]'),
    reason: /CGO_ENABLED=0 is not set.*does not name the Debian release/, line: 1,
  },
  {
    name: 'java run through maven',
    text: lines('FROM maven:3.9-eclipse-temurin-21', 'WORKDIR /app', 'COPY . .', 'RUN mvn -B package', 'CMD ["mvn", "spring-boot:run"]'),
    reason: /CMD does not run java -jar/,
  },
  {
    name: 'maven tag without a JDK',
    text: lines('FROM maven:3.9', 'WORKDIR /app', 'COPY . .', 'RUN mvn package', 'CMD ["java", "-jar", "target/app.jar"]'),
    reason: /does not name the JDK/, line: 1,
  },
  {
    name: 'python tag without a minor version',
    text: lines('FROM python:3', 'WORKDIR /app', 'COPY . .', 'RUN pip install -r requirements.txt', 'CMD ["python", "app.py"]'),
    reason: /does not name the Python minor version/, line: 1,
  },
  {
    name: 'pip install --user',
    text: lines('FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'RUN pip install --user -r requirements.txt', 'CMD ["python", "app.py"]'),
    reason: /pip install --user \(line 4\) installs outside site-packages/, line: 4,
  },
  {
    name: 'poetry',
    text: lines('FROM python:3.12', 'WORKDIR /app', 'COPY . .', 'RUN pip install poetry && poetry install', 'CMD ["python", "app.py"]'),
    reason: /installs with poetry \(line 4\)/, line: 4,
  },
  {
    name: 'a -dev package for native code',
    text: lines('FROM python:3.12', 'WORKDIR /app', 'RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev gcc', 'COPY . .', 'RUN pip install -r requirements.txt', 'CMD ["python", "app.py"]'),
    reason: /installs libpq-dev \(apt-get, line 3\): code linked against it needs its runtime library/, line: 3,
  },
  {
    name: 'a system package the app may run',
    text: lines('FROM node:20', 'WORKDIR /app', 'RUN apt-get update && apt-get install -y imagemagick', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]'),
    reason: /installs imagemagick \(apt-get, line 3\), which the app may run or load at run time, and node:20-slim does not have it/, line: 3,
  },
  {
    name: 'HEALTHCHECK with curl into grep, which the slim image lacks and node cannot ask as one GET',
    text: lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'HEALTHCHECK CMD curl -fs http://localhost:3000/ | grep -q ok || exit 1', 'CMD ["node", "index.js"]'),
    reason: /HEALTHCHECK \(line 5\) runs curl, which node:20-slim does not have/, line: 5,
  },
  {
    name: 'HEALTHCHECK with curl on a Go runtime, which has no interpreter to ask with',
    text: lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .', 'HEALTHCHECK CMD ["curl", "-f", "http://localhost:8080/"]', 'CMD ["/app"]'),
    reason: /HEALTHCHECK \(line 6\) runs curl, which gcr.io\/distroless\/static-debian12:nonroot does not have/, line: 6,
  },
  {
    name: 'shell-only CMD on a shell-less runtime',
    text: lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .', 'CMD /app --port=$PORT'),
    reason: /CMD \(line 6\) needs a shell, and gcr.io\/distroless\/static-debian12:nonroot has none/, line: 6,
  },
  {
    name: 'files copied to / without WORKDIR',
    text: lines('FROM node:20', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]'),
    reason: /copied to \/ \(no WORKDIR\)/,
  },
  {
    name: 'WORKDIR from a variable',
    text: lines('FROM node:20', 'ARG APP_HOME=/app', 'WORKDIR ${APP_HOME}', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]'),
    reason: /WORKDIR \$\{APP_HOME\} depends on a variable/,
  },
  {
    name: 'npm installs in another directory than the final WORKDIR',
    text: lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'WORKDIR /app/server', 'CMD ["node", "index.js"]'),
    reason: /npm installs in \/app \(line 4\) but the final WORKDIR is \/app\/server/, line: 4,
  },
  {
    name: 'no CMD',
    text: lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci'),
    reason: /no CMD or ENTRYPOINT/, line: 1,
  },
  {
    name: 'an image the table does not know',
    text: lines('FROM ubuntu:24.04', 'RUN apt-get update && apt-get install -y make', 'CMD ["make"]'),
    reason: /no runtime base is known for ubuntu:24\.04/, line: 1,
  },
  {
    name: 'a language without artifact rules',
    text: lines('FROM ruby:3.3', 'WORKDIR /app', 'COPY . .', 'RUN bundle install', 'CMD ["ruby", "app.rb"]'),
    reason: /no rules yet for which files a ruby app needs/, line: 1,
  },
  {
    name: 'FROM scratch',
    text: lines('FROM scratch', 'COPY app /app', 'CMD ["/app"]'),
    reason: /FROM scratch: there is no build to split off/, line: 1,
  },
  {
    name: 'a base image from an ARG without default',
    text: lines('ARG BASE', 'FROM ${BASE}', 'CMD ["x"]'),
    reason: /depends on an ARG with no default/, line: 2,
  },
  {
    name: 'errors Docker would reject',
    text: lines('FROM node:20', 'RUNN npm ci', 'CMD ["node"]'),
    reason: /the file has errors Docker would reject; fix them first: unknown instruction/, line: 2,
  },
  {
    name: 'already multi-stage',
    text: lines('FROM node:20 AS build', 'RUN npm ci', 'FROM node:20-slim', 'CMD ["node"]'),
    reason: /^already multi-stage$/,
  },
  {
    name: 'root requested as the runtime user',
    text: lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'CMD ["node", "index.js"]'),
    reason: /must not be root/,
  },
];

describe('rewriteMultiStage refuses what it cannot infer', () => {
  it.each(cases)('$name', ({name, text, reason, line}) => {
    const result = rewriteMultiStage('Dockerfile', text, name.startsWith('root requested') ? {user: 'root'} : {});
    if (result.ok) throw new Error(`expected a refusal, got:\n${result.text}`);
    expect(result.reason).toMatch(reason);
    expect(result.line).toBe(line);
  });
});
