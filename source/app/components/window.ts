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
