/**
 * Removes what a command started when the user presses Ctrl-C or the process is told to stop,
 * so an interrupted `harden verify` leaves no container behind (the next run's sweep() is only
 * the second line of defence).
 */
import {log, reasonOf} from './log.js';

/** Anything that can be removed: a RunningContainer, or a wrapper around a built image. */
export interface Removable {
  remove(): Promise<void>;
  /** How long removal may take after a signal (a build must end first); default {@link removalTimeoutMs}. */
  patienceMs?: number;
}

/** The parts of `process` the handlers use; tests pass a fake. */
export interface SignalTarget {
  readonly pid: number;
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
}

const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How long removal may take before the process goes anyway. */
const removalTimeoutMs = 10_000;

/**
 * Registers removal on signals for one process. Handlers are installed with the first
 * registration and taken off with the last one, so a process with nothing to clean up
 * keeps its default signal behaviour.
 */
export function exitCleanup(target: SignalTarget, onInterrupt: (signal: NodeJS.Signals) => void = () => undefined): (resource: Removable) => () => void {
  const resources = new Set<Removable>();
  let stopping = false;

  const detach = () => {
    for (const signal of signals) target.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      // A second Ctrl-C while removing: stop waiting.
      detach();
      target.kill(target.pid, signal);
      return;
    }
    stopping = true;
    onInterrupt(signal);
    log('doing cleanup after %s: %d to remove', signal, resources.size);
    // Newest first, one at a time: a container goes before the image it runs, which the
    // engine would refuse to remove while the container exists. What the work in progress
    // registers meanwhile (it may finish a build and start its container) is taken too.
    const patience = Math.max(removalTimeoutMs, ...[...resources].map(r => r.patienceMs ?? 0));
    const all = (async () => {
      for (let next = [...resources].at(-1); next !== undefined; next = [...resources].at(-1)) {
        resources.delete(next);
        await next.remove().catch(error => log('failed to clean up: %s', reasonOf(error)));
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>(resolve => {
      timer = setTimeout(resolve, patience);
    });
    void Promise.race([all, limit]).then(() => {
      clearTimeout(timer);
      resources.clear();
      log('did cleanup after %s', signal);
      detach();
      // Raised again without our handlers, so the process ends as the signal intends.
      target.kill(target.pid, signal);
    });
  }

  return resource => {
    if (resources.size === 0 && !stopping) for (const signal of signals) target.on(signal, onSignal);
    resources.add(resource);
    return () => {
      if (!resources.delete(resource) || resources.size > 0 || stopping) return;
      detach();
    };
  };
}

/**
 * Removes `resource` if the process gets SIGINT, SIGTERM or SIGHUP before the returned function
 * is called. Call that function once the resource has been removed normally:
 *
 * ```ts
 * const container = await engine.run(spec);
 * const forget = onExitRemove(container);
 * try { ... } finally { await container.remove(); forget(); }
 * ```
 */
export const onExitRemove: (resource: Removable) => () => void = exitCleanup(process, signal => {
  interrupted = true;
  if (!muteOnInterrupt) return;
  // The work in progress now fails as its containers go (404, 409 from the engine): none of
  // that is news to a person who pressed Ctrl-C, and no verdict made from it may be printed.
  process.stderr.write(`harden: ${signal === 'SIGINT' ? 'interrupted' : `stopped by ${signal}`}; removing the containers and images it started (a build first runs to its end; ${signal === 'SIGINT' ? 'Ctrl-C' : 'a second signal'} again leaves at once)\n`);
  const quiet = (() => true) as typeof process.stdout.write;
  process.stdout.write = quiet;
  process.stderr.write = quiet;
});

let muteOnInterrupt = true;
let interrupted = false;

/** True once this process got a signal and is removing what it started: no new container or build may start. */
export function isInterrupted(): boolean {
  return interrupted;
}

/** The wizard draws with Ink, which must still restore the terminal on its way out: it keeps its output. */
export function keepOutputOnInterrupt(): void {
  muteOnInterrupt = false;
}
