import type {EngineSettings} from '../model/host.js';

/*
 * `GET /info` (`docker info --format '{{json .}}'`) mapped to what the host rules need.
 * Docker 20.10 and later report `SecurityOptions` as `name=seccomp,profile=default`,
 * `name=apparmor`, `name=selinux`, `name=userns`, `name=rootless`, `name=cgroupns`; the daemon
 * default `no-new-privileges` is not among them, which is why daemon.json and the command
 * line are read too. Every field is read defensively: a missing or mistyped one becomes its
 * neutral value. Anything that is not an object is not an engine's report.
 */

type Json = Record<string, unknown>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The settings, or an error message when `info` is not an object. */
export function engineSettings(info: unknown): EngineSettings | {error: string} {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) return {error: 'the engine\'s /info answer is not a JSON object'};
  const doc = info as Json;
  const securityOptions = Array.isArray(doc['SecurityOptions']) ? doc['SecurityOptions'].filter((o): o is string => typeof o === 'string') : [];
  const names = securityOptions.map(option => /(?:^|,)name=([^,]+)/.exec(option)?.[1] ?? option);
  const swarm = doc['Swarm'];
  return {
    serverVersion: text(doc['ServerVersion']),
    operatingSystem: text(doc['OperatingSystem']),
    dockerRootDir: text(doc['DockerRootDir']),
    liveRestore: doc['LiveRestoreEnabled'] === true,
    securityOptions,
    rootless: names.includes('rootless'),
    userns: names.includes('userns'),
    swarm: typeof swarm === 'object' && swarm !== null && (swarm as Json)['LocalNodeState'] === 'active',
    name: text(doc['Name']),
  };
}
