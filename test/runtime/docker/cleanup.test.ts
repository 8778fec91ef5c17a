import {EventEmitter} from 'node:events';
import {describe, expect, it, vi} from 'vitest';
import {exitCleanup, type SignalTarget} from '../../../source/runtime/docker/cleanup.js';

function fakeProcess(): SignalTarget & {emitter: EventEmitter; kills: string[]} {
  const emitter = new EventEmitter();
  const kills: string[] = [];
  return {
    emitter,
    kills,
    pid: 4242,
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    kill: (pid, signal) => kills.push(`${pid} ${signal}`),
  };
}

const listeners = (proc: {emitter: EventEmitter}) =>
  ['SIGINT', 'SIGTERM', 'SIGHUP'].map(signal => proc.emitter.listenerCount(signal));

describe('exitCleanup', () => {
  it('installs the handlers with the first resource and removes them with the last', () => {
    const proc = fakeProcess();
    const onExitRemove = exitCleanup(proc);
    expect(listeners(proc)).toEqual([0, 0, 0]);
    const forgetA = onExitRemove({remove: async () => {}});
    const forgetB = onExitRemove({remove: async () => {}});
    expect(listeners(proc)).toEqual([1, 1, 1]);
    forgetA();
    expect(listeners(proc)).toEqual([1, 1, 1]);
    forgetB();
    forgetB();
    expect(listeners(proc)).toEqual([0, 0, 0]);
  });

  it('on a signal removes every registered resource, then raises the signal again without its handlers', async () => {
    const proc = fakeProcess();
    const onExitRemove = exitCleanup(proc);
    const removed: string[] = [];
    onExitRemove({remove: async () => void removed.push('a')});
    onExitRemove({remove: async () => Promise.reject(new Error('already gone'))});
    onExitRemove({remove: async () => void removed.push('c')});
    proc.emitter.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(proc.kills).toEqual(['4242 SIGTERM']));
    expect(removed.sort()).toEqual(['a', 'c']);
    expect(listeners(proc)).toEqual([0, 0, 0]);
  });

  it('a second signal while removing stops waiting', () => {
    const proc = fakeProcess();
    const onExitRemove = exitCleanup(proc);
    onExitRemove({remove: () => new Promise(() => {})});
    proc.emitter.emit('SIGINT', 'SIGINT');
    expect(proc.kills).toEqual([]);
    proc.emitter.emit('SIGINT', 'SIGINT');
    expect(proc.kills).toEqual(['4242 SIGINT']);
    expect(listeners(proc)).toEqual([0, 0, 0]);
  });

  it('removes newest first, and what the work in progress registers during the clean-up too', async () => {
    const proc = fakeProcess();
    const onExitRemove = exitCleanup(proc);
    const removed: string[] = [];
    // A build that ends during the clean-up, after which the interrupted flow starts a container.
    onExitRemove({
      remove: async () => {
        onExitRemove({remove: async () => void removed.push('container started late')});
        removed.push('build');
      },
    });
    onExitRemove({remove: async () => void removed.push('newer')});
    proc.emitter.emit('SIGINT', 'SIGINT');
    await vi.waitFor(() => expect(proc.kills).toEqual(['4242 SIGINT']));
    expect(removed).toEqual(['newer', 'build', 'container started late']);
  });

  it('waits as long as the most patient resource asks (a build runs to its end) before it raises the signal again', async () => {
    vi.useFakeTimers();
    try {
      const proc = fakeProcess();
      const onExitRemove = exitCleanup(proc);
      onExitRemove({remove: () => new Promise(() => {}), patienceMs: 60_000});
      proc.emitter.emit('SIGTERM', 'SIGTERM');
      await vi.advanceTimersByTimeAsync(30_000);
      expect(proc.kills).toEqual([]);
      await vi.advanceTimersByTimeAsync(30_001);
      expect(proc.kills).toEqual(['4242 SIGTERM']);
    } finally {
      vi.useRealTimers();
    }
  });
});
