import type {ImmutableOs, MountEntry, OsRelease} from '../model/host.js';

/*
 * os-release(5): `KEY=value` lines, `#` comments, values optionally in double or single
 * quotes, with `\"`, `\\`, `\$` and `` \` `` escapes inside double quotes. Anything else on
 * a line (a shell expansion, a stray word) is kept as text: the file is data, never run.
 */

/** Every `KEY=value` of an os-release file; later lines win. */
export function parseOsReleaseFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    fields.set(match[1]!, unquote(match[2]!));
  }
  return fields;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}

/** The fields the host checks use; `ID` defaults to `linux` as os-release(5) says. */
export function parseOsRelease(text: string): OsRelease {
  const fields = parseOsReleaseFields(text);
  const os: OsRelease = {
    id: (fields.get('ID') || 'linux').toLowerCase(),
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
  };
  const variantId = fields.get('VARIANT_ID');
  if (variantId) os.variantId = variantId.toLowerCase();
  const name = fields.get('NAME');
  if (name) os.name = name;
  const prettyName = fields.get('PRETTY_NAME');
  if (prettyName) os.prettyName = prettyName;
  const versionId = fields.get('VERSION_ID');
  if (versionId) os.versionId = versionId;
  return os;
}

const ostree = 'its /usr is a read-only OSTree deployment, updated as a whole image with rollback (rpm-ostree)';
const suse = 'its root filesystem is a read-only btrfs snapshot; transactional-update writes a new snapshot and boots into it';

/** By os-release `ID`. */
const byId: Record<string, ImmutableOs> = {
  flatcar: {name: 'Flatcar Container Linux', how: 'its /usr is a read-only, dm-verity-checked partition replaced as a whole on update (A/B), and configuration comes from Ignition at first boot'},
  coreos: {name: 'CoreOS Container Linux', how: 'its /usr is a read-only partition replaced as a whole on update (A/B)'},
  bottlerocket: {name: 'Bottlerocket', how: 'its root filesystem is read-only and dm-verity-checked, and settings go through its API (apiclient, user data), not files'},
  talos: {name: 'Talos Linux', how: 'it runs from a read-only SquashFS image with no shell or SSH, and is configured only through its API'},
  cos: {name: 'Container-Optimized OS', how: 'its root filesystem is read-only and dm-verity-checked, updated as a whole image'},
  rhcos: {name: 'Red Hat Enterprise Linux CoreOS', how: ostree},
  scos: {name: 'CentOS Stream CoreOS', how: ostree},
  'opensuse-microos': {name: 'openSUSE MicroOS', how: suse},
  'opensuse-leap-micro': {name: 'openSUSE Leap Micro', how: suse},
  'sle-micro': {name: 'SUSE Linux Enterprise Micro', how: suse},
  'sl-micro': {name: 'SUSE Linux Micro', how: suse},
  'ubuntu-core': {name: 'Ubuntu Core', how: 'its system is made of read-only, signed snaps updated transactionally with rollback'},
};

/** Fedora's image-based editions, by `VARIANT_ID` (the Atomic desktops end in `-atomic`). */
const fedoraVariants: Record<string, string> = {
  coreos: 'Fedora CoreOS',
  iot: 'Fedora IoT',
  silverblue: 'Fedora Silverblue',
  kinoite: 'Fedora Kinoite',
  sericea: 'Fedora Sericea',
  onyx: 'Fedora Onyx',
};

/**
 * The immutable OS this is, if it is one: by os-release, else by the mount table (an OSTree
 * deployment mounted at `/`, as on RHEL for Edge or any rpm-ostree system).
 *
 * NixOS is deliberately not listed: its store is read-only, but `/`, `/etc` and `/var` are an
 * ordinary writable filesystem that root can change and that survives a reboot, so what the
 * finding warns about (a persistent change under the containers) still holds.
 */
export function immutableOs(os: OsRelease | undefined, root?: Pick<MountEntry, 'root'>): ImmutableOs | undefined {
  if (os) {
    const known = byId[os.id];
    if (known) return known;
    if (os.id === 'fedora' && os.variantId) {
      const name = fedoraVariants[os.variantId] ?? (os.variantId.endsWith('-atomic') ? `Fedora ${os.variantId.replace(/-atomic$/, '')} Atomic` : undefined);
      if (name) return {name, how: ostree};
    }
  }
  if (root && /^\/ostree\/deploy\//.test(root.root)) {
    return {name: `${os?.name ?? 'This system'} (an OSTree deployment)`, how: ostree};
  }
  return undefined;
}

/** Names of immutable OSes as `docker info` OperatingSystem writes them: for an engine on another machine. */
const byOperatingSystem: Array<[RegExp, string]> = [
  [/^flatcar/i, 'flatcar'],
  [/^container linux by coreos/i, 'coreos'],
  [/^bottlerocket/i, 'bottlerocket'],
  [/^talos/i, 'talos'],
  [/^container-optimized os/i, 'cos'],
  [/^red hat enterprise linux coreos/i, 'rhcos'],
  [/^opensuse microos/i, 'opensuse-microos'],
  [/^opensuse leap micro/i, 'opensuse-leap-micro'],
  [/^suse linux (enterprise )?micro/i, 'sl-micro'],
  [/^ubuntu core/i, 'ubuntu-core'],
];

/** The immutable OS named by `docker info` OperatingSystem (`Flatcar Container Linux by Kinvolk 3815.2.0 (Oklo)`), if any. */
export function immutableOsFromName(operatingSystem: string): ImmutableOs | undefined {
  const text = operatingSystem.trim();
  if (/^fedora coreos/i.test(text)) return {name: 'Fedora CoreOS', how: ostree};
  const id = byOperatingSystem.find(([pattern]) => pattern.test(text))?.[1];
  return id ? byId[id] : undefined;
}
