import {describe, expect, it} from 'vitest';
import {loadWizardUi} from '../../source/commands/load-wizard.js';

describe('loadWizardUi', () => {
  it('loads the wizard and puts fetch back as it was', async () => {
    const before = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    const ui = await loadWizardUi();
    expect(typeof ui.runWizard).toBe('function');
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toEqual(before);
    expect(typeof fetch).toBe('function');
  }, 60_000);
});
