/*
 * How verification decides that a hardened container works, not just that it started:
 * the image's own HEALTHCHECK when it has one, else a request to what it exposes, else
 * that it is still running after a settle time. Slim probes the same way (GET / on each
 * exposed port, RESEARCH.md); a read-only failure often shows only on the first request.
 */

/** How long a container must stay up before a `running` probe counts it as working. */
export const defaultSettleMs = 5_000;

/**
 * HTTP statuses below this count as ready: any answer, a 404 on `/` or a 401 included,
 * proves the server runs and serves; a 5xx is what an app that cannot write its cache
 * or session files typically answers.
 */
export const httpReadyBelow = 500;

/** What to wait for. */
export type Probe =
  | {
      kind: 'healthcheck';
      /** The image's `Config.Healthcheck.Test` (`["CMD-SHELL", "curl -f ..."]`); the engine runs it, so wait for State.Health.Status `healthy`. */
      test: string[];
      why: string;
    }
  | {
      kind: 'http';
      /** `GET` this path (with its query) on 127.0.0.1:`port` in the container's own network namespace, from a probe that joins it. */
      path: string;
      port: number;
      /** Ready when the status is below this ({@link httpReadyBelow}). */
      readyBelow: number;
      why: string;
    }
  | {
      kind: 'tcp';
      /** Ready when a connection to 127.0.0.1:port in the container's network namespace is accepted. */
      port: number;
      why: string;
    }
  | {
      kind: 'running';
      /** Ready when the container is still running this long after start. */
      settleMs: number;
      why: string;
    }
  | {
      kind: 'command';
      /** Run inside the container as `/bin/sh -c <shell>`; exit 0 means ready. */
      shell: string;
      why: string;
    };

/** What an image tells about readiness (see `imageConfigFacts` in discover/container.ts). */
export interface ProbeInput {
  /** `Config.Healthcheck.Test`; `["NONE"]` disables one a base image set. */
  healthcheck?: string[];
  /** `Config.ExposedPorts` keys: `80/tcp`, `53/udp`, `8080`. */
  exposedPorts: string[];
}

/**
 * Ports that do not speak plain HTTP: TLS, databases, brokers, mail. A GET there would
 * fail on a working server, so they get a TCP probe.
 */
const notHttp = new Set([
  21, 22, 25, 53, 110, 143, 389, 443, 465, 587, 636, 993, 995, 1433, 1521, 2181, 3306, 4222, 5432, 5671, 5672, 6379,
  6380, 8443, 9042, 9092, 9093, 11211, 26257, 27017, 27018, 27019,
]);

/** TCP ports of `80/tcp`-style keys, ascending; a key without a protocol is TCP, as Docker reads it. */
export function tcpPorts(exposed: readonly string[]): number[] {
  const ports = new Set<number>();
  for (const key of exposed) {
    const match = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(key.trim());
    if (!match || (match[2] !== undefined && match[2].toLowerCase() !== 'tcp')) continue;
    const port = Number(match[1]);
    if (port > 0 && port < 65536) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

/** Hosts a `--probe` URL may name: the probe always asks 127.0.0.1 inside the container's own network namespace. */
const loopback = new Set(['', '127.0.0.1', 'localhost', '[::1]', '0.0.0.0']);

/**
 * A `--probe` value: a URL (http, https, tcp) or a shell command. The container runs with no
 * network, so a URL can only name the container itself; another host is asked as 127.0.0.1,
 * and https is a TCP probe (the probe speaks no TLS).
 */
function fromOverride(override: string): Probe {
  const value = override.trim();
  const url = /^(https?|tcp):\/\//i.test(value) ? safeUrl(value) : undefined;
  if (url) {
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : 0;
    if (port > 0) {
      const host = loopback.has(url.hostname) ? '' : `; ${url.hostname} is asked as 127.0.0.1, the container itself`;
      if (url.protocol === 'http:') return {kind: 'http', path: `${url.pathname}${url.search}`, port, readyBelow: httpReadyBelow, why: `asked with --probe ${value}${host}`};
      const tls = url.protocol === 'https:' ? '; TLS is not checked, an accepted connection counts' : '';
      return {kind: 'tcp', port, why: `asked with --probe ${value}${host}${tls}`};
    }
  }
  return {kind: 'command', shell: value, why: `asked with --probe: the command must exit 0`};
}

/** The request the probe sends: HTTP/1.0 so the server closes the connection after answering. */
export function httpRequest(probe: {path: string; port: number}): string {
  const path = /^\/[\x21-\x7e]*$/.test(probe.path) ? probe.path : '/';
  return `GET ${path} HTTP/1.0\r\nHost: 127.0.0.1:${probe.port}\r\nUser-Agent: harden-wizard\r\nAccept: */*\r\nConnection: close\r\n\r\n`;
}

/** The status code of an HTTP answer's first line, or undefined when it is not HTTP. */
export function httpStatus(answer: string): number | undefined {
  const match = /^HTTP\/\d(?:\.\d)? (\d{3})\b/.exec(answer);
  return match ? Number(match[1]) : undefined;
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Chooses how to tell that a container is ready: `--probe` when given (a URL is an
 * HTTP or TCP probe, anything else a command run inside), else the image's HEALTHCHECK
 * unless it is NONE, else the lowest exposed TCP port (HTTP unless the port is known
 * not to speak it), else "still running after {@link defaultSettleMs}".
 */
export function chooseProbe(image: ProbeInput, override?: string): Probe {
  if (override !== undefined && override.trim() !== '') return fromOverride(override);
  const test = image.healthcheck ?? [];
  if (test.length > 0 && test[0]!.toUpperCase() !== 'NONE' && test.slice(1).some(t => t.trim() !== '')) {
    return {kind: 'healthcheck', test: [...test], why: 'the image\'s HEALTHCHECK'};
  }
  const ports = tcpPorts(image.exposedPorts);
  const http = ports.find(p => !notHttp.has(p));
  if (http !== undefined) {
    return {kind: 'http', path: '/', port: http, readyBelow: httpReadyBelow, why: `GET / on exposed port ${http}/tcp; any status below ${httpReadyBelow} counts`};
  }
  if (ports[0] !== undefined) return {kind: 'tcp', port: ports[0], why: `a connection to exposed port ${ports[0]}/tcp, which does not speak plain HTTP`};
  const none = test[0]?.toUpperCase() === 'NONE' ? 'HEALTHCHECK NONE and ' : '';
  return {kind: 'running', settleMs: defaultSettleMs, why: `${none}no exposed TCP port: still running ${defaultSettleMs / 1000} s after start`};
}
