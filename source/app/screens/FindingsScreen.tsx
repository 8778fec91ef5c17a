import {Box, Text} from 'ink';
import {useState} from 'react';
import {ExplanationPanel, explanationLines, explanationRows} from '../components/ExplanationPanel.js';
import {usePaneScroll} from '../components/ScrollPane.js';
import type {Hint} from '../components/KeyHints.js';
import {labelOf, plural} from '../components/labels.js';
import {SeverityBadge} from '../components/SeverityBadge.js';
import {clamp, cut, windowStart} from '../components/window.js';
import {tradeOff} from '../../core/rules/host-access.js';
import {d09Why, fixOf, ruleOf} from '../wizard/d09.js';
import type {FindingsState} from '../wizard/state.js';
import {backHint, step, useScreenKeys, type ScreenProps} from './screen.js';

export function findingsHints(state: FindingsState): Hint[] {
  if (state.explain) return [{keys: 'esc/?', label: 'close'}, {keys: '↑↓/jk', label: 'next finding'}, {keys: 'PgUp/PgDn', label: 'scroll'}, {keys: 'enter', label: 'continue'}, {keys: 'q', label: 'quit'}];
  return [{keys: '↑↓/jk', label: 'move'}, {keys: '?', label: 'explain'}, {keys: 'enter', label: 'continue'}, backHint, {keys: 'q', label: 'quit'}];
}

/** Lines each finding takes in the list. */
const perFinding = 3;

/** Step 3: each finding of the chosen targets, a one-line D09 reason and its fix; `?` explains more. */
export function FindingsScreen(props: ScreenProps<FindingsState>) {
  const {state, dispatch, width, height} = props;
  const chosen = new Set(state.choices.selected);
  const findings = state.scan.analysis.report.findings.filter(f => chosen.has(f.target));
  const [cursor, setCursor] = useState(0);
  const at = clamp(cursor, findings.length);
  // The heading and the position line sit above the panel.
  const panelHeight = Math.max(4, height - 2);
  const explained = state.explain && findings[at] ? explanationLines(findings[at]!, width) : [];
  const pane = usePaneScroll(explained.length, explanationRows(panelHeight), `${at}`);

  useScreenKeys(props, (input, key) => {
    if (state.explain && pane.onKey(input, key)) return true;
    const move = step(input, key);
    if (move !== 0) setCursor(c => clamp(clamp(c, findings.length) + move, findings.length));
    else if (input === '?') dispatch({type: 'toggleExplain'});
    else if (key.return) dispatch({type: 'next'});
    else return false;
    return true;
  });

  const fixable = findings.filter(f => f.fixable).length;
  const heading = (
    <Text>
      {plural(findings.length, 'finding')} in {plural(chosen.size, 'target')}; harden fixes {fixable}, the rest need a person.
    </Text>
  );
  const current = findings[at];
  if (state.explain && current) {
    return (
      <Box flexDirection="column">
        {heading}
        <Text dimColor>
          {at + 1}/{findings.length} · {labelOf(state.scan, current.target)}
        </Text>
        <ExplanationPanel lines={explained} width={width} height={panelHeight} offset={pane.offset} />
      </Box>
    );
  }
  const count = Math.max(1, Math.floor((height - 2) / perFinding));
  // What harden leaves to a person says why first: a cut line would lose the trade-off at its end.
  const byHand = (message: string) => {
    const why = tradeOff(message);
    return why === undefined ? '(by hand) ' : `(by hand: ${why}) `;
  };
  const start = windowStart(at, findings.length, count);
  const text = width - 4;
  return (
    <Box flexDirection="column">
      {heading}
      {findings.length === 0 && <Text color="green">Nothing to fix: the chosen targets are hardened already.</Text>}
      <Box flexDirection="column" marginTop={1}>
        {findings.slice(start, start + count).map((finding, i) => {
          const index = start + i;
          const rule = ruleOf(finding.rule);
          return (
            <Box key={`${finding.target}|${finding.rule}|${finding.line}|${finding.path ?? ''}|${index}`} flexDirection="column">
              <Text wrap="truncate-end">
                <Text color="cyan">{index === at ? '› ' : '  '}</Text>
                <SeverityBadge severity={finding.severity} />
                <Text bold={index === at}>{rule?.title ?? finding.rule}</Text>
                {finding.path ? <Text> {finding.path}</Text> : null}
                <Text dimColor>
                  {' '}
                  {labelOf(state.scan, finding.target)}:{finding.line}
                </Text>
              </Text>
              <Text dimColor>    {cut(`why: ${d09Why(finding.rule)}`, text)}</Text>
              <Text>    {cut(`fix: ${finding.fixable ? '' : byHand(finding.message)}${fixOf(finding.message, rule?.fix ?? '')}`, text)}</Text>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
