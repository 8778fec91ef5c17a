/**
 * Imports the wizard's UI (Ink, React, the screens) with `fetch` hidden. Ink's layout engine,
 * yoga-layout, decodes its WebAssembly from a data: URL, through `fetch` when there is one:
 * that loads undici, Node's HTTP client, 25 to 35 ms before the first frame. Without `fetch`
 * it decodes the same bytes itself. Nothing else runs while the modules evaluate, and the
 * global is put back as soon as they have.
 */
export async function loadWizardUi(): Promise<typeof import('../app/run-wizard.js')> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (descriptor?.configurable) Object.defineProperty(globalThis, 'fetch', {configurable: true, writable: true, value: undefined});
  try {
    return await import('../app/run-wizard.js');
  } finally {
    if (descriptor?.configurable) Object.defineProperty(globalThis, 'fetch', descriptor);
  }
}
