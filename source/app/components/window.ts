/** First index of a window of `size` items over `count` that keeps `cursor` in view, centred where it can be. */
export function windowStart(cursor: number, count: number, size: number): number {
  if (count <= size) return 0;
  return Math.min(Math.max(0, cursor - Math.floor(size / 2)), count - size);
}

/** Keeps an index in [0, count). */
export function clamp(index: number, count: number): number {
  return Math.max(0, Math.min(index, count - 1));
}

/** Cuts a line to `width` columns with an ellipsis. */
export function cut(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}

/** Word-wraps a line to `width` columns; continuation lines get `indent` spaces. Words longer than a line are cut. */
export function wrapLine(text: string, width: number, indent = 4): string[] {
  if (text.length <= width) return [text];
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(' ');
  const lines: string[] = [];
  let line = lead;
  for (const word of words) {
    const room = line.trim() === '' ? line : line + ' ';
    if (room.length + word.length <= width || line.trim() === '') line = cut(room + word, width);
    else {
      lines.push(line);
      line = cut(' '.repeat(lead.length + indent) + word, width);
    }
  }
  lines.push(line);
  return lines;
}

/** Word-wraps a paragraph (or several, split on newlines) to `width` columns, continuation lines indented by `indent`. */
export function wrapText(text: string, width: number, indent = 0): string[] {
  return text.split('\n').flatMap(line => wrapLine(line, width, indent));
}

/** What a scrolled pane says below its lines: how many more there are, and the keys that show them. */
export function moreLine(hidden: {above: number; below: number}): string | undefined {
  if (hidden.below > 0) return `↓ ${hidden.below} more line${hidden.below === 1 ? '' : 's'} (PgDn)`;
  if (hidden.above > 0) return `↑ ${hidden.above} line${hidden.above === 1 ? '' : 's'} above (PgUp)`;
  return undefined;
}

/** One tab of a strip: its text and where it sits in the line. */
export interface Tab {
  index: number;
  text: string;
}

/**
 * The tabs that fit in `width` columns around the current one, with ‹ and › where more are
 * hidden and `n/total` at the end, so the current file is always shown. A name too long for
 * the line alone is cut with an ellipsis.
 */
export function tabStrip(names: readonly string[], at: number, width: number): {tabs: Tab[]; before: boolean; after: boolean; count: string} {
  const count = ` ${at + 1}/${names.length}`;
  const gap = 2;
  const room = width - count.length - 4;
  const size = (i: number) => names[i]!.length + gap;
  let from = at;
  let to = at + 1;
  let used = size(at);
  // Grow the window right, then left, while the next tab fits.
  for (let grew = true; grew; ) {
    grew = false;
    if (to < names.length && used + size(to) <= room) {
      used += size(to++);
      grew = true;
    }
    if (from > 0 && used + size(from - 1) <= room) {
      used += size(--from);
      grew = true;
    }
  }
  const tabs = names.slice(from, to).map((name, i) => ({index: from + i, text: from + i === at ? cut(name, Math.max(4, room - gap)) : name}));
  return {tabs, before: from > 0, after: to < names.length, count};
}
