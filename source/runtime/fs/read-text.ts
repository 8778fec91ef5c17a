import {readFile} from 'node:fs/promises';
import {decodeText} from '../../core/parse/text.js';

/**
 * A file's text decoded as the audit decodes it (BOM dropped, bytes that are not UTF-8 kept
 * as escapes), for the side of a diff that is on disk now; undefined when the file cannot be
 * read or is not text. `readFile(path, 'utf8')` would turn such bytes into U+FFFD, and the
 * diff would show their lines as changed when they are written back as they were.
 */
export async function readText(path: string): Promise<string | undefined> {
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) return undefined;
  const decoded = decodeText(bytes, Number.POSITIVE_INFINITY);
  return decoded.ok ? decoded.text : undefined;
}
