import type {Subject} from '../model/facts.js';
import type {Finding, Severity} from '../model/finding.js';
import type {HostFacts} from '../model/host.js';
import {defaultDaemonConfig} from '../host/daemon-json.js';
import type {Rule} from './rule.js';

/*
 * What the host rules share. Host settings are changed by an administrator on the host
 * (daemon.json, fstab, the choice of OS), never by `harden fix`, so no host finding is
 * fixable. A finding about a daemon setting points at daemon.json, at the key's line when
 * the file sets it and at line 0 (the whole file) when the line has to be added.
 */

export type HostSubject = Extract<Subject, {kind: 'host'}>;

/** A finding on the host; by default on the host target (line 0). */
export function hostFinding(rule: Rule, subject: HostSubject, message: string, extra: {severity?: Severity; file?: string; line?: number} = {}): Finding {
  return {
    rule: rule.id,
    severity: extra.severity ?? rule.severity,
    target: subject.target.id,
    file: extra.file ?? subject.target.file,
    line: extra.line ?? 0,
    message,
    fixable: false,
  };
}

/** A daemon setting in force, from dockerd's command line or daemon.json (dockerd refuses both at once). */
export interface DaemonSetting {
  value: unknown;
  from: 'flag' | 'file';
  /** The key's line in daemon.json; 0 for a flag. */
  line: number;
}

export function daemonSetting(host: HostFacts, key: string): DaemonSetting | undefined {
  const flag = host.daemonArgs?.settings.get(key);
  if (flag !== undefined) return {value: flag, from: 'flag', line: 0};
  const file = host.daemonConfig?.settings.get(key);
  return file ? {value: file.value, from: 'file', line: file.line} : undefined;
}

/** The daemon.json that holds (or should hold) the daemon's settings. */
export function configFile(host: HostFacts): string {
  return host.daemonConfig?.file ?? (host.engine?.rootless ? '~/.config/docker/daemon.json' : defaultDaemonConfig);
}

/** `/etc/docker/daemon.json`, or `/etc/docker/daemon.json on the engine's host` when that is another machine. */
export function configPlace(host: HostFacts): string {
  return host.elsewhere && !host.daemonConfig ? `${configFile(host)} on the engine's host` : configFile(host);
}

/**
 * Where a finding on a setting points: its line in daemon.json, or the file (line 0) when the
 * line must be added; the host target when that file is on another machine (not readable here).
 */
export function settingLocation(host: HostFacts, setting: DaemonSetting | undefined): {file?: string; line: number} {
  if (host.elsewhere && !host.daemonConfig) return {line: 0};
  return {file: configFile(host), line: setting?.from === 'file' ? setting.line : 0};
}

/** ` (daemon.json could not be read or parsed; see the errors)` when that is so, else ``. */
export function unreadNote(host: HostFacts): string {
  const notes: string[] = [];
  if (host.daemonConfig?.state === 'invalid') notes.push(`${host.daemonConfig.file} could not be read or parsed, see the errors`);
  if (!host.daemonArgs && !host.elsewhere) notes.push('dockerd\'s command line could not be read, so flags set there are not seen');
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

/** How a setting that needs a restart is applied. */
export const restart = 'restart the daemon (systemctl restart docker; without live-restore that stops every container)';
