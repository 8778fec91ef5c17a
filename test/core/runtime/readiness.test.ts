import {describe, expect, it} from 'vitest';
import {chooseProbe, defaultSettleMs} from '../../../source/core/runtime/readiness.js';

describe('chooseProbe', () => {
  it('uses the image HEALTHCHECK first', () => {
    const probe = chooseProbe({healthcheck: ['CMD-SHELL', 'curl -fsS http://localhost:3000/health || exit 1'], exposedPorts: ['3000/tcp']});
    expect(probe).toMatchObject({kind: 'healthcheck', test: ['CMD-SHELL', 'curl -fsS http://localhost:3000/health || exit 1']});
  });

  it('HEALTHCHECK NONE falls through to the exposed port', () => {
    expect(chooseProbe({healthcheck: ['NONE'], exposedPorts: ['80/tcp']})).toMatchObject({kind: 'http', url: 'http://127.0.0.1:80/', port: 80, readyBelow: 500});
  });

  it('an empty or blank HEALTHCHECK test is none', () => {
    expect(chooseProbe({healthcheck: [], exposedPorts: []}).kind).toBe('running');
    expect(chooseProbe({healthcheck: ['CMD-SHELL', ' '], exposedPorts: []}).kind).toBe('running');
  });

  it('nginx: GET / on port 80', () => {
    const probe = chooseProbe({exposedPorts: ['80/tcp']});
    expect(probe).toEqual({kind: 'http', url: 'http://127.0.0.1:80/', port: 80, readyBelow: 500, why: 'GET / on exposed port 80/tcp; any status below 500 counts'});
  });

  it('takes the lowest HTTP port, skipping TLS and UDP', () => {
    expect(chooseProbe({exposedPorts: ['8443/tcp', '443/tcp', '8080/tcp', '53/udp', '3000']})).toMatchObject({kind: 'http', port: 3000});
  });

  it('postgres and redis: a TCP connect, not HTTP', () => {
    expect(chooseProbe({exposedPorts: ['5432/tcp']})).toMatchObject({kind: 'tcp', host: '127.0.0.1', port: 5432});
    expect(chooseProbe({exposedPorts: ['6379/tcp', '443/tcp']})).toMatchObject({kind: 'tcp', port: 443});
  });

  it('nothing exposed: still running after the settle time', () => {
    expect(chooseProbe({exposedPorts: []})).toMatchObject({kind: 'running', settleMs: defaultSettleMs});
    expect(chooseProbe({exposedPorts: ['53/udp', 'junk', '70000/tcp', '0/tcp']})).toMatchObject({kind: 'running'});
  });

  it('--probe with a URL is an HTTP probe on it', () => {
    expect(chooseProbe({exposedPorts: ['80/tcp'], healthcheck: ['CMD', 'true']}, 'http://127.0.0.1:8080/healthz')).toMatchObject({kind: 'http', url: 'http://127.0.0.1:8080/healthz', port: 8080});
    expect(chooseProbe({exposedPorts: []}, 'https://localhost/ready')).toMatchObject({kind: 'http', port: 443});
    expect(chooseProbe({exposedPorts: []}, 'http://localhost')).toMatchObject({kind: 'http', url: 'http://localhost/', port: 80});
  });

  it('--probe tcp://host:port is a TCP probe', () => {
    expect(chooseProbe({exposedPorts: []}, 'tcp://127.0.0.1:5432')).toMatchObject({kind: 'tcp', host: '127.0.0.1', port: 5432});
  });

  it('--probe with anything else is a command run inside', () => {
    expect(chooseProbe({exposedPorts: ['5432/tcp']}, 'pg_isready -U postgres')).toMatchObject({kind: 'command', shell: 'pg_isready -U postgres'});
    expect(chooseProbe({exposedPorts: []}, 'http//typo')).toMatchObject({kind: 'command', shell: 'http//typo'});
  });

  it('a blank --probe is no override', () => {
    expect(chooseProbe({exposedPorts: ['80/tcp']}, '  ')).toMatchObject({kind: 'http'});
  });
});
