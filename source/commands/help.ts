const general = `harden: move containerized apps to a read-only, minimal, non-root runtime
(OWASP Docker Top 10, D09: once deployed, a container must not change)

Usage
  harden audit [PATH...]    find what keeps Dockerfiles, compose services and
                            Kubernetes containers from running immutable
  harden --version
  harden --help [COMMAND]

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or a file
that could not be read or parsed.
`;

const audit = `Usage: harden audit [PATH...] [options]

Audits Dockerfiles (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile),
compose files (compose.yaml, docker-compose*.yml, overrides) and Kubernetes
manifests (any YAML with apiVersion and kind) under each PATH (default: .).
node_modules, .git and vendored trees are skipped; links are followed only
inside PATH.

Options
  --format FORMAT     text (default), json, sarif or markdown
  --output FILE       write the report to FILE instead of standard output
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL:
                      high (default), medium, low, info or none (never)
  --max-size MIB      skip files larger than this many MiB (default 4)
  --no-color          plain text even on a terminal (NO_COLOR is honoured too)

Rules: read-only-rootfs, writable-path-unmounted, single-stage-build,
root-user, mutable-image-ref, privilege-escalation, privileged.
`;

export function helpText(command?: string): string {
  return command === 'audit' ? audit : general;
}
