import {describe, expect, it} from 'vitest';
import {managedLabels, ownerOf, sessionId, sessionPid} from '../../../source/runtime/docker/labels.js';
import {isStale} from '../../../source/runtime/docker/sweep.js';
import {selfIdentity, type Liveness, type ProcessIdentity} from '../../../source/runtime/process-identity.js';

const deadPid = 4_000_000;
const me: ProcessIdentity = {pid: 100, host: 'this-host', bootId: 'boot-1', pidNamespace: 'pid:[4026531836]', startTime: '5000'};
const liveness: Liveness = {self: me, exists: pid => pid !== deadPid, startTime: pid => (pid === deadPid ? undefined : me.startTime)};
const dead = (kind: 'container' | 'volume' | 'image', owner: Omit<ProcessIdentity, 'pid'> = me) => managedLabels(kind, {}, `${deadPid}-abc123`, owner);

describe('managedLabels', () => {
  it('puts the managed, kind, session, host and proof labels after the caller\'s, so they cannot be overwritten', () => {
    const labels = managedLabels('container', {'harden-wizard.session': 'forged', 'harden-wizard.pidns': 'forged', app: 'x'});
    const self = selfIdentity();
    expect(labels).toEqual({
      app: 'x',
      'harden-wizard.managed': 'true',
      'harden-wizard.kind': 'container',
      'harden-wizard.session': sessionId,
      'harden-wizard.host': self.host,
      ...(self.bootId ? {'harden-wizard.boot': self.bootId} : {}),
      ...(self.pidNamespace ? {'harden-wizard.pidns': self.pidNamespace} : {}),
      ...(self.startTime ? {'harden-wizard.start': self.startTime} : {}),
    });
    expect(sessionId).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}$`));
    expect(ownerOf(labels)).toEqual({...self});
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
  it('is true only for a managed object of the kind asked, made on this boot in this pid namespace by a process that is gone', () => {
    expect(isStale('container', dead('container'), liveness)).toBe(true);
    expect(isStale('volume', dead('volume'), liveness)).toBe(true);
    expect(isStale('image', dead('image'), liveness)).toBe(true);
  });

  it('leaves alone what it cannot prove dead: another pid namespace or boot, no proof labels, a live or malformed session', () => {
    expect(isStale('container', dead('container', {...me, pidNamespace: 'pid:[4026532999]'}), liveness)).toBe(false);
    expect(isStale('container', dead('container', {...me, bootId: 'boot-2'}), liveness)).toBe(false);
    expect(isStale('container', dead('container', {host: 'this-host'}), liveness)).toBe(false);
    const {['harden-wizard.managed']: _managed, ...unmanaged} = dead('container');
    expect(isStale('container', unmanaged, liveness)).toBe(false);
    expect(isStale('container', {...dead('container'), 'harden-wizard.managed': 'false'}, liveness)).toBe(false);
    expect(isStale('container', undefined, liveness)).toBe(false);
    expect(isStale('container', null, liveness)).toBe(false);
    expect(isStale('container', managedLabels('container', {}, '77-abc', me), liveness)).toBe(false);
    expect(isStale('container', {...dead('container'), 'harden-wizard.session': 'garbage'}, liveness)).toBe(false);
    expect(isStale('container', managedLabels('container', {}, `${me.pid}-abc`, me), liveness)).toBe(false); // never our own session
  });

  it('a pid reused by a later process is a dead session', () => {
    expect(isStale('container', managedLabels('container', {}, '77-abc', {...me, startTime: '2'}), liveness)).toBe(true);
  });

  it('leaves alone a container that only inherited the labels of an image the tool built', () => {
    expect(isStale('container', dead('image'), liveness)).toBe(false);
  });
});
