import {describe, expect, it} from 'vitest';
import {daemonConfigPath, defaultDaemonConfig, parseDaemonJson} from '../../../source/core/host/daemon-json.js';
import {parseDaemonArgs} from '../../../source/core/host/dockerd-args.js';
import {parseJsonLocated} from '../../../source/core/host/json-located.js';
import {hostFixture} from './fixture.js';

const file = '/etc/docker/daemon.json';
const settingsOf = (text: string) => Object.fromEntries([...(parseDaemonJson(file, text).facts?.settings ?? new Map())].map(([key, s]) => [key, s]));

describe('parseDaemonJson', () => {
  it('reads a valid file with the line of each top-level key', () => {
    const parsed = parseDaemonJson(file, hostFixture('daemon/valid.json'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts?.state).toBe('found');
    expect(settingsOf(hostFixture('daemon/valid.json'))).toEqual({
      'no-new-privileges': {value: true, line: 2},
      'live-restore': {value: true, line: 3},
      'log-driver': {value: 'json-file', line: 4},
      'log-opts': {value: {'max-size': '10m', 'max-file': '3'}, line: 5},
    });
  });

  it('reports a malformed file as a located error, not a throw', () => {
    const parsed = parseDaemonJson(file, hostFixture('daemon/malformed.json'));
    expect(parsed.facts).toEqual({file, state: 'invalid', settings: new Map()});
    expect(parsed.errors).toEqual([{file, line: 5, message: 'not valid JSON at column 3: trailing comma before "}"; dockerd refuses to start with it'}]);
  });

  it('drops a UTF-8 BOM', () => {
    const parsed = parseDaemonJson(file, hostFixture('daemon/bom.json'));
    expect(parsed.errors).toEqual([]);
    expect(settingsOf(hostFixture('daemon/bom.json'))).toEqual({icc: {value: false, line: 2}, 'no-new-privileges': {value: true, line: 3}});
  });

  it('counts a CRLF as one line end', () => {
    expect(parseDaemonJson(file, hostFixture('daemon/crlf.json')).errors).toEqual([]);
    expect(settingsOf(hostFixture('daemon/crlf.json'))).toMatchObject({'live-restore': {value: false, line: 3}, 'no-new-privileges': {value: false, line: 4}});
    // An error after CRLF lines is on the right line too.
    expect(parseDaemonJson(file, '{\r\n"a": 1,\r\n"b" 2\r\n}').errors[0]).toMatchObject({line: 3, message: expect.stringContaining('column 5: expected ":" after the key')});
  });

  it('calls an empty file an error, since dockerd stops on it ("EOF")', () => {
    for (const text of [hostFixture('daemon/empty.json'), ' \n\t', '\uFEFF']) {
      const parsed = parseDaemonJson(file, text);
      expect(parsed.facts?.state).toBe('invalid');
      expect(parsed.errors).toEqual([{file, line: 1, message: expect.stringContaining('empty')}]);
    }
  });

  it('refuses anything but an object at the top', () => {
    expect(parseDaemonJson(file, '["no-new-privileges"]').errors[0]?.message).toMatch(/one JSON object/);
    expect(parseDaemonJson(file, 'null').errors).toHaveLength(1);
  });

  it('reports a wrongly typed setting at its line and keeps the others', () => {
    const parsed = parseDaemonJson(file, '{\n  "live-restore": true,\n  "no-new-privileges": "true"\n}');
    expect(parsed.facts?.state).toBe('invalid');
    expect(parsed.facts?.settings.get('live-restore')).toEqual({value: true, line: 2});
    expect(parsed.errors).toEqual([{file, line: 3, message: '"no-new-privileges" must be true or false, not "true"; dockerd refuses to start with it'}]);
    expect(parseDaemonJson(file, '{"userns-remap": 1}').errors[0]?.message).toMatch(/must be a string/);
  });

  it('takes the last of a repeated key, as Go does', () => {
    expect(settingsOf('{"icc": true,\n"icc": false}')).toEqual({icc: {value: false, line: 2}});
  });

  it('handles a huge file and deep nesting without throwing', () => {
    const huge = `{\n${Array.from({length: 20_000}, (_, i) => `  "label-${i}": "${'x'.repeat(40)}",`).join('\n')}\n  "no-new-privileges": true\n}`;
    const parsed = parseDaemonJson(file, huge);
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts?.settings.get('no-new-privileges')).toEqual({value: true, line: 20_002});
    const deep = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(parseDaemonJson(file, deep).errors[0]?.message).toMatch(/nested more than 512 levels/);
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const settings = parseDaemonJson(file, '{"__proto__": {"polluted": true}, "constructor": 1}').facts?.settings;
    expect(settings?.get('__proto__')?.value).toEqual({polluted: true});
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('parseJsonLocated', () => {
  it.each([
    ['{"a": 1,}', 1, 9, 'trailing comma before "}"'],
    ['[1, 2,]', 1, 7, 'trailing comma before "]"'],
    ['{\n  // comment\n}', 2, 3, 'expected a key in double quotes, found "/"'],
    ["{'a': 1}", 1, 2, 'expected a key in double quotes, found "\'"'],
    ['{"a": \'b\'}', 1, 7, 'strings take double quotes in JSON'],
    ['{"a": /* c */ 1}', 1, 7, 'JSON has no comments'],
    ['{"a": 01}', 1, 7, 'malformed number'],
    ['{"a": tru}', 1, 7, 'expected a value, found "t"'],
    ['{"a": "b\\x"}', 1, 9, 'invalid escape "\\x" in a string'],
    ['{"a": "line\nbreak"}', 1, 12, 'control character in a string (write it as \\n, \\t, ...)'],
    ['{"a": "open', 1, 7, 'unterminated string'],
    ['{"a": 1} {"b": 2}', 1, 10, 'unexpected "{" after the end of the value'],
    ['{"a": 1', 1, 8, 'expected "," or "}", found end of file'],
    ['{"a" 1}', 1, 6, 'expected ":" after the key, found "1"'],
  ])('locates the error in %j', (text, line, column, message) => {
    expect(parseJsonLocated(text)).toEqual({ok: false, error: {line, column, message}});
  });

  it('parses what JSON.parse parses, to the same value', () => {
    const text = '{"s": "a\\u00e9\\n\\"", "n": [-1.5e3, 0, 12], "t": true, "f": false, "z": null, "o": {"x": {}}, "e": []}';
    const parsed = parseJsonLocated(text);
    expect(parsed.ok && parsed.value).toEqual(JSON.parse(text));
  });

  it('counts a lone CR as a line end', () => {
    expect(parseJsonLocated('{\r"a": 1,\r"b" 2}')).toMatchObject({ok: false, error: {line: 3}});
  });
});

describe('daemonConfigPath', () => {
  const env = {HOME: '/home/dev'};

  it('prefers --daemon-config, then dockerd\'s --config-file, then the rootless path, then /etc/docker/daemon.json', () => {
    const args = parseDaemonArgs(['dockerd', '--config-file', '/srv/docker.json']);
    expect(daemonConfigPath({flag: '/tmp/d.json', args, rootless: true, env})).toBe('/tmp/d.json');
    expect(daemonConfigPath({args, rootless: true, env})).toBe('/srv/docker.json');
    expect(daemonConfigPath({rootless: true, env})).toBe('/home/dev/.config/docker/daemon.json');
    expect(daemonConfigPath({rootless: true, env: {XDG_CONFIG_HOME: '/cfg', HOME: '/home/dev'}})).toBe('/cfg/docker/daemon.json');
    expect(daemonConfigPath({rootless: false, env})).toBe(defaultDaemonConfig);
    expect(daemonConfigPath({rootless: true, env: {}})).toBe(defaultDaemonConfig);
  });
});
