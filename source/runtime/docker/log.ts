import createDebug from 'debug';

/** `DEBUG=harden:docker harden ...` shows every engine call; nothing here writes to stdout. */
export const log = createDebug('harden:docker');

/** Why something failed, in one line: the engine's own message without dockerode's HTTP prefix. */
export function reasonOf(error: unknown): string {
  const json = (error as {json?: {message?: unknown}} | undefined)?.json;
  if (json && typeof json.message === 'string') return json.message.trim();
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** The engine answered 404 (no such container, image or volume). */
export function isNotFound(error: unknown): boolean {
  return (error as {statusCode?: number} | undefined)?.statusCode === 404;
}

/** Runs `fn`, logging `doing X`, then `did X` or `failed to X: reason {id}`. */
export async function logged<T>(what: string, id: string, fn: () => Promise<T>): Promise<T> {
  log('doing %s {%s}', what, id);
  try {
    const result = await fn();
    log('did %s {%s}', what, id);
    return result;
  } catch (error) {
    log('failed to %s: %s {%s}', what, reasonOf(error), id);
    throw error;
  }
}
