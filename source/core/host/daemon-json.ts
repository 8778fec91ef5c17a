import type {AuditError} from '../model/finding.js';
import type {Located, Parsed} from '../model/facts.js';
import type {DaemonArgs, DaemonConfig} from '../model/host.js';
import {parseJsonLocated} from './json-located.js';

/** Where dockerd reads its configuration unless told otherwise (rootful). */
export const defaultDaemonConfig = '/etc/docker/daemon.json';

/** The type dockerd's Config struct gives the keys the host rules read; another type stops dockerd at start-up. */
const expectedTypes: Record<string, 'boolean' | 'string'> = {
  'no-new-privileges': 'boolean',
  'live-restore': 'boolean',
  icc: 'boolean',
  'userns-remap': 'string',
  'data-root': 'string',
};

/**
 * daemon.json as facts, or located errors. dockerd decodes it with Go's encoding/json, so
 * this is strict JSON; a UTF-8 BOM is dropped (dockerd 23 and later accept one) and CRLF line
 * ends count as one line. An empty file is an error because dockerd stops on it ("EOF").
 */
export function parseDaemonJson(file: string, text: string): Parsed<DaemonConfig> {
  const body = text.replace(/^\uFEFF/, '');
  const invalid = (line: number, message: string): Parsed<DaemonConfig> => ({
    facts: {file, state: 'invalid', settings: new Map()},
    errors: [{file, line, message}],
  });
  if (body.trim() === '') return invalid(1, 'daemon.json is empty, and dockerd refuses to start with an empty file ("EOF"); write {} or remove the file');
  const parsed = parseJsonLocated(body);
  if (!parsed.ok) {
    const {line, column, message} = parsed.error;
    return invalid(line, `not valid JSON at column ${column}: ${message}; dockerd refuses to start with it`);
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(1, 'daemon.json must hold one JSON object ({"key": value, ...}); dockerd refuses to start with anything else');
  }
  const settings = new Map<string, Located<unknown>>();
  const errors: AuditError[] = [];
  for (const [key, setting] of Object.entries(value)) {
    const line = parsed.keyLines.get(key) ?? 1;
    settings.set(key, {value: setting, line});
    const expected = expectedTypes[key];
    if (expected && typeof setting !== expected) {
      errors.push({file, line, message: `"${key}" must be ${expected === 'boolean' ? 'true or false' : 'a string'}, not ${JSON.stringify(setting)}; dockerd refuses to start with it`});
    }
  }
  return {facts: {file, state: errors.length > 0 ? 'invalid' : 'found', settings}, errors};
}

/** A daemon.json that is not there: dockerd runs on its flags and defaults. */
export function missingDaemonJson(file: string): DaemonConfig {
  return {file, state: 'missing', settings: new Map()};
}

/** What decides which daemon.json the running daemon uses. */
export interface DaemonConfigContext {
  /** `--daemon-config FILE`, which wins. */
  flag?: string;
  /** The daemon's own command line, for its `--config-file`. */
  args?: DaemonArgs;
  /** Rootless daemons read `$XDG_CONFIG_HOME/docker/daemon.json`. */
  rootless: boolean;
  env: {XDG_CONFIG_HOME?: string; HOME?: string};
}

/** The daemon.json path: `--daemon-config`, dockerd's `--config-file`, the rootless one, or /etc/docker/daemon.json. */
export function daemonConfigPath(context: DaemonConfigContext): string {
  if (context.flag) return context.flag;
  if (context.args?.configFile) return context.args.configFile;
  if (context.rootless) {
    const base = context.env.XDG_CONFIG_HOME || (context.env.HOME ? `${context.env.HOME.replace(/\/+$/, '')}/.config` : undefined);
    if (base) return `${base}/docker/daemon.json`;
  }
  return defaultDaemonConfig;
}
