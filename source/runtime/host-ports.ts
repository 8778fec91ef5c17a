import {tcpPorts, type Probe} from '../core/runtime/readiness.js';
import type {RunSpec} from './ports.js';

/**
 * Host ports held by the containers this process runs on the host network. A probe over HTTP
 * or TCP runs the container with `network: host`, so two targets verified at once that both
 * listen on 8080 would collide: the second could not bind, or its probe would be answered by
 * the first. Each run takes the ports its image exposes (and its probe's) and waits while
 * another run holds any of them.
 */
export class HostPorts {
  private readonly held = new Map<number, Promise<void>>();

  /**
   * Resolves once every port in `ports` is this caller's, with the function that gives them back.
   * Ports are taken one by one in ascending order, so two callers wanting overlapping sets never
   * wait on each other in a circle.
   */
  async acquire(ports: Iterable<number>, signal?: AbortSignal): Promise<() => void> {
    const releases: Array<() => void> = [];
    const giveBack = () => {
      for (const give of releases) give();
    };
    for (const port of [...new Set(ports)].sort((a, b) => a - b)) {
      // Wait until no one holds it, then hold it: the check and the claim happen in one turn.
      while (this.held.has(port)) {
        try {
          await untilAborted(this.held.get(port)!, signal);
        } catch (error) {
          giveBack();
          throw error;
        }
      }
      let release!: () => void;
      const done = new Promise<void>(resolve => (release = resolve));
      this.held.set(port, done);
      releases.push(() => {
        if (this.held.get(port) === done) this.held.delete(port);
        release();
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      giveBack();
    };
  }

  /** Whether some run holds any of `ports` now, for a progress line before waiting. */
  busy(ports: Iterable<number>): number | undefined {
    for (const port of ports) if (this.held.has(port)) return port;
    return undefined;
  }
}

/** `promise`, or a rejection with the signal's reason once it aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, {once: true});
    promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The host ports a container on the host network may bind: what its image exposes, and what its probe asks. */
export function portsOf(exposedPorts: readonly string[], probe: Probe): number[] {
  const ports = tcpPorts(exposedPorts);
  if (probe.kind === 'http' || probe.kind === 'tcp') ports.push(probe.port);
  return ports;
}

/**
 * Takes the host ports of a run on the host network from `hostPorts` (waiting, with a progress
 * line, while another target holds one); a no-op for other runs or without `hostPorts`.
 */
export async function holdHostPorts(hostPorts: HostPorts | undefined, network: RunSpec['network'], ports: number[], onProgress: (line: string) => void, signal?: AbortSignal): Promise<() => void> {
  if (!hostPorts || network !== 'host') return () => undefined;
  const busy = hostPorts.busy(ports);
  if (busy !== undefined) onProgress(`waiting for host port ${busy}: another target runs on it`);
  return hostPorts.acquire(ports, signal);
}
