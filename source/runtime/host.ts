/**
 * Reads what `harden audit --host` judges: the engine's `GET /info`, the command line of the
 * dockerd serving it, daemon.json, os-release, the mount table and DOCKER_CONTENT_TRUST. Every
 * read goes through {@link HostIo}, so tests can give fixture files; the core makes facts.
 */
import {readdir, readFile} from 'node:fs/promises';
import {hostname} from 'node:os';
import createDebug from 'debug';
import {daemonConfigPath} from '../core/host/daemon-json.js';
import {engineSettings} from '../core/host/docker-info.js';
import type {DockerdProcess} from '../core/host/dockerd-args.js';
import {hostFacts, locateDaemon, type DaemonJsonInput, type HostInput} from '../core/host/facts.js';
import type {AuditError} from '../core/model/finding.js';
import type {DaemonArgs, HostFacts} from '../core/model/host.js';
import type {ContainerEngine} from './ports.js';

/** `DEBUG=harden:host harden audit --host` shows what was read and why files were skipped. */
const log = createDebug('harden:host');

/** daemon.json is a few hundred bytes; anything past this is not a config worth parsing. */
const maxConfigBytes = 1024 * 1024;

/** The file and process reads, replaceable in tests. */
export interface HostIo {
  /** The file's bytes, or undefined when it does not exist. Other failures throw. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** The dockerd processes this machine shows in /proc. */
  dockerdProcesses(): Promise<DockerdProcess[]>;
  hostname(): string;
}

async function readOrMissing(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** /proc/<pid>/comm is `dockerd` for the daemon, rootless (under rootlesskit) or not. */
async function dockerdProcesses(): Promise<DockerdProcess[]> {
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter(name => /^\d+$/.test(name));
  } catch {
    return []; // no /proc: not Linux
  }
  const found: DockerdProcess[] = [];
  for (const pid of entries) {
    try {
      if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() !== 'dockerd') continue;
      const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((word, i, all) => word !== '' || i < all.length - 1);
      const uid = /^Uid:\s+(\d+)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
      const process: DockerdProcess = {pid: Number(pid), argv};
      if (uid !== undefined) process.uid = Number(uid);
      // Only the daemon's own user may read its environment; a rootless daemon is that user.
      const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
      const runtimeDir = environ.split('\0').find(entry => entry.startsWith('XDG_RUNTIME_DIR='))?.slice('XDG_RUNTIME_DIR='.length);
      if (runtimeDir) process.runtimeDir = runtimeDir;
      found.push(process);
    } catch {
      // The process ended while being read.
    }
  }
  return found;
}

/** The real machine. */
export const nodeHostIo: HostIo = {read: readOrMissing, dockerdProcesses, hostname};

/** UTF-8 (a BOM kept for the parser to drop), or UTF-16 with a BOM, which dockerd 23+ also reads. */
function decode(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes);
}

async function readDaemonJson(io: HostIo, file: string): Promise<DaemonJsonInput> {
  try {
    const bytes = await io.read(file);
    if (bytes === undefined) return {file, missing: true};
    if (bytes.length > maxConfigBytes) return {file, error: `larger than ${maxConfigBytes / 1024 / 1024} MiB, so not read as a daemon configuration`};
    return {file, text: decode(bytes)};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied (run harden as root, or as the user the daemon runs as)' : (error as Error).message.split('\n')[0]!;
    return {file, error: `cannot read it: ${reason}`};
  }
}

/** os-release(5): /etc/os-release, else /usr/lib/os-release. */
async function readOsRelease(io: HostIo): Promise<string | undefined> {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const bytes = await io.read(path).catch(() => undefined);
    if (bytes !== undefined) return decode(bytes);
  }
  return undefined;
}

export interface ReadHostOptions {
  /** The engine, when one answered; without it the OS and mounts are still read. */
  engine?: ContainerEngine;
  /** `--daemon-config FILE`: the daemon.json to read, absolute. */
  daemonConfig?: string;
  env: Readonly<Record<string, string | undefined>>;
  io?: Partial<HostIo>;
}

/** Reads the host and makes facts of it; what could not be read becomes located errors. */
export async function readHost(options: ReadHostOptions): Promise<{facts: HostFacts; errors: AuditError[]}> {
  const io: HostIo = {...nodeHostIo, ...options.io};
  const errors: AuditError[] = [];
  const input: HostInput = {hostname: io.hostname()};
  let daemonArgs: DaemonArgs | undefined;
  let rootless = false;
  if (options.engine) {
    try {
      const {endpoint} = await options.engine.info();
      const info = await options.engine.systemInfo();
      input.engine = {endpoint, info};
      const settings = engineSettings(info);
      rootless = !('error' in settings) && settings.rootless;
      const located = locateDaemon(endpoint, endpoint.startsWith('unix://') ? await io.dockerdProcesses() : []);
      if ('elsewhere' in located) {
        input.elsewhere = located.elsewhere;
        log('did not read this machine\'s files: %s', located.elsewhere);
      } else {
        log('did find dockerd %d serving %s: %o', located.dockerd.pid, endpoint, located.dockerd.argv);
        daemonArgs = located.dockerd.args;
        rootless ||= located.dockerd.uid !== undefined && located.dockerd.uid !== 0;
      }
    } catch (error) {
      log('failed to read the engine\'s settings: %s', (error as Error).message);
      errors.push({file: 'docker', line: 0, message: `could not read the engine's settings: ${(error as Error).message.split('\n')[0]}`});
    }
  }
  if (daemonArgs) input.daemonArgs = daemonArgs;
  // On another machine the daemon.json here is not the engine's, unless the user named it.
  if (!input.elsewhere || options.daemonConfig) {
    const file = daemonConfigPath({rootless, env: {XDG_CONFIG_HOME: options.env['XDG_CONFIG_HOME'], HOME: options.env['HOME']}, ...(options.daemonConfig ? {flag: options.daemonConfig} : {}), ...(daemonArgs ? {args: daemonArgs} : {})});
    input.daemonJson = await readDaemonJson(io, file);
    log('did read %s: %s', file, 'text' in input.daemonJson ? 'found' : 'missing' in input.daemonJson ? 'missing' : input.daemonJson.error);
  }
  if (!input.elsewhere) {
    const osRelease = await readOsRelease(io);
    if (osRelease !== undefined) input.osRelease = osRelease;
    const mountinfo = await io.read('/proc/self/mountinfo').catch(() => undefined);
    if (mountinfo !== undefined) input.mountinfo = decode(mountinfo);
  }
  const trust = options.env['DOCKER_CONTENT_TRUST'];
  if (trust !== undefined) input.contentTrust = trust;
  const made = hostFacts(input);
  return {facts: made.facts, errors: [...errors, ...made.errors]};
}
