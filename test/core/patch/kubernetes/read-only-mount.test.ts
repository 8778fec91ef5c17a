import {describe, expect, it} from 'vitest';
import type {PlannedChange} from '../../../../source/core/model/plan.js';
import {patch, pod, ref} from './helpers.js';

const readOnly = (target: string): PlannedChange => ({kind: 'mount-read-only', target, rule: 'host-mount-writable', reason: 'test'});
const volumes = '  volumes:\n    - name: h\n      hostPath: {path: /opt/h}\n';

describe('patchKubernetes: a host mount the app only reads becomes readOnly', () => {
  it('adds readOnly: true to a block mount, in its indentation, and nothing else', () => {
    const text = pod('  - name: a\n    image: x\n    volumeMounts:\n      - name: h\n        mountPath: /etc/app.conf\n') + volumes;
    const result = patch(text, [ref('a', [readOnly('/etc/app.conf')])]);
    expect(result.text).toBe(text.replace('mountPath: /etc/app.conf\n', 'mountPath: /etc/app.conf\n        readOnly: true\n'));
    expect(result.skipped).toEqual([]);
  });

  it('turns readOnly: false to true in place, matching the path as the kubelet does (trailing slash)', () => {
    const text = pod('  - name: a\n    image: x\n    volumeMounts:\n      - {name: h, mountPath: /docker-entrypoint-initdb.d/, readOnly: false}\n') + volumes;
    expect(patch(text, [ref('a', [readOnly('/docker-entrypoint-initdb.d')])]).text).toBe(text.replace('readOnly: false', 'readOnly: true'));
  });

  it('changes nothing when the mount is read-only already', () => {
    const text = pod('  - name: a\n    image: x\n    volumeMounts:\n      - name: h\n        mountPath: /etc/app.conf\n        readOnly: true\n') + volumes;
    expect(patch(text, [ref('a', [readOnly('/etc/app.conf')])]).text).toBe(text);
  });

  it('leaves a volume that is not the host\'s: an emptyDir the app writes stays writable', () => {
    const text = pod('  - name: a\n    image: x\n    volumeMounts:\n      - {name: scratch, mountPath: /etc/app.conf}\n') + '  volumes:\n    - {name: scratch, emptyDir: {}}\n';
    const result = patch(text, [ref('a', [readOnly('/etc/app.conf')])]);
    expect(result.text).toBe(text);
    expect(result.skipped.map(s => s.reason)).toEqual(['the volume mounted at /etc/app.conf is not a hostPath volume of the pod; set readOnly: true by hand if the app only reads it']);
  });

  it('skips, saying why, a mount it cannot find or cannot tell apart, and one written through an anchor', () => {
    const none = pod('  - name: a\n    image: x\n') + volumes;
    expect(patch(none, [ref('a', [readOnly('/etc/app.conf')])]).skipped.map(s => s.reason)).toEqual(['the container has no volumeMounts at /etc/app.conf; set readOnly: true by hand']);
    const two = pod('  - name: a\n    image: x\n    volumeMounts:\n      - {name: h, mountPath: /etc/app.conf}\n      - {name: h, mountPath: /etc/app.conf/}\n') + volumes;
    const skipped = patch(two, [ref('a', [readOnly('/etc/app.conf')])]);
    expect(skipped.text).toBe(two);
    expect(skipped.skipped.map(s => s.reason)).toEqual(['the container has 2 volumeMounts at /etc/app.conf; set readOnly: true by hand']);
    const anchored = pod('  - name: a\n    image: x\n    volumeMounts:\n      - &m {name: h, mountPath: /etc/app.conf}\n') + volumes;
    const shared = patch(anchored, [ref('a', [readOnly('/etc/app.conf')])]);
    expect(shared.text).toBe(anchored);
    expect(shared.skipped[0]?.reason).toMatch(/anchor &m/);
  });
});
