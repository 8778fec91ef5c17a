import {describe, expect, it} from 'vitest';
import {addUser, rewriteMultiStage} from '../../../../source/core/patch/dockerfile/index.js';

const lines = (...l: string[]) => l.join('\n') + '\n';
const node = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'CMD ["node", "index.js"]');

function ok<T extends {ok: boolean}>(result: T): Extract<T, {ok: true}> {
  if (!result.ok) throw new Error((result as unknown as {reason: string}).reason);
  return result as Extract<T, {ok: true}>;
}

describe('rewriteMultiStage options', () => {
  it('uses the runtime base it is given', () => {
    const result = ok(rewriteMultiStage('Dockerfile', node, {runtimeBase: 'node:20-alpine'}));
    expect(result.runtimeBase).toBe('node:20-alpine');
    expect(result.text).toContain('\nFROM node:20-alpine\n');
  });

  it('creates a named user the image lacks, the Alpine way on Alpine', () => {
    const result = ok(rewriteMultiStage('Dockerfile', node, {runtimeBase: 'node:20-alpine', user: 'web'}));
    expect(result.text).toContain('RUN addgroup -S -g 10001 web && adduser -S -D -u 10001 -G web -h /home/web -s /sbin/nologin web\n');
    expect(result.user).toBe('10001:10001');
  });

  it('takes a numeric user as it is, and says it has no passwd entry', () => {
    const result = ok(rewriteMultiStage('Dockerfile', node, {user: '4242:4242'}));
    expect(result.text).toContain('\nUSER 4242:4242\nCMD ["node", "index.js"]\n');
    expect(result.notes.join()).toMatch(/uid 4242 has no entry in node:20-slim's \/etc\/passwd/);
  });

  it('maps the image\'s own user name to its uid', () => {
    expect(ok(rewriteMultiStage('Dockerfile', node, {user: 'node'})).user).toBe('1000:1000');
  });

  it('refuses to create a user where there is no shell', () => {
    const go = lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /app .', 'CMD ["/app"]');
    const result = rewriteMultiStage('Dockerfile', go, {user: 'web'});
    expect(result).toMatchObject({ok: false, reason: expect.stringMatching(/no shell to create the user "web" with; pass a numeric uid/)});
  });

  it('writes a plain shell-form command in exec form for a shell-less runtime', () => {
    const go = lines('FROM golang:1.22', 'ENV CGO_ENABLED=0', 'WORKDIR /src', 'COPY . .', 'RUN go build -o /bin/app .', 'HEALTHCHECK --interval=5s CMD /bin/app health', 'CMD /bin/app serve --port 80');
    const result = ok(rewriteMultiStage('Dockerfile', go));
    expect(result.text).toContain('HEALTHCHECK --interval=5s CMD ["/bin/app", "health"]\n');
    expect(result.text).toContain('CMD ["/bin/app", "serve", "--port", "80"]\n');
    expect(result.notes.join()).toMatch(/no shell: shell-form commands are written in exec form/);
  });

  it('does not add a blank line when the file has no final line break', () => {
    const result = ok(rewriteMultiStage('Dockerfile', node.trimEnd()));
    expect(result.text).toContain('RUN npm ci\n\n# harden: keep only production dependencies');
  });
});

describe('addUser', () => {
  const multi = lines('FROM node:20 AS build', 'RUN npm ci', '', 'FROM node:20-slim', 'COPY --from=build /app /app', 'EXPOSE 80');

  it('appends USER at the end when there is no CMD', () => {
    const result = ok(addUser('Dockerfile', multi));
    expect(result.text).toBe(multi + '# harden: run as node:20-slim\'s own "node" user, by number so Kubernetes runAsNonRoot can check it\nUSER 1000:1000\n');
  });

  it('writes the user it is given, as the planner passes it', () => {
    const result = ok(addUser('Dockerfile', multi.trimEnd(), '10001:10001'));
    expect(result.text.endsWith('EXPOSE 80\n# harden: run as uid 10001:10001, not root\nUSER 10001:10001\n')).toBe(true);
  });

  it('keeps CRLF', () => {
    const crlf = multi.replace(/\n/g, '\r\n');
    const result = ok(addUser('Dockerfile', crlf));
    expect(result.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('knows a final stage that already runs as non-root, from USER or from the image', () => {
    expect(addUser('Dockerfile', multi + 'USER node\n')).toEqual({ok: false, reason: 'already multi-stage'});
    expect(addUser('Dockerfile', lines('FROM golang AS b', 'FROM gcr.io/distroless/static-debian12:nonroot', 'CMD ["/app"]'))).toEqual({ok: false, reason: 'already multi-stage'});
    expect(addUser('Dockerfile', lines('FROM node:20', 'USER 1000'))).toEqual({ok: false, reason: 'already non-root'});
  });

  it('numbers the user of scratch', () => {
    const result = ok(addUser('Dockerfile', lines('FROM golang:1.22 AS b', 'FROM scratch', 'COPY --from=b /app /app', 'ENTRYPOINT ["/app"]')));
    expect(result.text).toContain('USER 65532:65532\nENTRYPOINT ["/app"]\n');
  });
});

describe('reading commands', () => {
  it('does not split a shell-form HEALTHCHECK at a ; inside quotes', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', `HEALTHCHECK CMD node -e "require('http').get('http://127.0.0.1/'); process.exitCode = 0" || exit 1`, 'CMD ["node", "index.js"]');
    expect(ok(rewriteMultiStage('Dockerfile', text)).text).toContain('HEALTHCHECK CMD node -e');
  });

  it('knows the entrypoint script of the official node images', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', 'RUN npm ci', 'ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["node", "index.js"]');
    expect(ok(rewriteMultiStage('Dockerfile', text)).text).toContain('USER 1000:1000\nENTRYPOINT ["docker-entrypoint.sh"]\nCMD ["node", "index.js"]\n');
  });

  it('finds npm ci after a quoted && in the same RUN', () => {
    const text = lines('FROM node:20', 'WORKDIR /app', 'COPY . .', `RUN echo "a && b" && npm ci`, 'CMD ["node", "index.js"]');
    expect(ok(rewriteMultiStage('Dockerfile', text)).text).toContain('RUN npm prune --omit=dev\n');
  });
});
