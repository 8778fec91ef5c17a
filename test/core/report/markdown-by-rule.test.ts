import MarkdownIt from 'markdown-it';
import {describe, expect, it} from 'vitest';
import type {AuditReport, Finding, Target} from '../../../source/core/model/finding.js';
import {formatMarkdown} from '../../../source/core/report/markdown.js';
import {emptyReport, report, rules} from './fixture.js';

/*
 * The default Markdown: by rule, as the text. Rendered with markdown-it (CommonMark, as
 * GitHub's job summaries and comments are), so a file name cannot open a list, a heading,
 * a code block or HTML of its own.
 */

const md = new MarkdownIt({html: true});

/** The rendered HTML's text with entities decoded, for comparing with names. */
function decoded(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#32;/g, ' ').replace(/&amp;/g, '&');
}

function tokens(markdown: string) {
  return md.parse(markdown, {});
}

describe('formatMarkdown by rule', () => {
  it('prints the counts, then each rule once with its why, fix and places', () => {
    expect(formatMarkdown(report, rules)).toMatchInlineSnapshot(`
      "# Container immutability audit

      harden-wizard 1.2.3 audited 4 targets: 6 findings, 1 error.

      ## Summary

      | Severity | Findings |
      | :--- | ---: |
      | High | 2 |
      | Medium | 2 |
      | Low | 1 |
      | Info | 1 |
      | **Total** | **6** |

      ## Findings

      | Rule | High | Medium | Low | Info | Total |
      | :--- | ---: | ---: | ---: | ---: | ---: |
      | \`read-only-rootfs\` | 2 | - | - | - | 2 |
      | \`writable-path\` | - | 1 | - | - | 1 |
      | \`run-as-root\` | - | 1 | - | - | 1 |
      | \`latest-tag\` | - | - | 1 | - | 1 |
      | \`tmpfs-size\` | - | - | - | 1 | 1 |
      | **Total** | **2** | **2** | **1** | **1** | **6** |

      ### \`read-only-rootfs\`: Root filesystem is writable

      High, 2 findings (2 fixable by \`harden fix\`).

      **Why:** A writable root lets an attacker change binaries and configuration at run time (OWASP Docker Top 10 D09).

      **Fix:** Run with a read-only root filesystem and mount only the paths the app writes.

      - deploy/my app/compose.yaml:3 web
      - readOnlyRootFilesystem: false
        - k8s/api\\|v2.yaml:24 api

      ### \`writable-path\`: Path needs a writable mount

      Medium, 1 finding (1 fixable by \`harden fix\`).

      **Why:** With a read-only root, the app fails where it writes unless that path has its own mount.

      **Fix:** Add a tmpfs for scratch data or a volume for data that must survive a restart.

      - /var/cache/nginx: tmpfs (nginx writes its cache there)
        - deploy/my app/compose.yaml:3 web

      ### \`run-as-root\`: Runs as root

      Medium, 1 finding (1 fixable by \`harden fix\`).

      **Why:** Root in the container can write wherever a mount allows and makes an escape worse.

      **Fix:** Add \`USER 10001\` (a numeric id) after the last step that needs root.

      - USER root
        - Dockerfile:12

      ### \`latest-tag\`: Base image is not pinned

      Low, 1 finding.

      **Why:** A moving tag means the image you tested is not the one you run.

      **Fix:** Pin the tag and the digest: \`FROM node:20.11@sha256:...\`.

      - FROM node:latest
        - Dockerfile:1

      ### \`tmpfs-size\`: Scratch mount has no size limit

      Info, 1 finding.

      **Why:** An unbounded tmpfs or emptyDir lets one container fill the node memory or disk.

      **Fix:** Set a size (tmpfs) or sizeLimit (emptyDir).

      - The emptyDir at /tmp has no sizeLimit.
        - k8s/api\\|v2.yaml:30 api

      ## Errors

      | File | Line | Message |
      | :--- | ---: | :--- |
      | k8s/broken.yaml | 7 | Could not parse YAML: bad indentation of a mapping entry. |
      "
    `);
  });

  it('prints an empty report as the long layout does', () => {
    expect(formatMarkdown(emptyReport, rules)).toBe(formatMarkdown(emptyReport, rules, {verbose: true}));
  });

  it('folds the places of a rule with more than ten findings under <details>, every place still there', () => {
    const targets: Target[] = Array.from({length: 12}, (_, i) => ({id: `compose-service:app${i}/compose.yaml#web`, kind: 'compose-service', file: `app${i}/compose.yaml`, name: 'web', line: 3}));
    const findings: Finding[] = targets.map(t => ({...report.findings[0]!, target: t.id, file: t.file, line: 3}));
    const text = formatMarkdown({...report, targets, findings, errors: []}, rules);
    expect(text).toContain('<details><summary>Where: 12 findings</summary>\n\n- app0/compose.yaml:3 web\n');
    const html = md.render(text);
    for (const t of targets) expect(html).toContain(`<li>${t.file}:3 web</li>`);
    expect(text.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('names a rule it has no metadata for and lists its findings by message', () => {
    const text = formatMarkdown({...report, findings: [{...report.findings[0]!, rule: 'mystery'}]}, []);
    expect(text).toContain('### `mystery`\n\nHigh, 1 finding (1 fixable by `harden fix`).\n\nNo description available.\n\n- The root filesystem is writable');
    expect(text).toContain('\n  - deploy/my app/compose.yaml:3 web');
  });

  it('keeps hostile file and target names as text: no list, heading, code block or HTML of their own', () => {
    const hostile = ['- dash.yaml', '+ plus.yaml', '1. one.yaml', '12) paren.yaml', '      spaces.yaml', '# hash.yaml', '=== .yaml', 'a`b|c*d_e.yaml', '<script>x</script>.yaml', 'new\nline.yaml', '[link](http://x).yaml'];
    const targets: Target[] = hostile.map((file, i) => ({id: `compose-service:${file}#svc${i}`, kind: 'compose-service', file, name: i === 0 ? '<b>name</b>' : `svc${i}`, line: i + 1}));
    const findings: Finding[] = targets.map(t => ({...report.findings[0]!, target: t.id, file: t.file, line: t.line}));
    const text = formatMarkdown({...report, targets, findings, errors: []}, rules);
    const parsed = tokens(text);
    const types = parsed.map(t => t.type);
    expect(types).not.toContain('code_block');
    expect(types).not.toContain('fence');
    expect(types).not.toContain('html_inline');
    // Only our own HTML: <details>, <summary> and their closing tags.
    expect(parsed.filter(t => t.type === 'html_block').map(t => t.content.trim())).toEqual(['<details><summary>Where: 11 findings</summary>', '</details>']);
    // Headings: the title, Summary, Findings, and the one rule.
    expect(parsed.filter(t => t.type === 'heading_open').map(t => t.tag)).toEqual(['h1', 'h2', 'h2', 'h3']);
    // One list of one item per file, none nested.
    expect(types.filter(t => t === 'bullet_list_open' || t === 'ordered_list_open')).toEqual(['bullet_list_open']);
    expect(types.filter(t => t === 'list_item_open')).toHaveLength(hostile.length);
    expect(parsed.some(t => t.type === 'link_open')).toBe(false);
    const html = decoded(md.render(text));
    for (const [i, file] of hostile.entries()) {
      const shown = file.replace('\n', '<br>');
      expect(html, file).toContain(`${shown}:${i + 1} ${i === 0 ? '<b>name</b>' : `svc${i}`}`);
    }
  });

  it('escapes control bytes and bytes that were not UTF-8 as the text does', () => {
    const file = 'bad\u001b[31m\ufffd.yaml';
    const text = formatMarkdown({...report, targets: [{...report.targets[1]!, file, id: `compose-service:${file}#web`}], findings: [{...report.findings[0]!, file, target: `compose-service:${file}#web`}], errors: []}, rules);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('- bad\\\\x1b\\[31m');
  });
});

describe('formatMarkdown by rule on a huge report', () => {
  it('prints a rule found in 200,000 files without overflowing the stack, one bullet a file', () => {
    const count = 200_000;
    const targets: Target[] = Array.from({length: count}, (_, i) => ({id: `compose-service:a${i}/compose.yaml#web`, kind: 'compose-service', file: `a${i}/compose.yaml`, name: 'web', line: 2}));
    const findings: Finding[] = targets.map(t => ({...report.findings[0]!, target: t.id, file: t.file, line: 2}));
    const text = formatMarkdown({...report, targets, findings, errors: []}, rules);
    expect(text.match(/^- a\d+\/compose\.yaml:2 web$/gm)).toHaveLength(count);
  });
});

describe('formatMarkdown by rule, 40,000 details', () => {
  it('prints 40,000 paths of one file, each its own detail, in linear time (a copy per group took 47 s)', () => {
    const count = 40_000;
    const targets: Target[] = Array.from({length: count}, (_, i) => ({id: `compose-service:c.yaml#s${i}`, kind: 'compose-service', file: 'c.yaml', name: `s${i}`, line: i + 2}));
    const findings: Finding[] = targets.map((t, i) => ({...report.findings[1]!, target: t.id, file: t.file, line: t.line, detail: `/p${i}: tmpfs`}));
    const started = performance.now();
    const text = formatMarkdown({...report, targets, findings, errors: []}, rules);
    expect(text.match(/^ {2}- c\.yaml:\d+ s\d+$/gm)).toHaveLength(count);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
