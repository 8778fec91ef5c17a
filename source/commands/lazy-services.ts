import type {WizardServices} from '../app/services.js';

/**
 * The wizard's services, loaded on first use: the wizard draws its first frame while the
 * implementation (the core with yaml and the diff library, the engine client dockerode)
 * is still on disk, and loads it when the scan, always the first call, starts. Measured in
 * a pseudo-terminal: the first frame of `harden demo` came after 340 ms with the services
 * loaded before rendering, against 170 ms for a bundled Ink hello-world.
 *
 * Until the implementation is there, every method is an async call that waits for it; the
 * sync ones (`plan`, `runtimeBases`) are only called with a finished scan, so by then the
 * calls go straight through, with the implementation's own result and `this`.
 */
export function lazyServices(load: () => Promise<WizardServices>): WizardServices {
  let loaded: WizardServices | undefined;
  let loading: Promise<WizardServices> | undefined;
  const ready = () => {
    loading ??= load().then(services => (loaded = services));
    return loading;
  };
  return new Proxy({} as WizardServices, {
    get(_target, key) {
      if (loaded) {
        const value = (loaded as unknown as Record<PropertyKey, unknown>)[key];
        return typeof value === 'function' ? value.bind(loaded) : value;
      }
      if (typeof key !== 'string' || key === 'then') return undefined;
      return async (...args: unknown[]) => {
        const services = (await ready()) as unknown as Record<string, (...a: unknown[]) => unknown>;
        if (typeof services[key] !== 'function') throw new Error(`the wizard's services have no ${key}()`);
        return services[key]!(...args);
      };
    },
  });
}
