import {describe, expect, it} from 'vitest';
import {stepDownCapabilities, testRunCapabilities} from '../../../source/core/runtime/privileges.js';

describe('testRunCapabilities', () => {
  const all = [...stepDownCapabilities];
  const cases: Array<[string | undefined, string[], {capDrop: string[]; capAdd: string[]}]> = [
    ['1000:1000', [], {capDrop: ['ALL'], capAdd: []}],
    ['node', [], {capDrop: ['ALL'], capAdd: []}],
    [undefined, [], {capDrop: ['ALL'], capAdd: all}],
    ['', [], {capDrop: ['ALL'], capAdd: all}],
    ['root', [], {capDrop: ['ALL'], capAdd: all}],
    ['0:0', [], {capDrop: ['ALL'], capAdd: all}],
    [undefined, ['ALL'], {capDrop: ['ALL'], capAdd: []}],
    [undefined, ['cap_chown', 'SETUID'], {capDrop: ['ALL'], capAdd: ['DAC_OVERRIDE', 'FOWNER', 'KILL', 'SETGID']}],
  ];
  for (const [user, drops, expected] of cases) {
    it(`${user ?? 'the image user'} with cap_drop ${JSON.stringify(drops)}`, () => expect(testRunCapabilities(user, drops)).toEqual(expected));
  }

  it('never grants what lets a root process reach past its container', () => {
    for (const cap of ['NET_RAW', 'NET_ADMIN', 'SYS_ADMIN', 'MKNOD', 'SYS_CHROOT', 'SETFCAP', 'SETPCAP', 'SYS_PTRACE', 'NET_BIND_SERVICE']) {
      expect(testRunCapabilities(undefined, []).capAdd).not.toContain(cap);
    }
  });

  it('gives a config that drops ALL what it adds back, of the step-down set and NET_BIND_SERVICE only', () => {
    expect(testRunCapabilities(undefined, ['ALL'], ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL', 'SETGID', 'SETUID'])).toEqual({capDrop: ['ALL'], capAdd: all});
    expect(testRunCapabilities('101', ['ALL'], ['net_bind_service'])).toEqual({capDrop: ['ALL'], capAdd: ['NET_BIND_SERVICE']});
    expect(testRunCapabilities(undefined, ['ALL'], ['SYS_ADMIN', 'CAP_NET_ADMIN', 'SETUID'])).toEqual({capDrop: ['ALL'], capAdd: ['SETUID']});
    // Without drop ALL a non-root process gets nothing, whatever the config adds.
    expect(testRunCapabilities('101', [], ['NET_BIND_SERVICE'])).toEqual({capDrop: ['ALL'], capAdd: []});
  });
});
