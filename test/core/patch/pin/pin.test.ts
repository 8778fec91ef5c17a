import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parse as parseYaml} from 'yaml';
import {parseCompose} from '../../../../source/core/parse/compose.js';
import {parseDockerfile} from '../../../../source/core/parse/dockerfile.js';
import {pinReferences, parseReference, referenceKey} from '../../../../source/core/patch/pin/index.js';
import {expectationKey, verifyPins} from '../../../../source/core/patch/pin/verify.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('referenceKey', () => {
  it.each([
    ['node:20', 'docker.io/library/node:20'],
    ['docker.io/library/node:20', 'docker.io/library/node:20'],
    ['index.docker.io/library/node:20', 'docker.io/library/node:20'],
    ['docker.io/node:20', 'docker.io/library/node:20'],
    ['node', 'docker.io/library/node:latest'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['GHCR.io/acme/app:1', 'ghcr.io/acme/app:1'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    [`node:20@${digest('a')}`, 'docker.io/library/node:20'],
  ])('%s is %s', (ref, key) => {
    expect(referenceKey(ref)).toBe(key);
  });

  it.each(['', 'Node:20', 'node 20', 'node::20', 'node:20@sha256:abc', 'a'.repeat(256), 'café:1', 'node:-x', 'ghcr.io:port/app', '-node'])('rejects %j', ref => {
    expect(referenceKey(ref)).toBeUndefined();
  });
});

describe('parseReference', () => {
  it('splits domain, path, tag and digest', () => {
    expect(parseReference(`registry.example.com:5000/team/app:1.2@${digest('f')}`)).toEqual({
      domain: 'registry.example.com:5000',
      path: 'team/app',
      tag: '1.2',
      digest: digest('f'),
    });
    expect(parseReference('localhost/app')).toEqual({domain: 'localhost', path: 'app'});
    expect(parseReference('org/app')).toEqual({path: 'org/app'});
  });

  it('refuses an upper-case sha256 digest and one of the wrong length', () => {
    expect(parseReference(`node@sha256:${'A'.repeat(64)}`)).toHaveProperty('error');
    expect(parseReference(`node@sha256:${'a'.repeat(63)}`)).toHaveProperty('error');
    expect(parseReference(`node@sha256:${'a'.repeat(65)}`)).toHaveProperty('error');
  });
});

describe('pinReferences', () => {
  it('never writes a digest that is not sha256 and 64 lower-case hex digits', () => {
    for (const bad of [digest('A'), 'sha256:abc', `sha512:${'a'.repeat(128)}`, `sha256:${'a'.repeat(64)}\n`, `sha256:${'a'.repeat(64)} `, '']) {
      const result = pinReferences('Dockerfile', 'dockerfile', 'FROM node:20\n', new Map([['node:20', bad]]));
      expect(result).toMatchObject({ok: true, text: 'FROM node:20\n', pinned: []});
      if (result.ok) expect(result.unresolved[0]!.reason).toMatch(/is not sha256: and 64 lower-case hex digits/);
    }
  });

  it('finds a digest given under any spelling of the reference', () => {
    const result = pinReferences('Dockerfile', 'dockerfile', 'FROM docker.io/library/node:20\n', new Map([['node:20', digest('1')]]));
    expect(result).toMatchObject({ok: true, text: `FROM docker.io/library/node:20@${digest('1')}\n`});
  });

  it('says why the engine had no digest, from the reasons it is given', () => {
    const result = pinReferences('Dockerfile', 'dockerfile', 'FROM myapp:dev\n', new Map(), new Map([['docker.io/library/myapp:dev', 'built locally, never pushed: no registry digest']]));
    expect(result).toMatchObject({ok: true, unresolved: [{ref: 'myapp:dev', line: 1, reason: 'built locally, never pushed: no registry digest'}]});
  });

  it('leaves scratch and stage names alone without reporting them', () => {
    const text = 'FROM node:20 AS Build\nFROM build\nFROM scratch\nCOPY --from=build /a /a\n';
    const result = pinReferences('Dockerfile', 'dockerfile', text, new Map());
    expect(result).toMatchObject({ok: true, pinned: [], unresolved: [{ref: 'node:20', line: 1}]});
  });

  it('refuses a compose image node shared with a service that builds it', () => {
    const text = 'x: &img myorg/app:1\nservices:\n  app:\n    build: .\n    image: *img\n  copy:\n    image: *img\n';
    const result = pinReferences('compose.yaml', 'compose', text, new Map([['myorg/app:1', digest('2')]]));
    expect(result).toMatchObject({ok: true, text, pinned: [], unresolved: [{ref: 'myorg/app:1', line: 1, reason: 'the same YAML node is the tag service "app" builds; pin it by hand'}]});
  });

  it('does not edit a block scalar or an escaped scalar', () => {
    const text = 'services:\n  a:\n    image: >-\n      nginx:1.27\n  b:\n    image: "redis\\x3a7"\n';
    const result = pinReferences('compose.yaml', 'compose', text, new Map([['nginx:1.27', digest('3')], ['redis:7', digest('4')]]));
    expect(result).toMatchObject({ok: true, text, pinned: []});
    if (result.ok) expect(result.unresolved.map(u => u.reason)).toEqual(['written as a block scalar; pin it by hand', 'written with YAML escapes, a tag or an anchor; pin it by hand']);
  });

  it('returns the parse error of a file it cannot read, and writes nothing', () => {
    expect(pinReferences('compose.yaml', 'compose', 'services:\n  a: [\n', new Map())).toMatchObject({ok: false, error: {file: 'compose.yaml'}});
    const helm = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  containers:\n  - name: a\n    image: {{ .Values.image }}\n';
    expect(pinReferences('chart/pod.yaml', 'yaml', helm, new Map())).toMatchObject({ok: false, error: {line: 4, message: expect.stringMatching(/Helm or Go template/)}});
  });

  it('leaves YAML that is not a Kubernetes manifest alone', () => {
    const text = 'image: nginx:1.27\n';
    expect(pinReferences('values.yaml', 'yaml', text, new Map([['nginx:1.27', digest('5')]]))).toEqual({ok: true, text, pinned: [], unresolved: []});
  });
});

describe('verifyPins', () => {
  it('refuses a text whose references are not the ones intended', () => {
    const before = 'FROM node:20\nFROM redis:7\n';
    const expected = new Map([[expectationKey(1, 'node:20'), `node:20@${digest('a')}`]]);
    expect(verifyPins('Dockerfile', 'dockerfile', before, `FROM node:20@${digest('a')}\nFROM redis:7\n`, expected)).toBeUndefined();
    expect(verifyPins('Dockerfile', 'dockerfile', before, `FROM node:20@${digest('b')}\nFROM redis:7\n`, expected)).toMatchObject({line: 1});
    expect(verifyPins('Dockerfile', 'dockerfile', before, `FROM node:20@${digest('a')}\nFROM redis:8\n`, expected)).toMatchObject({line: 2});
    expect(verifyPins('Dockerfile', 'dockerfile', before, `FROM node:20@${digest('a')}\n`, expected)?.message).toMatch(/number of image references/);
  });
});

/* Random Dockerfiles and compose files: pinning keeps every other byte, reads back as intended and is idempotent. */

const component = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const refArb = fc.record({
  domain: fc.option(fc.constantFrom('ghcr.io', 'quay.io', 'localhost:5000', 'registry.example.com'), {nil: undefined}),
  path: fc.array(component, {minLength: 1, maxLength: 3}),
  tag: fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/), {nil: undefined}),
}).map(r => `${r.domain ? `${r.domain}/` : ''}${r.path.join('/')}${r.tag ? `:${r.tag}` : ''}`);
const hexArb = fc.stringMatching(/^[0-9a-f]{64}$/).map(h => `sha256:${h}`);

describe('pinReferences properties', () => {
  it('Dockerfile: only the references change, to name:tag@digest, and a second pass is a no-op', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(refArb, fc.boolean(), fc.constantFrom('', ' AS s', '  # c')), {minLength: 1, maxLength: 6}), hexArb, fc.boolean(), (froms, hex, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const lines = froms.flatMap(([ref, , suffix], i) => [`FROM ${ref}${suffix.startsWith(' AS') ? `${suffix}${i}` : ''}`, 'RUN true']);
        const text = lines.join(eol) + eol;
        const digests = new Map(froms.filter(([, known]) => known).map(([ref]) => [ref, hex]));
        const result = pinReferences('Dockerfile', 'dockerfile', text, digests);
        if (!result.ok) throw new Error(result.error.message);
        const after = parseDockerfile('Dockerfile', result.text);
        expect(after.errors).toEqual([]);
        const known = new Set(digests.keys());
        after.facts!.stages.forEach((stage, i) => {
          const ref = froms[i]![0];
          expect(stage.from!.digest).toBe(known.has(ref) ? hex : undefined);
        });
        const hasTag = (ref: string) => ref.lastIndexOf(':') > ref.lastIndexOf('/');
        const expected = froms.flatMap(([ref, , suffix], i) => {
          const pinned = known.has(ref) ? `${ref}${hasTag(ref) ? '' : ':latest'}@${hex}` : ref;
          return [`FROM ${pinned}${suffix.startsWith(' AS') ? `${suffix}${i}` : ''}`, 'RUN true'];
        });
        expect(result.text).toBe(expected.join(eol) + eol);
        const again = pinReferences('Dockerfile', 'dockerfile', result.text, digests);
        expect(again).toMatchObject({ok: true, text: result.text, pinned: []});
      }),
      {numRuns: 200},
    );
  });

  it('compose: plain and quoted scalars keep their quotes and comments', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(refArb, fc.constantFrom('', '"', "'"), fc.boolean()), {minLength: 1, maxLength: 5}), hexArb, (services, hex) => {
        // A plain `image: 00` is the number 0 to YAML (and an error to Compose): not a reference to pin.
        fc.pre(services.every(([ref, quote]) => quote !== '' || typeof parseYaml(ref) === 'string'));
        const text = 'services:\n' + services.map(([ref, quote, comment], i) => `  s${i}:\n    image: ${quote}${ref}${quote}${comment ? ' # note' : ''}\n`).join('');
        const digests = new Map(services.map(([ref]) => [ref, hex]));
        const result = pinReferences('compose.yaml', 'compose', text, digests);
        if (!result.ok) throw new Error(result.error.message);
        const facts = parseCompose('compose.yaml', result.text).facts!;
        facts.services.forEach((service, i) => {
          const [ref, quote, comment] = services[i]!;
          const line = result.text.split('\n')[2 * i + 2]!;
          expect(service.image!.digest).toBe(hex);
          expect(line.startsWith(`    image: ${quote}`)).toBe(true);
          expect(line.endsWith(comment ? ' # note' : `${quote}`)).toBe(true);
          expect(service.image!.raw).toBe(`${ref.includes(':') && ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref : `${ref}:latest`}@${hex}`);
        });
        expect(pinReferences('compose.yaml', 'compose', result.text, digests)).toMatchObject({ok: true, text: result.text, pinned: []});
      }),
      {numRuns: 200},
    );
  });
});
