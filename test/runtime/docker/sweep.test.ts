import {hostname} from 'node:os';
import {describe, expect, it} from 'vitest';
import {managedLabels, sessionId, sessionPid} from '../../../source/runtime/docker/labels.js';
import {isStale, processAlive} from '../../../source/runtime/docker/sweep.js';

const deadPid = 4_000_000;
const alive = (pid: number) => pid !== deadPid;
const dead = (kind: 'container' | 'volume' | 'image') => managedLabels(kind, {}, `${deadPid}-abc123`, 'this-host');

describe('managedLabels', () => {
  it('puts the managed, kind, session and host labels after the caller\'s, so they cannot be overwritten', () => {
    const labels = managedLabels('container', {'harden-wizard.session': 'forged', app: 'x'});
    expect(labels).toEqual({
      app: 'x',
      'harden-wizard.managed': 'true',
      'harden-wizard.kind': 'container',
      'harden-wizard.session': sessionId,
      'harden-wizard.host': hostname(),
    });
    expect(sessionId).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}$`));
  });
});

describe('sessionPid', () => {
  it.each([
    ['123-abcdef', 123],
    ['123', undefined],
    ['0-abc', undefined],
    ['-1-abc', undefined],
    ['abc-123', undefined],
    [undefined, undefined],
  ])('%s -> %s', (session, pid) => {
    expect(sessionPid(session)).toBe(pid);
  });
});

describe('isStale', () => {
  it('is true only for a managed object of the kind asked, from this host, whose session pid is dead', () => {
    expect(isStale('container', dead('container'), alive, 'this-host')).toBe(true);
    expect(isStale('volume', dead('volume'), alive, 'this-host')).toBe(true);
    expect(isStale('image', dead('image'), alive, 'this-host')).toBe(true);
  });

  it('leaves alone objects without the managed label, of live sessions, of other hosts, and malformed ones', () => {
    const {['harden-wizard.managed']: _managed, ...unmanaged} = dead('container');
    expect(isStale('container', unmanaged, alive, 'this-host')).toBe(false);
    expect(isStale('container', {...dead('container'), 'harden-wizard.managed': 'false'}, alive, 'this-host')).toBe(false);
    expect(isStale('container', undefined, alive, 'this-host')).toBe(false);
    expect(isStale('container', null, alive, 'this-host')).toBe(false);
    expect(isStale('container', managedLabels('container', {}, '77-abc', 'this-host'), alive, 'this-host')).toBe(false);
    expect(isStale('container', dead('container'), alive, 'other-host')).toBe(false);
    expect(isStale('container', {...dead('container'), 'harden-wizard.session': 'garbage'}, alive, 'this-host')).toBe(false);
    expect(isStale('container', managedLabels('container'), () => false)).toBe(false); // never our own session
  });

  it('leaves alone a container that only inherited the labels of an image the tool built', () => {
    expect(isStale('container', dead('image'), alive, 'this-host')).toBe(false);
  });
});

describe('processAlive', () => {
  it('knows this process and a pid that does not exist', () => {
    expect(processAlive(process.pid)).toBe(true);
    let pid = 4_000_000;
    while (processAlive(pid)) pid++;
    expect(processAlive(pid)).toBe(false);
  });
});
