import {describe, expect, it} from 'vitest';
import {
  formatJson,
  formatMarkdown,
  formatReport,
  formats,
  formatSarif,
  formatText,
  isFormat,
} from '../../../source/core/report/index.js';
import {emptyReport, report, rules} from './fixture.js';

describe('formatReport', () => {
  it('dispatches to each formatter', () => {
    const options = {color: false, rules, cwdLabel: '.', informationUri: 'https://example.com/'};
    expect(formatReport(report, 'text', options)).toBe(formatText(report, {color: false, cwdLabel: '.', rules}));
    expect(formatReport(report, 'json', options)).toBe(formatJson(report));
    expect(formatReport(report, 'sarif', options)).toBe(formatSarif(report, rules, {informationUri: 'https://example.com/'}));
    expect(formatReport(report, 'markdown', options)).toBe(formatMarkdown(report, rules));
  });

  it('passes colour through to the text format only', () => {
    expect(formatReport(report, 'text', {color: true, rules})).toContain('\u001b[');
    for (const format of formats) {
      if (format !== 'text') expect(formatReport(report, format, {color: true, rules})).not.toContain('\u001b');
    }
  });

  it.each(formats)('formats an empty report as %s', format => {
    const text = formatReport(emptyReport, format, {color: false, rules});
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('undefined');
    if (format === 'json' || format === 'sarif') expect(() => JSON.parse(text)).not.toThrow();
  });

  it('recognises format names', () => {
    expect(formats.filter(isFormat)).toEqual(['text', 'json', 'sarif', 'markdown']);
    expect(isFormat('html')).toBe(false);
  });
});
