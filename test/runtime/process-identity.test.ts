import {describe, expect, it} from 'vitest';
import {provablyGone, selfIdentity, type Liveness, type ProcessIdentity} from '../../source/runtime/process-identity.js';

const me: ProcessIdentity = {pid: 100, host: 'box', bootId: 'boot-1', pidNamespace: 'pid:[4026531836]', startTime: '5000'};
const liveness = (alive: Record<number, string>): Liveness => ({self: me, exists: pid => pid in alive, startTime: pid => alive[pid]});

describe('provablyGone', () => {
  const cases: Array<[string, Partial<ProcessIdentity>, Record<number, string>, boolean]> = [
    ['same boot and namespace, pid gone', {...me, pid: 200, startTime: '6000'}, {}, true],
    ['same boot and namespace, pid alive with the same start', {...me, pid: 200, startTime: '6000'}, {200: '6000'}, false],
    ['same boot and namespace, pid reused by a later process', {...me, pid: 200, startTime: '6000'}, {200: '9000'}, true],
    ['pid alive, start time unknown on one side', {...me, pid: 200, startTime: undefined}, {200: '9000'}, false],
    ['another pid namespace (a container): cannot tell', {...me, pid: 200, pidNamespace: 'pid:[4026532000]'}, {}, false],
    ['another boot: cannot tell', {...me, pid: 200, bootId: 'boot-2'}, {}, false],
    ['no /proc on the other side: cannot tell', {pid: 200, host: 'box'}, {}, false],
    ['a malformed pid', {...me, pid: -1}, {}, false],
    ['our own pid from an earlier process of the same pid', {...me, startTime: '1'}, {}, true],
    ['ourselves', {...me}, {100: '5000'}, false],
  ];
  for (const [name, owner, alive, expected] of cases) {
    it(name, () => expect(provablyGone(owner, liveness(alive))).toBe(expected));
  }

  it('reads this process from /proc on Linux', () => {
    const self = selfIdentity();
    expect(self.pid).toBe(process.pid);
    if (process.platform === 'linux') {
      expect(self.bootId).toMatch(/^[0-9a-f-]{36}$/);
      expect(self.pidNamespace).toMatch(/^pid:\[\d+\]$/);
      expect(self.startTime).toMatch(/^\d+$/);
      expect(provablyGone(self)).toBe(false);
    }
  });
});
