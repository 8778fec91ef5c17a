import {describe, expect, it} from 'vitest';
import {mountFor, parseMountinfo} from '../../../source/core/host/mountinfo.js';
import {hostFixture} from './fixture.js';

describe('parseMountinfo', () => {
  it('reads a general-purpose host: / read-write, octal escapes decoded', () => {
    const entries = parseMountinfo(hostFixture('mountinfo/debian'));
    expect(entries).toHaveLength(12);
    expect(entries.find(e => e.mountPoint === '/')).toEqual({
      id: 27, device: '8:1', root: '/', mountPoint: '/', options: ['rw', 'relatime'], fsType: 'ext4', source: '/dev/sda1', superOptions: ['rw', 'errors=remount-ro'], readOnly: false,
    });
    expect(entries.find(e => e.id === 32)).toMatchObject({mountPoint: '/mnt/backup disk', options: ['rw', 'nosuid', 'nodev', 'relatime']});
  });

  it('reads Flatcar: /usr read-only on dm-verity, / writable', () => {
    const entries = parseMountinfo(hostFixture('mountinfo/flatcar'));
    expect(mountFor(entries, '/usr')).toMatchObject({source: '/dev/mapper/usr', readOnly: true});
    expect(mountFor(entries, '/')).toMatchObject({source: '/dev/sda9', readOnly: false});
  });

  it('reads Fedora CoreOS: an OSTree deployment at /', () => {
    const entries = parseMountinfo(hostFixture('mountinfo/fedora-coreos'));
    expect(mountFor(entries, '/')?.root).toMatch(/^\/ostree\/deploy\/fedora-coreos\/deploy\//);
    expect(mountFor(entries, '/usr')?.readOnly).toBe(true);
  });

  it('counts ro in the superblock options, and decodes \\011, \\012 and \\134', () => {
    const [entry] = parseMountinfo('40 1 8:2 / /data\\011tab\\012nl\\134bs rw,relatime - ext4 /dev/sdc1 ro\n');
    expect(entry).toMatchObject({mountPoint: '/data\ttab\nnl\\bs', readOnly: true});
  });

  it('takes any number of optional fields and a missing superblock option list', () => {
    const [entry] = parseMountinfo('41 1 0:50 / /x rw shared:1 master:2 propagate_from:3 - tmpfs tmpfs\n');
    expect(entry).toMatchObject({mountPoint: '/x', fsType: 'tmpfs', source: 'tmpfs', superOptions: []});
  });

  it('skips malformed lines and keeps the rest', () => {
    const entries = parseMountinfo('garbage\n\n1 2 3\nx 1 8:1 / / rw - ext4 /dev/sda1 rw\n27 1 8:1 / / rw - ext4 /dev/sda1 rw\n28 27 8:2 / /a rw no-dash-here ext4 /dev/sda2 rw\r\n');
    expect(entries.map(e => e.id)).toEqual([27]);
  });
});

describe('mountFor', () => {
  const entries = parseMountinfo([
    '1 0 8:1 / / rw - ext4 /dev/sda1 rw',
    '2 1 8:2 / /var rw - ext4 /dev/sda2 rw',
    '3 2 8:3 / /var/lib/docker rw,nodev,nosuid - xfs /dev/sdb1 rw',
    '4 2 8:4 / /var/lib/docker rw - xfs /dev/sdc1 rw',
    '5 1 8:5 / /var/lib/dockerx rw - ext4 /dev/sdd1 rw',
  ].join('\n'));

  it('finds the longest mount point above a path, on a path boundary', () => {
    expect(mountFor(entries, '/var/lib/docker/overlay2')?.id).toBe(4);
    expect(mountFor(entries, '/var/lib/containerd')?.id).toBe(2);
    expect(mountFor(entries, '/home/dev')?.id).toBe(1);
    expect(mountFor(entries, '/var/lib/dockerx/a')?.id).toBe(5);
  });

  it('takes the last of several mounts on one point (the one on top), and tolerates odd slashes', () => {
    expect(mountFor(entries, '/var/lib//docker/')?.source).toBe('/dev/sdc1');
  });

  it('is undefined for an empty table', () => {
    expect(mountFor([], '/')).toBeUndefined();
  });
});
