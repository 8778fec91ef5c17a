import {describe, expect, it} from 'vitest';
import type {WizardServices} from '../../source/app/services.js';
import {lazyServices} from '../../source/commands/lazy-services.js';

describe('lazyServices', () => {
  it('loads nothing until the first call, then once; calls go to the implementation with its this', async () => {
    let loads = 0;
    const real = {
      prefix: 'scanned ',
      async scan(dir: string) {
        return `${this.prefix}${dir}`;
      },
      plan(scan: unknown) {
        return {planned: scan};
      },
    };
    const services = lazyServices(async () => {
      loads++;
      return real as unknown as WizardServices;
    });
    expect(loads).toBe(0);
    const first = services.scan('/p', () => undefined, new AbortController().signal);
    const second = services.scan('/q', () => undefined, new AbortController().signal);
    expect(await first).toBe('scanned /p');
    expect(await second).toBe('scanned /q');
    expect(loads).toBe(1);
    // Loaded: a sync method answers at once, and an absent optional one is absent.
    expect(services.plan('s' as never, {} as never)).toEqual({planned: 's'});
    expect(services.runtimeBases).toBeUndefined();
  });

  it('is not a thenable, so awaiting it does not load it', async () => {
    let loads = 0;
    const services = lazyServices(async () => {
      loads++;
      return {} as WizardServices;
    });
    expect(await Promise.resolve(services)).toBe(services);
    expect(loads).toBe(0);
  });

  it('rejects a call the implementation does not have, and a failed load, at the call', async () => {
    const services = lazyServices(async () => ({}) as WizardServices);
    await expect(services.apply({} as never)).rejects.toThrow("the wizard's services have no apply()");
    const broken = lazyServices(() => Promise.reject(new Error('cannot load')));
    await expect(broken.scan('/p', () => undefined, new AbortController().signal)).rejects.toThrow('cannot load');
  });
});
