import {describe, expect, it} from 'vitest';
import {HostPorts, portsOf} from '../../source/runtime/host-ports.js';

const tick = () => new Promise(resolve => setTimeout(resolve, 5));

describe('HostPorts', () => {
  it('lets runs with different ports go together and makes one that shares a port wait', async () => {
    const ports = new HostPorts();
    const first = await ports.acquire([8080, 9090]);
    const other = await ports.acquire([3000]);
    let second: (() => void) | undefined;
    const waiting = ports.acquire([9090]).then(release => (second = release));
    await tick();
    expect(second).toBeUndefined();
    expect(ports.busy([3000, 9090])).toBe(3000);
    first();
    await waiting;
    expect(second).toBeTypeOf('function');
    expect(ports.busy([8080])).toBeUndefined();
    second!();
    other();
    first();
    expect(ports.busy([8080, 9090, 3000])).toBeUndefined();
  });

  it('never deadlocks on overlapping sets taken in opposite orders', async () => {
    const ports = new HostPorts();
    const runs = Array.from({length: 20}, async (_, i) => {
      const release = await ports.acquire(i % 2 ? [1, 2, 3] : [3, 2, 1]);
      await tick();
      release();
    });
    await Promise.all(runs);
    expect(ports.busy([1, 2, 3])).toBeUndefined();
  });

  it('stops waiting on abort and gives back what it had taken', async () => {
    const ports = new HostPorts();
    const holder = await ports.acquire([2]);
    const controller = new AbortController();
    const waiting = ports.acquire([1, 2], controller.signal);
    await tick();
    expect(ports.busy([1])).toBe(1);
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
    expect(ports.busy([1])).toBeUndefined();
    holder();
  });

  it('reads the ports of a run: exposed TCP ports and the probe port', () => {
    expect(portsOf(['80/tcp', '53/udp', '8080'], {kind: 'http', url: 'http://127.0.0.1:3000/', port: 3000, readyBelow: 500, why: ''}).sort((a, b) => a - b)).toEqual([80, 3000, 8080]);
    expect(portsOf([], {kind: 'running', settleMs: 1, why: ''})).toEqual([]);
  });
});
