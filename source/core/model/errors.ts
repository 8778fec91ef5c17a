/**
 * A problem the user can fix (bad flag, missing file). Shown as one line plus a hint;
 * the CLI exits 2. Anything else that is thrown is a bug in harden-wizard.
 */
export class UserError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}
