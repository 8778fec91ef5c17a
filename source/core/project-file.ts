/*
 * Names of files inside a project, as plans and backup manifests carry them. Those come
 * from disk (a saved plan, `.harden/backups` of a cloned repository), so they are
 * untrusted: a name is accepted only when it cannot leave the directory it is relative to.
 */

/** The longest name accepted; Linux's PATH_MAX. */
const maxLength = 4096;

/**
 * Why `file` cannot name a file inside the project, or undefined when it can: a
 * `/`-separated relative path with no empty, `.` or `..` part, no backslash (a separator
 * on Windows) and no control character (a name is printed to a terminal).
 */
export function projectFileProblem(file: unknown): string | undefined {
  if (typeof file !== 'string' || file === '') return 'is not a file name';
  if (file.length > maxLength) return `is longer than ${maxLength} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(file)) return 'has a control character';
  if (file.includes('\\')) return 'has a backslash';
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file)) return 'is an absolute path';
  if (file.split('/').some(part => part === '' || part === '.' || part === '..')) return 'has an empty, "." or ".." part';
  return undefined;
}

/** The name as a person should read it: control characters shown as escapes, never sent to the terminal. */
export function printableName(file: string): string {
  return file.replace(/[\u0000-\u001f\u007f-\u009f]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
