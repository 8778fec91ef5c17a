import {describe, expect, it} from 'vitest';
import {cut, moreLine, tabStrip, wrapText} from '../../../source/app/components/window.js';

const names = ['falco/harden-drift-rules.yaml', '.github/workflows/harden-sign-images.yml', '.github/workflows/harden-sign-images-key.yml', 'signing/kyverno-verify-images.yaml', 'signing/kyverno-verify-images-key.yaml', 'signing/sigstore-verify-images.yaml', 'signing/sigstore-verify-images-key.yaml'];

/** The strip as it is drawn: ‹, the tabs two spaces apart, ›, n/total. */
const drawn = (strip: ReturnType<typeof tabStrip>) => `${strip.before ? '‹ ' : '  '}${strip.tabs.map(t => `${t.text}  `).join('')}${strip.after ? '›' : ' '}${strip.count}`;

describe('cut and wrapText', () => {
  it('cut marks every cut with an ellipsis and leaves short text alone', () => {
    expect(cut('abcdef', 4)).toBe('abc…');
    expect(cut('abc', 4)).toBe('abc');
  });

  it('wrapText keeps every word, indents continuation lines, and splits on newlines', () => {
    const text = 'only dist/, package*.json and node_modules are copied from /app: add any other file the app reads at run time';
    const lines = wrapText(text, 40, 4);
    expect(lines.every(l => l.length <= 40)).toBe(true);
    expect(lines.slice(1).every(l => l.startsWith('    '))).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(text);
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
  });
});

describe('moreLine', () => {
  it('says how many lines are below, or above at the end', () => {
    expect(moreLine({above: 0, below: 3})).toBe('↓ 3 more lines (PgDn)');
    expect(moreLine({above: 2, below: 1})).toBe('↓ 1 more line (PgDn)');
    expect(moreLine({above: 2, below: 0})).toBe('↑ 2 lines above (PgUp)');
    expect(moreLine({above: 0, below: 0})).toBeUndefined();
  });
});

describe('tabStrip', () => {
  it('shows the current tab, those that fit around it, ‹ › where more are hidden, and n/total', () => {
    for (let at = 0; at < names.length; at++) {
      const strip = tabStrip(names, at, 79);
      expect(strip.tabs.map(t => t.index)).toContain(at);
      expect(drawn(strip).length).toBeLessThanOrEqual(79);
      expect(strip.count).toBe(` ${at + 1}/7`);
      expect(strip.before).toBe(strip.tabs[0]!.index > 0);
      expect(strip.after).toBe(strip.tabs.at(-1)!.index < names.length - 1);
    }
  });

  it('shows every tab when they fit', () => {
    const strip = tabStrip(['Dockerfile', 'compose.yaml'], 1, 79);
    expect(drawn(strip)).toBe('  Dockerfile  compose.yaml    2/2');
  });

  it('cuts a name too long for the line alone with an ellipsis', () => {
    const strip = tabStrip(['x'.repeat(200)], 0, 40);
    expect(strip.tabs[0]!.text.endsWith('…')).toBe(true);
    expect(drawn(strip).length).toBeLessThanOrEqual(40);
  });
});
