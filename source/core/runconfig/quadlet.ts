import {baseOf, noNewPrivilegesWhy, noteLines, portSpec, preamble, readOnlyWhy, tmpfsSpec, volumeSpec, writableWhy} from './format.js';
import type {RunConfig} from './model.js';
import {printable, quadletRaw, quadletWord, shQuote, systemdText} from './quote.js';

/*
 * A Podman Quadlet `.container` unit (podman-systemd.unit(5)). Quadlet turns it into a
 * systemd service whose `ExecStart=` runs `podman run`, so each value passes two parsers:
 * Quadlet's own (systemd's syntax) and then systemd's, which replaces `%` specifiers and
 * `${VAR}` in `ExecStart=`. See quote.ts for how each kind of key is written.
 */

/** Why `ReadOnlyTmpfs=true`, for the comment above it. */
const readOnlyTmpfsWhy = [
  'ReadOnlyTmpfs=true (Podman\'s default, written out): Podman mounts empty tmpfs on /dev, /dev/shm, /run, /tmp',
  'and /var/tmp, as Docker keeps /dev and /dev/shm writable under --read-only. With false, /dev/shm would be',
  'read-only too, and apps that use shared memory (PostgreSQL, Chromium) fail. Nothing written there survives a',
  'restart or reaches the image. The Tmpfs= lines below replace Podman\'s default tmpfs at the same paths.',
];

/** `docker.io/library/nginx:1.27` for `nginx:1.27`: Podman asks which registry a short name means, and a service cannot answer. */
export function qualifiedImage(image: string): string {
  if (/^sha256:/.test(image) || /^[0-9a-f]{12,64}$/.test(image)) return image;
  const first = image.split('/')[0]!;
  if (image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) return image;
  return `docker.io/${image.includes('/') ? '' : 'library/'}${image}`;
}

/** File name of the unit: `<name>.container`; systemd names the service `<name>.service`. */
export function quadletFile(config: RunConfig): string {
  return `${baseOf(config)}.container`;
}

/** A comment line; a trailing `\` is written `\x5c`, so no parser can read it as a line continuation. */
function commentLine(text: string): string {
  return text === '' ? '#' : `# ${printable(text).replace(/\\+$/, tail => '\\x5c'.repeat(tail.length))}`;
}

/** Builds the `[Container]` lines; a value Quadlet cannot take whole becomes a comment saying so. */
class Lines {
  readonly lines: string[] = [];
  comment(...text: string[]): void {
    for (const line of text) this.lines.push(commentLine(line));
  }
  /** A key Quadlet reads whole (quadletRaw). */
  raw(key: string, value: string): void {
    const written = quadletRaw(value);
    if (written !== undefined) this.lines.push(`${key}=${written}`);
    else this.comment(`${key}= left out: ${JSON.stringify(value)} cannot be written as a Quadlet value (control character, surrounding space or quotes, trailing backslash)`);
  }
  /** A key Quadlet splits into words (quadletWord). */
  words(key: string, values: readonly string[]): void {
    this.lines.push(`${key}=${values.map(quadletWord).join(' ')}`);
  }
}

/**
 * A Podman Quadlet unit that runs the container hardened: `ReadOnly=true`,
 * `NoNewPrivileges=true`, a `Tmpfs=` or `Volume=` for each directory it writes, what the
 * user started it with, and `[Install] WantedBy=default.target`.
 */
export function quadletUnit(config: RunConfig): string {
  const file = quadletFile(config);
  const service = file.replace(/\.container$/, '.service');
  const c = new Lines();
  c.raw('Image', qualifiedImage(config.image));
  c.raw('ContainerName', config.name);
  c.comment(readOnlyWhy);
  c.lines.push('ReadOnly=true');
  c.comment(...readOnlyTmpfsWhy);
  c.lines.push('ReadOnlyTmpfs=true');
  c.comment(noNewPrivilegesWhy);
  c.lines.push('NoNewPrivileges=true');
  for (const mount of config.writable) {
    c.comment(writableWhy(mount));
    c.raw(mount.mount === 'tmpfs' ? 'Tmpfs' : 'Volume', mount.mount === 'tmpfs' ? tmpfsSpec(mount) : volumeSpec(mount.name, mount.path, false));
  }
  if (config.user !== undefined) {
    const colon = config.user.indexOf(':');
    c.raw('User', colon < 0 ? config.user : config.user.slice(0, colon));
    if (colon >= 0) c.raw('Group', config.user.slice(colon + 1));
  }
  if (config.workingDir !== undefined) c.raw('WorkingDir', config.workingDir);
  // Podman takes a JSON array for an entrypoint of more than one word; JSON escapes every control character.
  if (config.entrypoint !== undefined) c.raw('Entrypoint', JSON.stringify(config.entrypoint));
  if (config.command !== undefined && config.command.length > 0) {
    if (config.command.some(word => word === '' || word === ';')) c.comment('Exec= has an empty or ";" argument, which Quadlet drops or systemd reads as a command separator: check the command');
    c.words('Exec', config.command);
  }
  for (const env of config.env) c.words('Environment', [`${env.name}=${env.value}`]);
  for (const port of config.ports) c.raw('PublishPort', portSpec(port));
  for (const mount of config.mounts) {
    if (mount.kind === 'tmpfs') c.raw('Tmpfs', tmpfsSpec(mount));
    else c.raw('Volume', volumeSpec(mount.kind === 'bind' ? mount.source : mount.name, mount.target, mount.readOnly));
  }
  if (config.network !== undefined) c.raw('Network', config.network);
  for (const cap of config.capAdd) c.raw('AddCapability', cap.replace(/\s+/g, ''));
  for (const cap of config.capDrop) c.raw('DropCapability', cap.replace(/\s+/g, ''));
  for (const option of config.securityOpt) c.words('PodmanArgs', [`--security-opt=${option}`]);
  for (const label of config.labels) c.words('Label', [`${label.name}=${label.value}`]);

  const header = [
    ...preamble(config),
    `Install: copy it to ~/.config/containers/systemd/${file} (rootless) or /etc/containers/systemd/,`,
    `stop and remove the old container (docker stop ${shQuote(printable(config.name))}, docker rm ...), then:`,
    `  systemctl --user daemon-reload && systemctl --user start ${service}`,
    'Image= is fully qualified, as Podman recommends; for an image built locally with Podman, use localhost/<name>.',
    ...(noteLines(config).length > 0 ? ['', ...noteLines(config)] : []),
  ];
  const out = [...header.map(commentLine), '', '[Unit]', `Description=${systemdText(`Hardened container ${config.name}`)}`, '', '[Container]', ...c.lines];
  if (config.restart !== undefined) {
    out.push('', '[Service]');
    if (config.restart.maxRetries !== undefined) out.push(`# --restart on-failure:${config.restart.maxRetries}: systemd counts restarts with StartLimitBurst= instead`);
    out.push(`Restart=${config.restart.policy === 'on-failure' ? 'on-failure' : 'always'}`);
  }
  out.push('', '[Install]', 'WantedBy=default.target');
  return `${out.join('\n')}\n`;
}
