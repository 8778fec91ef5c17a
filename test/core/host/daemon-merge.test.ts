import {describe, expect, it} from 'vitest';
import {mergeDaemonJson} from '../../../source/core/host/daemon-merge.js';

describe('mergeDaemonJson', () => {
  it('writes a new file with the safe settings', () => {
    expect(mergeDaemonJson(undefined)).toEqual({ok: true, text: '{\n  "no-new-privileges": true,\n  "live-restore": true\n}\n', added: ['no-new-privileges', 'live-restore'], kept: []});
  });

  it('adds only what is missing, before the closing brace, keeping the rest byte for byte', () => {
    const text = '{\n    "log-driver": "journald",\n    "live-restore": false\n}\n';
    const merged = mergeDaemonJson(text);
    expect(merged).toEqual({ok: true, text: '{\n    "log-driver": "journald",\n    "live-restore": false,\n    "no-new-privileges": true\n}\n', added: ['no-new-privileges'], kept: ['live-restore']});
    expect(JSON.parse((merged as {text: string}).text)).toEqual({'log-driver': 'journald', 'live-restore': false, 'no-new-privileges': true});
  });

  it('keeps CRLF, handles an empty object, and is a no-op the second time', () => {
    const once = mergeDaemonJson('{}\r\n') as {text: string};
    expect(once.text).toBe('{\r\n  "no-new-privileges": true,\r\n  "live-restore": true\r\n}\r\n');
    expect(mergeDaemonJson(once.text)).toMatchObject({ok: true, text: once.text, added: []});
    const crlf = mergeDaemonJson('{\r\n  "debug": true\r\n}\r\n') as {text: string};
    expect(crlf.text).toBe('{\r\n  "debug": true,\r\n  "no-new-privileges": true,\r\n  "live-restore": true\r\n}\r\n');
  });

  it('keeps an object written on one line on one line', () => {
    expect(mergeDaemonJson('{"log-level":"warn"}\n')).toMatchObject({ok: true, text: '{"log-level":"warn", "no-new-privileges": true, "live-restore": true}\n'});
    expect(mergeDaemonJson('  { "debug": true }  ')).toMatchObject({ok: true, text: '  { "debug": true, "no-new-privileges": true, "live-restore": true }  '});
  });

  it('refuses malformed JSON and non-objects with a line', () => {
    expect(mergeDaemonJson('{\n  "debug": true,\n}\n')).toMatchObject({ok: false});
    expect(mergeDaemonJson('[1, 2]')).toMatchObject({ok: false, line: 1});
  });
});
