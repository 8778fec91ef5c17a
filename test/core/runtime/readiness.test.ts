import {describe, expect, it} from 'vitest';
import {chooseProbe, defaultSettleMs, httpRequest, httpStatus} from '../../../source/core/runtime/readiness.js';

describe('chooseProbe', () => {
  it('uses the image HEALTHCHECK first', () => {
    const probe = chooseProbe({healthcheck: ['CMD-SHELL', 'curl -fsS http://localhost:3000/health || exit 1'], exposedPorts: ['3000/tcp']});
    expect(probe).toMatchObject({kind: 'healthcheck', test: ['CMD-SHELL', 'curl -fsS http://localhost:3000/health || exit 1']});
  });

  it('HEALTHCHECK NONE falls through to the exposed port', () => {
    expect(chooseProbe({healthcheck: ['NONE'], exposedPorts: ['80/tcp']})).toMatchObject({kind: 'http', path: '/', port: 80, readyBelow: 500});
  });

  it('an empty or blank HEALTHCHECK test is none', () => {
    expect(chooseProbe({healthcheck: [], exposedPorts: []}).kind).toBe('running');
    expect(chooseProbe({healthcheck: ['CMD-SHELL', ' '], exposedPorts: []}).kind).toBe('running');
  });

  it('nginx: GET / on port 80', () => {
    const probe = chooseProbe({exposedPorts: ['80/tcp']});
    expect(probe).toEqual({kind: 'http', path: '/', port: 80, readyBelow: 500, why: 'GET / on exposed port 80/tcp; any status below 500 counts'});
  });

  it('takes the lowest HTTP port, skipping TLS and UDP', () => {
    expect(chooseProbe({exposedPorts: ['8443/tcp', '443/tcp', '8080/tcp', '53/udp', '3000']})).toMatchObject({kind: 'http', port: 3000});
  });

  it('postgres and redis: a TCP connect, not HTTP', () => {
    expect(chooseProbe({exposedPorts: ['5432/tcp']})).toMatchObject({kind: 'tcp', port: 5432});
    expect(chooseProbe({exposedPorts: ['6379/tcp', '443/tcp']})).toMatchObject({kind: 'tcp', port: 443});
  });

  it('nothing exposed: still running after the settle time', () => {
    expect(chooseProbe({exposedPorts: []})).toMatchObject({kind: 'running', settleMs: defaultSettleMs});
    expect(chooseProbe({exposedPorts: ['53/udp', 'junk', '70000/tcp', '0/tcp']})).toMatchObject({kind: 'running'});
  });

  it('--probe with a URL is an HTTP probe on its path, asked of the container itself', () => {
    expect(chooseProbe({exposedPorts: ['80/tcp'], healthcheck: ['CMD', 'true']}, 'http://127.0.0.1:8080/healthz?deep=1')).toEqual({kind: 'http', path: '/healthz?deep=1', port: 8080, readyBelow: 500, why: 'asked with --probe http://127.0.0.1:8080/healthz?deep=1'});
    expect(chooseProbe({exposedPorts: []}, 'http://localhost')).toMatchObject({kind: 'http', path: '/', port: 80});
    expect(chooseProbe({exposedPorts: []}, 'http://db.internal:8080/x').why).toBe('asked with --probe http://db.internal:8080/x; db.internal is asked as 127.0.0.1, the container itself');
  });

  it('--probe https:// is a TCP probe (no TLS), and says so', () => {
    expect(chooseProbe({exposedPorts: []}, 'https://localhost/ready')).toEqual({kind: 'tcp', port: 443, why: 'asked with --probe https://localhost/ready; TLS is not checked, an accepted connection counts'});
  });

  it('--probe tcp://host:port is a TCP probe', () => {
    expect(chooseProbe({exposedPorts: []}, 'tcp://127.0.0.1:5432')).toMatchObject({kind: 'tcp', port: 5432});
    expect(chooseProbe({exposedPorts: []}, 'tcp://127.0.0.1').kind).toBe('command');
  });

  it('--probe with anything else is a command run inside', () => {
    expect(chooseProbe({exposedPorts: ['5432/tcp']}, 'pg_isready -U postgres')).toMatchObject({kind: 'command', shell: 'pg_isready -U postgres'});
    expect(chooseProbe({exposedPorts: []}, 'http//typo')).toMatchObject({kind: 'command', shell: 'http//typo'});
  });

  it('a blank --probe is no override', () => {
    expect(chooseProbe({exposedPorts: ['80/tcp']}, '  ')).toMatchObject({kind: 'http'});
  });
});

describe('httpRequest and httpStatus', () => {
  it('asks HTTP/1.0 of 127.0.0.1 and closes', () => {
    expect(httpRequest({path: '/health?x=1', port: 8080})).toBe('GET /health?x=1 HTTP/1.0\r\nHost: 127.0.0.1:8080\r\nUser-Agent: harden-wizard\r\nAccept: */*\r\nConnection: close\r\n\r\n');
  });

  it('never puts spaces, line breaks or control bytes of a path into the request line', () => {
    for (const path of ['/a b', '/a\r\nHost: evil', 'relative', '/\u00e9']) expect(httpRequest({path, port: 80}).split('\r\n')[0]).toBe('GET / HTTP/1.0');
  });

  it('reads the status of the first line only', () => {
    expect(httpStatus('HTTP/1.1 204 No Content\r\n\r\n')).toBe(204);
    expect(httpStatus('HTTP/1.0 500 oops')).toBe(500);
    expect(httpStatus('HTTP/2 301\r\n')).toBe(301);
    expect(httpStatus('SSH-2.0-OpenSSH\r\n')).toBeUndefined();
    expect(httpStatus('')).toBeUndefined();
    expect(httpStatus('junk HTTP/1.1 200 OK')).toBeUndefined();
  });
});
