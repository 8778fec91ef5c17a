const general = `harden: move containerized apps to a read-only, minimal, non-root runtime
(OWASP Docker Top 10, D09: once deployed, a container must not change)

Usage
  harden [DIR]              the wizard: audit, choose, fix, verify, step by step,
                            then optional digests, signing, Falco rules, and the
                            host (--daemon-config FILE: the daemon.json it offers
                            to change, instead of the engine's own; --pull: pull
                            images the engine lacks to verify them)
  harden demo [DIR]         the wizard on a copy of the demo project (workshops)
  harden audit [PATH...]    find what keeps Dockerfiles, compose services and
                            Kubernetes containers from running immutable
  harden fix [PATH...]      show the fixes as diffs; --yes writes them (with a backup)
  harden undo               restore the files the last fix changed
  harden paths TARGET       run TARGET and list the paths it writes
  harden verify TARGET...   run each TARGET read-only and check it still works
  harden --version
  harden --help [COMMAND]

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or a file
that could not be read or parsed.
`;

const audit = `Usage: harden audit [PATH...] [options]

Audits Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*, Dockerfile-*,
Containerfile), compose files (compose.yaml, docker-compose*.yml, overrides)
and Kubernetes manifests (any YAML with apiVersion and kind) under each PATH
(default: .).
node_modules, .git and vendored trees are skipped; links are followed only
inside PATH.

Options
  --format, -f FORMAT text (default), json, sarif or markdown
  --output, -o FILE   write the report to FILE instead of standard output
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL:
                      high (default), medium, low, info or none (never)
  --max-size MIB      skip files larger than this many MiB (default 4)
  --no-color          plain text even on a terminal (NO_COLOR is honoured too)
  --verbose           text and Markdown by file, every finding with its whole
                      explanation (default: counts first, then each rule
                      explained once with the places it was found)
  --containers        also audit the engine's running containers (their
                      settings and the files they changed); with no PATH,
                      only the containers
  --all, -a           with --containers: stopped containers too
  --host              also audit the engine's host: daemon defaults
                      (no-new-privileges, userns, live-restore), data root
                      and root filesystem mounts, immutable OS, content trust
  --daemon-config FILE
                      with --host: the daemon.json to read (default: the
                      daemon's --config-file, else /etc/docker/daemon.json)
  --only RULE,...     report only these rules' findings (repeatable)
  --skip RULE,...     leave these rules' findings out (repeatable); the
                      counts and the exit code follow what is reported

Rules: read-only-rootfs, writable-path-unmounted, single-stage-build,
root-user, mutable-image-ref, privilege-escalation, privileged, docker-socket,
host-namespace, cap-add, cap-drop, seccomp, host-mount-writable, host-port,
service-account-token, unsigned-image-policy (Kubernetes manifests, once per
project); with --host:
daemon-no-new-privileges, daemon-userns, daemon-data-root,
host-rootfs-writable, daemon-live-restore, content-trust.
`;

const fix = `Usage: harden fix [PATH...] [options]

Plans the fixes for what "harden audit" finds and shows them as unified diffs.
Nothing is written without --yes; then every file is written atomically,
with a backup that "harden undo" restores byte for byte.

  compose services   read_only: true, tmpfs or named volumes for the paths
                     the app writes, no-new-privileges, cap_drop: [ALL],
                     user (with --user)
  Kubernetes         readOnlyRootFilesystem, allowPrivilegeEscalation: false,
                     runAsNonRoot, capabilities.drop: [ALL], seccompProfile
                     RuntimeDefault, emptyDir or PersistentVolumeClaim mounts
  Dockerfiles        single-stage builds rewritten to builder + slim runtime
                     stage with a non-root USER; USER added to multi-stage

Options
  --yes, -y              write the changes
  --only RULE,...        fix only these rules
  --skip RULE,...        fix every rule but these (repeatable)
  --writable [NAME:]PATH[=tmpfs|volume]
                         also keep PATH writable (repeatable); NAME: only in
                         that compose service or Kubernetes container
  --not-writable PATH    leave PATH read-only although evidence says the app
                         writes it (repeatable; verify tells if it still works)
  --user UID[:GID]       run services and pods that run as root as this user
                         (numbers, such as 10001:10001; UID 0 is refused)
  --cap-drop             drop all capabilities where harden would leave them
                         (node agents, privileged); the default elsewhere
  --discover             run each service once (needs Docker) and keep
                         writable the paths it really writes
  --pin-digests          pin FROM and image: references to the digest the
                         local engine knows (never an invented one)
  --digest REF=DIGEST    a digest to pin REF to (repeatable)
  --falco                write falco/harden-drift-rules.yaml: alerts on writes
                         outside the writable paths, new executables, chmod, mount
  --signing github|gitlab
                         write cosign signing jobs and Kyverno/sigstore policies
  --daemon-json FILE     add "no-new-privileges" and "live-restore" to the
                         Docker daemon's config (e.g. /etc/docker/daemon.json)
  --containers           write hardened/<name>.run.sh, .compose.yaml and
                         .container (Quadlet) for each running container,
                         read-only with the paths it wrote; never touches it
  --runtime-base IMAGE   runtime stage of a multi-stage rewrite
  --no-run               offer multi-stage rewrites without building and
                         running them first (by default each is proven on the
                         engine: same answer as the original, read-only too),
                         and without asking the engine which user a local
                         image runs as
  --json                 print the plan and the result as JSON
  --plan-out FILE        save the plan; --plan FILE replays a saved plan
  --max-size MIB         skip files larger than this many MiB (default 4)
  --no-color             plain text even on a terminal

Exit codes: 0 done (or shown), 2 usage error or a file left untouched
because it could not be parsed or patched.
`;

const demo = `Usage: harden demo [DIR] [options]

Copies the demo project (a Node app with a Dockerfile, a compose file and a
Kubernetes manifest, none of them hardened) into DIR and starts the wizard
there, with a lesson line on each step: for workshops and a first look.
DIR must be new or an empty directory (not a link); without it, a new
temporary directory is used. Without a terminal, the audit and the fix the
wizard would offer are printed instead.

Options
  --daemon-config FILE
                      the daemon.json the wizard's host step offers to change
                      (default: the engine's own)
  --pull              the Verify step pulls an image the engine does not
                      have (redis:7 for the demo); without it that service
                      is "not verified"
`;

const undo = `Usage: harden undo [--list] [--force]

Restores, byte for byte, the files the last "harden fix --yes" wrote in this
directory, removes the files it created, then the folders it created for
them if they are empty.

  --list     show what would be restored, change nothing
  --force    restore even files edited since the fix
`;

const target = `TARGET is a directory with a Dockerfile, a Dockerfile, compose.yaml:SERVICE,
manifest.yaml:CONTAINER, or an image. An image that is not on this machine is
pulled only with --pull; without it the target is "not verified" (exit 4).`;

const ready = `Ready means: the image's HEALTHCHECK passes (run inside), else GET / on the
first exposed HTTP port answers below 500, else a TCP connect to an exposed
port, else the container is still running. --probe URL|tcp://HOST:PORT|COMMAND
replaces that.`;

const paths = `Usage: harden paths TARGET [options]

Runs TARGET once, as it is (not read-only), waits until it is ready, lets it
work for --duration seconds, and lists the paths it wrote (from the engine's
filesystem diff), each with the mount harden suggests: tmpfs for scratch,
volume for data. A running container is read, never restarted.

${target} For paths, also a running container.

Options
  --duration S        seconds to let it run once ready (default 5)
  --timeout S         seconds to wait for it to be ready (default 60)
  --probe PROBE       how to tell it is ready (see below)
  --pull              pull an image the engine does not have
  --json              the result as JSON
  --quiet, -q         no progress lines

${ready}

Exit codes: 0 it ran, 2 usage error, 3 no container engine, 4 not run: its
image is not on this machine (pass --pull).

Everything it starts is labelled and removed when it ends, on Ctrl-C too.
`;

const verify = `Usage: harden verify TARGET... [options]

Builds TARGET as the files say now, runs it with a read-only root filesystem,
no-new-privileges, its writable mounts and its user, waits until it is ready,
lets it run --settle seconds, and checks the logs for read-only and permission
errors. When it fails, a second run finds the paths it needed and prints the
harden fix command that adds them.

${target}
A compose file or manifest without :NAME is every service or container in
it. Several targets run at once (--jobs), each with its own result; the exit
code is 1 when any fails, and --json prints an array.

Options
  --writable [NAME:]PATH[=tmpfs|volume]
                      also mount PATH writable (repeatable); NAME: only for
                      that service or container
  --settle S          seconds to keep it running once ready (default 5)
  --timeout S         seconds to wait for it to be ready (default 60)
  --probe PROBE       how to tell it is ready (see below)
  --no-shadow         on failure, do not run again to find the missing paths
  --pull              pull an image the engine does not have
  --jobs N            targets run at once (default 4)
  --json              the result as JSON
  --quiet, -q         no progress lines

${ready}

Exit codes: 0 it works hardened, 1 it does not (the checks say why), 2 usage
error, 3 no container engine, 4 nothing failed but a target was not verified:
its image is not on this machine (pass --pull).
`;

const pages: Record<string, string> = {audit, fix, undo, paths, verify, demo};

export function helpText(command?: string): string {
  return (command !== undefined && pages[command]) || general;
}
