import type {ParseArgsConfig} from 'node:util';

/*
 * Every command's flags, as node:util parseArgs takes them: the commands parse with these, and
 * test/cli/help.test.ts checks that each command's --help names every one of them.
 */

type Options = NonNullable<ParseArgsConfig['options']>;
/** Keeps each flag's literal type ('string', 'boolean') for parseArgs' typed values. */
const table = <T extends Options>(options: T): T => options;

export const auditOptions = table({
  format: {type: 'string', short: 'f', default: 'text'},
  output: {type: 'string', short: 'o'},
  'fail-on': {type: 'string', default: 'high'},
  'max-size': {type: 'string'},
  'no-color': {type: 'boolean', default: false},
  verbose: {type: 'boolean', default: false},
  containers: {type: 'boolean', default: false},
  all: {type: 'boolean', short: 'a', default: false},
  host: {type: 'boolean', default: false},
  'daemon-config': {type: 'string'},
  only: {type: 'string', multiple: true},
  skip: {type: 'string', multiple: true},
});

export const fixOptions = table({
  yes: {type: 'boolean', short: 'y', default: false},
  only: {type: 'string'},
  skip: {type: 'string', multiple: true},
  writable: {type: 'string', multiple: true, default: []},
  'not-writable': {type: 'string', multiple: true, default: []},
  user: {type: 'string'},
  'cap-drop': {type: 'boolean', default: false},
  'runtime-base': {type: 'string'},
  'no-run': {type: 'boolean', default: false},
  json: {type: 'boolean', default: false},
  'plan-out': {type: 'string'},
  plan: {type: 'string'},
  'max-size': {type: 'string'},
  'no-color': {type: 'boolean', default: false},
  discover: {type: 'boolean', default: false},
  containers: {type: 'boolean', default: false},
  'pin-digests': {type: 'boolean', default: false},
  digest: {type: 'string', multiple: true, default: []},
  falco: {type: 'boolean', default: false},
  signing: {type: 'string'},
  'daemon-json': {type: 'string'},
});

export const pathsOptions = table({
  duration: {type: 'string'},
  timeout: {type: 'string'},
  probe: {type: 'string'},
  pull: {type: 'boolean', default: false},
  json: {type: 'boolean', default: false},
  quiet: {type: 'boolean', short: 'q', default: false},
});

export const verifyOptions = table({
  writable: {type: 'string', multiple: true, default: []},
  settle: {type: 'string'},
  timeout: {type: 'string'},
  probe: {type: 'string'},
  jobs: {type: 'string'},
  'no-shadow': {type: 'boolean', default: false},
  pull: {type: 'boolean', default: false},
  json: {type: 'boolean', default: false},
  quiet: {type: 'boolean', short: 'q', default: false},
});

export const undoOptions = table({
  list: {type: 'boolean', default: false},
  force: {type: 'boolean', default: false},
});

/** `harden [DIR]` and `harden demo [DIR]`. */
export const wizardOptions = table({'daemon-config': {type: 'string'}, pull: {type: 'boolean', default: false}});

/** The flags of each command, by the name its help page has. */
export const commandOptions: Readonly<Record<string, Options>> = {
  audit: auditOptions,
  fix: fixOptions,
  paths: pathsOptions,
  verify: verifyOptions,
  undo: undoOptions,
  demo: wizardOptions,
};
