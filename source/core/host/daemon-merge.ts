import {eolOf} from '../patch/text-edit.js';

/**
 * The daemon.json settings `fix --daemon-json` adds: the two whose trade-off is small.
 * userns-remap (moves the data root, changes volume ownership) and icc stay in
 * templates/host/daemon.json for a person to choose.
 */
export const safeDaemonSettings: Readonly<Record<string, unknown>> = {
  'no-new-privileges': true,
  'live-restore': true,
};

export type DaemonMerge =
  | {ok: true; text: string; added: string[]; kept: string[]}
  | {ok: false; line: number; message: string};

/**
 * Adds the settings a daemon.json lacks, as text inserted before its closing brace, so
 * the person's keys, order and formatting stay as they are; a key already set (even to
 * another value) is the person's choice and is kept. `undefined` text: a new file.
 */
export function mergeDaemonJson(text: string | undefined, settings: Readonly<Record<string, unknown>> = safeDaemonSettings): DaemonMerge {
  if (text === undefined || text.trim() === '') {
    return {ok: true, text: JSON.stringify(settings, null, 2) + '\n', added: Object.keys(settings), kept: []};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : 1;
    return {ok: false, line, message: `daemon.json is not valid JSON (${(error as Error).message.split('\n')[0]}); fix it first, dockerd refuses it too`};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {ok: false, line: 1, message: 'daemon.json must be a JSON object ({...})'};
  }
  const existing = parsed as Record<string, unknown>;
  const added = Object.keys(settings).filter(key => !(key in existing));
  const kept = Object.keys(settings).filter(key => key in existing);
  if (added.length === 0) return {ok: true, text, added, kept};
  const close = text.lastIndexOf('}');
  const eol = eolOf(text);
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const body = text.slice(0, close).replace(/\s*$/, '');
  const empty = body.trimEnd().endsWith('{');
  const pairs = added.map(key => `${JSON.stringify(key)}: ${JSON.stringify(settings[key])}`);
  // An object written on one line stays on one line.
  if (!empty && !/[\r\n]/.test(text.slice(text.indexOf('{'), close))) {
    return {ok: true, text: `${body}, ${pairs.join(', ')}${text.slice(body.length)}`, added, kept};
  }
  const lines = pairs.map(pair => `${indent}${pair}`);
  const merged = `${body}${empty ? '' : ','}${eol}${lines.join(`,${eol}`)}${eol}${text.slice(close)}`;
  return {ok: true, text: merged, added, kept};
}
