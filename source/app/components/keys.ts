import type {Key} from 'ink';

/** A key with no flag set: what a plain printable character arrives as. */
const plainKey = (): Key => ({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
});

/** One character as Ink would have reported it had it arrived alone. */
function keyOf(char: string): {input: string; key: Key} {
  const key = plainKey();
  const code = char.codePointAt(0) ?? 0;
  if (char === '\r' || char === '\n') return {input: '', key: {...key, return: true}};
  if (char === '\t') return {input: '', key: {...key, tab: true}};
  // Ink calls the DEL byte (what Backspace sends) `delete`; screens treat both alike.
  if (char === '\u007F') return {input: '', key: {...key, delete: true}};
  if (char === '\b') return {input: '', key: {...key, backspace: true}};
  if (code < 0x20) return {input: String.fromCodePoint(code + 0x60), key: {...key, ctrl: true}};
  return {input: char, key: {...key, shift: /[A-Z]/.test(char)}};
}

/**
 * The keys in one input event. Ink hands keys typed faster than it reads them, or pasted,
 * to `useInput` as one string (`jj`), and a handler comparing `input === 'j'` ignores them
 * all; split, each character acts as its own key. Escape sequences come alone from Ink's
 * parser (an arrow, PgDn) and stay whole, as does a single key.
 */
export function splitKeys(input: string, key: Key): Array<{input: string; key: Key}> {
  const chars = [...input];
  const flagged = Object.entries(key).some(([name, on]) => on === true && name !== 'shift');
  if (chars.length <= 1 || input.includes('\u001B') || flagged) return [{input, key}];
  return chars.map(keyOf);
}

/** Wraps a `useInput` handler so that it sees every key of a batch, one at a time. */
export function eachKey(handler: (input: string, key: Key) => void): (input: string, key: Key) => void {
  return (input, key) => {
    for (const one of splitKeys(input, key)) handler(one.input, one.key);
  };
}
