import {describe, expect, it} from 'vitest';
import {immutableOs, immutableOsFromName, parseOsRelease, parseOsReleaseFields} from '../../../source/core/host/os-release.js';
import {hostFixture} from './fixture.js';

describe('parseOsRelease', () => {
  it('reads a general-purpose distribution (Debian 12)', () => {
    expect(parseOsRelease(hostFixture('os-release/debian-12'))).toEqual({
      id: 'debian', idLike: [], name: 'Debian GNU/Linux', prettyName: 'Debian GNU/Linux 12 (bookworm)', versionId: '12',
    });
  });

  it('reads Flatcar, Bottlerocket and Fedora CoreOS', () => {
    expect(parseOsRelease(hostFixture('os-release/flatcar'))).toMatchObject({id: 'flatcar', idLike: ['coreos'], versionId: '3815.2.0', prettyName: 'Flatcar Container Linux by Kinvolk 3815.2.0 (Oklo)'});
    expect(parseOsRelease(hostFixture('os-release/bottlerocket'))).toMatchObject({id: 'bottlerocket', variantId: 'aws-k8s-1.29', name: 'Bottlerocket'});
    expect(parseOsRelease(hostFixture('os-release/fedora-coreos'))).toMatchObject({id: 'fedora', variantId: 'coreos', name: 'Fedora Linux'});
  });

  it('unquotes single and double quotes with escapes, skips comments and junk, and takes the last of a repeated key', () => {
    const fields = parseOsReleaseFields('# comment\nNAME="A \\"quoted\\" \\$name"\nID=\'single\'\nnot a line\nID=later\r\nEMPTY=\n');
    expect(fields.get('NAME')).toBe('A "quoted" $name');
    expect(fields.get('ID')).toBe('later');
    expect(fields.get('EMPTY')).toBe('');
    expect(fields.has('not a line')).toBe(false);
  });

  it('defaults ID to linux, as os-release(5) says, and lower-cases it', () => {
    expect(parseOsRelease('NAME=Something\n').id).toBe('linux');
    expect(parseOsRelease('\uFEFFID=Talos\nID_LIKE="RHEL  fedora"\n')).toMatchObject({id: 'talos', idLike: ['rhel', 'fedora']});
    expect(parseOsRelease('')).toEqual({id: 'linux', idLike: []});
  });
});

describe('immutableOs', () => {
  const os = (text: string) => parseOsRelease(text);

  it.each([
    ['os-release/flatcar', 'Flatcar Container Linux'],
    ['os-release/bottlerocket', 'Bottlerocket'],
    ['os-release/fedora-coreos', 'Fedora CoreOS'],
  ])('recognises %s as %s', (file, name) => {
    expect(immutableOs(parseOsRelease(hostFixture(file)))?.name).toBe(name);
  });

  it.each([
    ['ID=talos', 'Talos Linux'],
    ['ID="opensuse-microos"\nID_LIKE="suse opensuse opensuse-tumbleweed microos sl-micro"', 'openSUSE MicroOS'],
    ['ID=sl-micro', 'SUSE Linux Micro'],
    ['ID=ubuntu-core', 'Ubuntu Core'],
    ['ID=rhcos\nID_LIKE="rhel fedora"', 'Red Hat Enterprise Linux CoreOS'],
    ['ID=fedora\nVARIANT_ID=iot', 'Fedora IoT'],
    ['ID=fedora\nVARIANT_ID=silverblue', 'Fedora Silverblue'],
    ['ID=fedora\nVARIANT_ID=sway-atomic', 'Fedora sway Atomic'],
    ['ID=cos', 'Container-Optimized OS'],
  ])('recognises %j', (text, name) => {
    expect(immutableOs(os(text))?.name).toBe(name);
  });

  it('does not count general-purpose distributions, Fedora Server or NixOS', () => {
    expect(immutableOs(parseOsRelease(hostFixture('os-release/debian-12')))).toBeUndefined();
    expect(immutableOs(os('ID=fedora\nVARIANT_ID=server'))).toBeUndefined();
    expect(immutableOs(os('ID=ubuntu\nID_LIKE=debian'))).toBeUndefined();
    // Its store is read-only, but / and /etc are writable and persist: see the comment on immutableOs.
    expect(immutableOs(os('ID=nixos\nNAME=NixOS'))).toBeUndefined();
    expect(immutableOs(undefined)).toBeUndefined();
  });

  it('recognises an OSTree deployment from the mount table when os-release does not say (RHEL for Edge)', () => {
    const edge = immutableOs(os('ID=rhel\nNAME="Red Hat Enterprise Linux"'), {root: '/ostree/deploy/rhel/deploy/0123abcd.0'});
    expect(edge?.name).toBe('Red Hat Enterprise Linux (an OSTree deployment)');
    expect(immutableOs(os('ID=rhel'), {root: '/'})).toBeUndefined();
  });

  it('recognises docker info OperatingSystem names, for an engine on another machine', () => {
    expect(immutableOsFromName('Flatcar Container Linux by Kinvolk 3815.2.0 (Oklo)')?.name).toBe('Flatcar Container Linux');
    expect(immutableOsFromName('Fedora CoreOS 39.20240210.3.0')?.name).toBe('Fedora CoreOS');
    expect(immutableOsFromName('Bottlerocket OS 1.19.2 (aws-k8s-1.29)')?.name).toBe('Bottlerocket');
    expect(immutableOsFromName('Talos (v1.7.0)')?.name).toBe('Talos Linux');
    expect(immutableOsFromName('Debian GNU/Linux 12 (bookworm)')).toBeUndefined();
    expect(immutableOsFromName('Docker Desktop')).toBeUndefined();
    expect(immutableOsFromName('')).toBeUndefined();
  });
});
