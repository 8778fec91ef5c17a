import {readFile} from 'node:fs/promises';
import {describe, expect, it} from 'vitest';
import {allRules} from '../../source/core/rules/index.js';
import {harden} from '../support/cli.js';

/*
 * Every rule the audit runs is documented in the README's rule table and named by
 * `harden audit --help`. unsigned-image-policy shipped without either; read from the rule
 * list, a rule added later fails here until it is written up.
 */

/** The rule ids in the first column of the README's rule table (`| rule | severity | ... |`). */
function readmeRuleIds(readme: string): string[] {
  const lines = readme.split('\n');
  const header = lines.findIndex(line => /^\| rule \| severity \|/.test(line));
  expect(header, 'the README has a rule table').toBeGreaterThanOrEqual(0);
  const ids: string[] = [];
  for (const line of lines.slice(header + 2)) {
    const row = /^\| `([^`]+)` \|/.exec(line);
    if (!row) break;
    ids.push(row[1]!);
  }
  return ids;
}

describe('the rule list and its documentation', () => {
  const ids = allRules.map(rule => rule.id);

  it('has a row for every rule in the README\'s rule table', async () => {
    const table = readmeRuleIds(await readFile('README.md', 'utf8'));
    expect(ids.filter(id => !table.includes(id))).toEqual([]);
    expect(table.filter(id => !ids.includes(id)), 'rows for rules that do not exist').toEqual([]);
  });

  it('names every rule in harden audit --help', async () => {
    const help = await harden(['audit', '--help'], process.cwd());
    expect(help.code).toBe(0);
    const named = (id: string) => new RegExp(`(^|[\\s,(])${id}(?![\\w-])`, 'm').test(help.stdout);
    expect(ids.filter(id => !named(id))).toEqual([]);
  });
});
