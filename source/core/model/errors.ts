/**
 * A problem the user can fix (bad flag, missing file). Shown as one line plus a hint;
 * the CLI exits 2. Anything else that is thrown is a bug in harden-wizard.
 */
/**
 * The engine does not have an image a target runs, and nobody asked to pull it: the target is
 * not verified, which is neither a failure of the hardened config nor of the tool.
 */
export class ImageNotLocal extends Error {
  constructor(
    readonly image: string,
    /** Why, in one line: not on this machine, or the pull that was asked for failed. */
    readonly why: string,
  ) {
    super(why);
    this.name = 'ImageNotLocal';
  }
}

export class UserError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}
