import {describe, expect, it} from 'vitest';
import type {ComposeService} from '../../../source/core/model/facts.js';
import {parseCompose, shortVolume} from '../../../source/core/parse/compose.js';
import {decodeText} from '../../../source/core/parse/text.js';

function services(text: string, file = 'compose.yaml'): ComposeService[] {
  const parsed = parseCompose(file, text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!.services;
}

function service(fields: Partial<ComposeService> & Pick<ComposeService, 'name' | 'line'>): ComposeService {
  return {securityOpt: [], capDrop: [], mounts: [], ...fields};
}

describe('parseCompose: service settings', () => {
  it('reads every setting the rules use, with lines', () => {
    const text = [
      'services:', // 1
      '  web:', // 2
      '    image: ghcr.io/acme/web:1.2', // 3
      '    read_only: true', // 4
      '    user: 1000', // 5
      '    security_opt:', // 6
      '      - no-new-privileges:true', // 7
      '    cap_drop: [ALL]', // 8
      '    privileged: false', // 9
      '    command: npm start', // 10
      '    tmpfs: /run', // 11
      '',
    ].join('\n');
    expect(services(text)).toEqual([service({
      name: 'web', line: 2,
      image: {raw: 'ghcr.io/acme/web:1.2', registry: 'ghcr.io', repository: 'acme/web', tag: '1.2', unresolved: false, line: 3},
      readOnly: {value: true, line: 4},
      user: {value: '1000', line: 5},
      securityOpt: [{value: 'no-new-privileges:true', line: 7}],
      capDrop: [{value: 'ALL', line: 8}],
      privileged: {value: false, line: 9},
      command: {value: 'npm start', line: 10, argv: ['npm', 'start']},
      mounts: [{target: '/run', kind: 'tmpfs', readOnly: false, line: 11, key: 'tmpfs'}],
    })]);
  });

  it.each([
    ['true', {value: true, line: 3}],
    ['false', {value: false, line: 3}],
    ['"true"', {value: true, line: 3}],
    ["'false'", {value: false, line: 3}],
    ['yes', undefined], // YAML 1.2: a string, and compose rejects it; not guessed at
  ])('read_only: %s', (value, expected) => {
    expect(services(`services:\n  a:\n    read_only: ${value}\n`)[0]!.readOnly).toEqual(expected);
  });

  it.each([
    ['1000', '1000'],
    ['"1000:1000"', '1000:1000'],
    ['1000:1000', '1000:1000'],
    ['node', 'node'],
  ])('user: %s', (value, expected) => {
    expect(services(`services:\n  a:\n    user: ${value}\n`)[0]!.user).toEqual({value: expected, line: 3});
  });

  it('reads command as a list, joined, at the line of its first item, with the argv Compose runs', () => {
    expect(services('services:\n  a:\n    command:\n      - node\n      - server.js\n')[0]!.command).toEqual({value: 'node server.js', line: 4, argv: ['node', 'server.js']});
    expect(services('services:\n  a:\n    command: ["sh", "-c", "exec app"]\n')[0]!.command).toEqual({value: 'sh -c exec app', line: 3, argv: ['sh', '-c', 'exec app']});
    expect(services('services:\n  a:\n    command: node  server.js --port 3000\n')[0]!.command).toEqual({value: 'node  server.js --port 3000', line: 3, argv: ['node', 'server.js', '--port', '3000']});
    // Quotes and escapes follow shell rules in Compose: no argv rather than a wrong one.
    expect(services('services:\n  a:\n    command: sh -c "exec app"\n')[0]!.command).toEqual({value: 'sh -c "exec app"', line: 3});
  });

  it('reads tmpfs as a string or a list, dropping options', () => {
    expect(services('services:\n  a:\n    tmpfs:\n      - /tmp:size=64m,mode=1777\n      - /var/run/\n      - relative\n')[0]!.mounts).toEqual([
      {target: '/tmp', kind: 'tmpfs', readOnly: false, line: 4, key: 'tmpfs'},
      {target: '/var/run', kind: 'tmpfs', readOnly: false, line: 5, key: 'tmpfs'},
    ]);
  });
});

describe('parseCompose: volumes', () => {
  it('reads short and long syntax', () => {
    const text = [
      'services:', // 1
      '  a:', // 2
      '    volumes:', // 3
      '      - /anonymous', // 4
      '      - named:/data', // 5
      '      - ./src:/app/src:ro', // 6
      '      - ~/cfg:/cfg:ro,z', // 7
      '      - C:\\data:/windows', // 8
      '      - /host/logs:/var/log/app/:rw', // 9
      '      - type: bind', // 10
      '        source: ./x', // 11
      '        target: /x', // 12
      '        read_only: true', // 13
      '      - type: volume', // 14
      '        source: db', // 15
      '        target: /var/lib/db', // 16
      '      - type: tmpfs', // 17
      '        target: /scratch', // 18
      '      - type: npipe', // 19
      '        target: /pipe', // 20
      '      - {type: volume, target: relative}', // 21
      '',
    ].join('\n');
    expect(services(text)[0]!.mounts).toEqual([
      {target: '/anonymous', kind: 'volume', readOnly: false, line: 4, key: 'volumes', short: true},
      {target: '/data', kind: 'volume', readOnly: false, line: 5, key: 'volumes', short: true},
      {target: '/app/src', kind: 'bind', readOnly: true, line: 6, key: 'volumes', short: true, source: './src'},
      {target: '/cfg', kind: 'bind', readOnly: true, line: 7, key: 'volumes', short: true, source: '~/cfg'},
      {target: '/windows', kind: 'bind', readOnly: false, line: 8, key: 'volumes', short: true, source: 'C:\\data'},
      {target: '/var/log/app', kind: 'bind', readOnly: false, line: 9, key: 'volumes', short: true, source: '/host/logs'},
      {target: '/x', kind: 'bind', readOnly: true, line: 10, key: 'volumes', source: './x'},
      {target: '/var/lib/db', kind: 'volume', readOnly: false, line: 14, key: 'volumes'},
      {target: '/scratch', kind: 'tmpfs', readOnly: false, line: 17, key: 'volumes'},
      {target: '/pipe', kind: 'other', readOnly: false, line: 19, key: 'volumes'},
    ]);
  });

  it.each([
    ['/data', {target: '/data', kind: 'volume', readOnly: false, line: 1}],
    ['vol:/data:ro', {target: '/data', kind: 'volume', readOnly: true, line: 1}],
    ['./d:/data:z,ro', {target: '/data', kind: 'bind', readOnly: true, line: 1, source: './d'}],
    ['C:\\data:/data', {target: '/data', kind: 'bind', readOnly: false, line: 1, source: 'C:\\data'}],
    ['c:/data:/data:ro', {target: '/data', kind: 'bind', readOnly: true, line: 1, source: 'c:/data'}],
    ['..\\data:/data', {target: '/data', kind: 'bind', readOnly: false, line: 1, source: '..\\data'}],
    ['vol:relative', undefined],
    ['C:\\data:D:\\data', undefined],
  ])('shortVolume(%j)', (spec, expected) => {
    expect(shortVolume(spec, 1)).toEqual(expected);
  });
});

describe('parseCompose: build', () => {
  it.each([
    ['compose.yaml', 'build: .', 'Dockerfile'],
    ['compose.yaml', 'build: ./api', 'api/Dockerfile'],
    ['app/compose.yaml', 'build: ./api', 'app/api/Dockerfile'],
    ['app/compose.yaml', 'build: ../shared', 'shared/Dockerfile'],
    ['app/compose.yaml', 'build: {context: ./api, dockerfile: Dockerfile.prod}', 'app/api/Dockerfile.prod'],
    ['app/compose.yaml', 'build: {context: ./api, dockerfile: ../docker/api.Dockerfile}', 'app/docker/api.Dockerfile'],
    ['app/compose.yaml', 'build: {dockerfile: build/Dockerfile}', 'app/build/Dockerfile'],
    ['app/compose.yaml', 'build: {context: ./api, dockerfile: /abs/Dockerfile}', '/abs/Dockerfile'],
    ['app/compose.yaml', 'build: {context: /srv/api}', '/srv/api/Dockerfile'],
    ['app/compose.yaml', 'build: /srv/api', '/srv/api/Dockerfile'],
  ])('%s with %s builds %s', (file, build, dockerfile) => {
    expect(services(`services:\n  a:\n    ${build}\n`, file)[0]!.build).toEqual({dockerfile, context: expect.any(String), line: 3});
  });

  it.each([
    ['compose.yaml', 'build: .', '.'],
    ['app/compose.yaml', 'build: {dockerfile: build/Dockerfile}', 'app'],
    ['app/compose.yaml', 'build: {context: ./api, dockerfile: ../docker/api.Dockerfile}', 'app/api'],
    ['app/compose.yaml', 'build: /srv/api', '/srv/api'],
  ])('%s with %s builds in context %s', (file, build, context) => {
    expect(services(`services:\n  a:\n    ${build}\n`, file)[0]!.build!.context).toBe(context);
  });

  it.each([
    'build: https://github.com/acme/api.git#main',
    'build: git@github.com:acme/api.git',
    'build: {context: "https://github.com/acme/api.git#main:sub"}',
    'build: {context: ., dockerfile_inline: "FROM alpine"}',
  ])('has no Dockerfile of ours for %s', build => {
    expect(services(`services:\n  a:\n    ${build}\n`)[0]!.build).toBeUndefined();
  });
});

describe('parseCompose: merge keys and extends', () => {
  it('follows `<<: *anchor`; an inherited value keeps the anchor line, own keys win', () => {
    const text = [
      'x-default: &default', // 1
      '  read_only: true', // 2
      '  user: app', // 3
      '  cap_drop: [ALL]', // 4
      'services:', // 5
      '  a:', // 6
      '    <<: *default', // 7
      '    user: root', // 8
      '',
    ].join('\n');
    expect(services(text)).toEqual([service({
      name: 'a', line: 6,
      readOnly: {value: true, line: 2},
      user: {value: 'root', line: 8},
      capDrop: [{value: 'ALL', line: 4}],
    })]);
  });

  it('follows `<<: [*a, *b]`; the first source that has a key wins', () => {
    const text = 'x-a: &a\n  user: first\nx-b: &b\n  user: second\n  privileged: true\nservices:\n  s:\n    <<: [*a, *b]\n';
    expect(services(text)).toEqual([service({name: 's', line: 7, user: {value: 'first', line: 2}, privileged: {value: true, line: 5}})]);
  });

  it('follows same-file extends in both forms; own keys win; another file is not read', () => {
    const text = [
      'services:', // 1
      '  base:', // 2
      '    image: base:1', // 3
      '    read_only: true', // 4
      '  child:', // 5
      '    extends: base', // 6
      '  child2:', // 7
      '    extends: {service: child}', // 8
      '    image: own:2', // 9
      '  remote:', // 10
      '    extends: {file: other.yaml, service: base}', // 11
      '',
    ].join('\n');
    const base = {raw: 'base:1', repository: 'base', tag: '1', unresolved: false, line: 3};
    expect(services(text)).toEqual([
      service({name: 'base', line: 2, image: base, readOnly: {value: true, line: 4}}),
      service({name: 'child', line: 5, image: base, readOnly: {value: true, line: 4}}),
      service({name: 'child2', line: 7, image: {raw: 'own:2', repository: 'own', tag: '2', unresolved: false, line: 9}, readOnly: {value: true, line: 4}}),
      service({name: 'remote', line: 10}),
    ]);
  });

  it('merges the lists Compose merges along extends: the base\'s entries and the own, the own mount winning on the same target', () => {
    const text = [
      'services:', // 1
      '  base:', // 2
      '    tmpfs: [/tmp]', // 3
      '    volumes: ["logs:/app/logs", "data:/data"]', // 4
      '    security_opt: [no-new-privileges:true]', // 5
      '    cap_drop: [ALL]', // 6
      '  child:', // 7
      '    extends: base', // 8
      '    tmpfs: [/run]', // 9
      '    volumes: ["own:/data:ro"]', // 10
      '    cap_drop: [ALL, NET_RAW]', // 11
      '',
    ].join('\n');
    const child = services(text).find(s => s.name === 'child')!;
    expect(child.mounts.map(m => [m.target, m.kind, m.readOnly, m.line])).toEqual([
      ['/data', 'volume', true, 10],
      ['/app/logs', 'volume', false, 4],
      ['/run', 'tmpfs', false, 9],
      ['/tmp', 'tmpfs', false, 3],
    ]);
    expect(child.securityOpt).toEqual([{value: 'no-new-privileges:true', line: 5}]);
    expect(child.capDrop.map(c => c.value)).toEqual(['ALL', 'NET_RAW']);
  });

  it('ends an extends cycle', () => {
    const text = 'services:\n  a:\n    extends: b\n  b:\n    extends: {service: a}\n  c:\n    extends: c\n';
    expect(services(text)).toEqual([service({name: 'a', line: 2}), service({name: 'b', line: 4}), service({name: 'c', line: 6})]);
  });
});

describe('parseCompose: files that are not what they should be', () => {
  it.each([
    ['an empty file', ''],
    ['services: (null)', 'services:\n'],
    ['services: {}', 'services: {}\n'],
    ['no services key', 'volumes:\n  db: {}\n'],
  ])('%s has no services and no error', (_name, text) => {
    expect(parseCompose('compose.yaml', text)).toEqual({facts: {file: 'compose.yaml', services: []}, errors: []});
  });

  it.each([
    ['a list', '- a\n- b\n', 1],
    ['a scalar after blank lines', '\n\nhello\n', 3],
  ])('top level is %s: a located error, no facts', (_name, text, line) => {
    expect(parseCompose('compose.yaml', text)).toEqual({facts: null, errors: [{file: 'compose.yaml', line, message: 'not a compose file: the top level must be a mapping with a "services:" key'}]});
  });

  it('services: as a list is an error at its line', () => {
    expect(parseCompose('compose.yaml', '# c\nservices:\n  - web\n')).toEqual({facts: null, errors: [{file: 'compose.yaml', line: 3, message: '"services:" must be a mapping of service names to their settings'}]});
  });

  it('a service that is not a mapping is an error; the others are read', () => {
    const parsed = parseCompose('compose.yaml', 'services:\n  bad: nginx\n  good:\n    image: nginx\n');
    expect(parsed.errors).toEqual([{file: 'compose.yaml', line: 2, message: 'service "bad" must be a mapping of settings'}]);
    expect(parsed.facts!.services.map(s => s.name)).toEqual(['good']);
  });

  it.each([
    ['bad indentation', 'services:\n  a:\n    image: x\n   user: y\n', [{line: 4, message: 'invalid YAML: this line is not indented like the other keys of its mapping'}]],
    ['a duplicate key', 'services:\n  a:\n    image: x\n    image: y\n', [{line: 4, message: 'invalid YAML: the key "image" appears twice in the same mapping; each key may be given once'}]],
    ['tabs as indentation', 'services:\n  a:\n\timage: x\n', [{line: 3, message: 'invalid YAML: a tab indents this line; YAML indents with spaces only'}]],
  ])('%s: errors with the right line, no facts', (_name, text, errors) => {
    const parsed = parseCompose('compose.yaml', text);
    expect(parsed.facts).toBeNull();
    expect(parsed.errors[0]).toEqual({file: 'compose.yaml', ...errors[0]});
  });

  it('an unclosed quote is an error near its line (the YAML library points where it gave up: the end of input)', () => {
    const parsed = parseCompose('compose.yaml', 'services:\n  a:\n    image: "x\n');
    expect(parsed.facts).toBeNull();
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.message).toBe('invalid YAML: a "double-quoted" value is never closed');
    expect([3, 4]).toContain(parsed.errors[0]!.line);
  });

  it('gives the same facts for CRLF and for a BOM-prefixed file after decodeText', () => {
    const lf = 'x-d: &d\n  read_only: true\nservices:\n  a:\n    <<: *d\n    image: nginx\n    volumes:\n      - ./a:/a:ro\n    command: [a, b]\n';
    const expected = parseCompose('compose.yaml', lf);
    expect(expected.facts!.services).toHaveLength(1);
    expect(parseCompose('compose.yaml', lf.replaceAll('\n', '\r\n'))).toEqual(expected);
    const decoded = decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(lf)]));
    expect(decoded.ok && decoded.bom).toBe(true);
    expect(parseCompose('compose.yaml', decoded.ok ? decoded.text : '')).toEqual(expected);
  });
});

describe('parseCompose: hostile input', () => {
  const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [i, name] of [...'bcdefghi'].entries()) lol.push(`${name}: &${name} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`);

  it('an alias "billion laughs" bomb finishes fast with bounded facts', () => {
    const text = `${lol.join('\n')}\nservices:\n  s:\n    image: x\n    volumes: *i\n    security_opt: *i\n    cap_drop: *i\n    command: *i\n    tmpfs: *i\n`;
    const started = performance.now();
    const parsed = parseCompose('compose.yaml', text);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.services).toEqual([service({name: 's', line: 11, image: {raw: 'x', repository: 'x', unresolved: false, line: 12}})]);
  });

  it('a merge-key bomb (each level merging the one below nine times) finishes fast', () => {
    const lines = ['x0: &m0 {z: 1}'];
    for (let i = 1; i <= 9; i++) lines.push(`x${i}: &m${i}`, `  <<: [${Array(9).fill(`*m${i - 1}`).join(', ')}]`);
    lines.push('services:', '  s:', '    <<: *m9', '    image: x');
    const started = performance.now();
    const parsed = parseCompose('compose.yaml', lines.join('\n') + '\n');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(parsed.errors).toEqual([]);
    expect(parsed.facts!.services).toEqual([service({name: 's', line: 21, image: {raw: 'x', repository: 'x', unresolved: false, line: 23}})]);
  });

  it('many services sharing one anchor parse in linear time', () => {
    const lines = ['x-d: &d', '  read_only: true', '  user: app', 'services:'];
    for (let i = 0; i < 2000; i++) lines.push(`  s${i}:`, '    <<: *d', `    image: app:${i}`);
    const parsed = parseCompose('compose.yaml', lines.join('\n') + '\n');
    expect(parsed.facts!.services).toHaveLength(2000);
    expect(parsed.facts!.services[1999]!.user).toEqual({value: 'app', line: 3});
  });
});
