import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseAllDocuments, parse} from 'yaml';
import {parseKubernetes} from '../../../source/core/parse/kubernetes.js';
import {findImagePolicies} from '../../../source/core/rules/image-policies.js';
import {fillSigningTemplates} from '../../../source/core/templates/signing.js';
import {signingTemplates} from '../../../source/core/templates/signing-templates.js';

const dir = 'templates/signing';
const update = process.env.UPDATE_GOLDEN === '1';
const names = readdirSync(dir).filter(n => /\.ya?ml$/.test(n)).sort();

/** The embedded module as it must read for the files in templates/signing. */
function render(): string {
  const esc = (t: string) => t.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  const body = names.map(n => `  '${n}': \`${esc(readFileSync(join(dir, n), 'utf8'))}\`,`).join('\n');
  return `/*
 * The files of templates/signing/, embedded so the pure core can fill them without a file
 * system. Generated: test/core/templates/signing.test.ts checks that they match the files
 * byte for byte, and UPDATE_GOLDEN=1 rewrites this module from them. Edit the files.
 */

export type SigningTemplateName =
${names.map(n => `  | '${n}'`).join('\n')};

export const signingTemplates: Readonly<Record<SigningTemplateName, string>> = {
${body}
};
`;
}

function yamlOf(text: string): unknown {
  const docs = parseAllDocuments(text);
  expect(Array.isArray(docs)).toBe(true);
  for (const doc of docs as Array<{errors: unknown[]; warnings: unknown[]}>) {
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  }
  return parse(text);
}

/** Kyverno's subject pattern: `*` is any run of characters, `?` one character. */
function wildcard(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

const images = ['ghcr.io/acme/shop-web:1.4.0', 'ghcr.io/acme/shop-web:1.5.0', 'registry.example.com:5000/team/worker@sha256:' + 'a'.repeat(64), 'myorg/api:2', 'redis'];

/** Parsed YAML, read loosely: the assertions say what must be there. */
type Any = Record<string, any>;

describe('templates/signing', () => {
  it('are embedded byte for byte in signing-templates.ts', () => {
    const module = 'source/core/templates/signing-templates.ts';
    if (update) writeFileSync(module, render());
    expect(readFileSync(module, 'utf8')).toBe(render());
    expect(Object.keys(signingTemplates).sort()).toEqual(names);
  });

  it.each(names)('%s is valid YAML before filling, and uses no {{ }} of its own', name => {
    const text = readFileSync(join(dir, name), 'utf8');
    yamlOf(text);
    // GitHub's own expressions are ${{ ... }}; anything else in {{ }} would read as a Helm template.
    expect(text.replace(/\$\{\{[^}]*\}\}/g, '')).not.toContain('{{');
    expect(text.match(/__[A-Z_]+__/g)?.every(m => ['__IMAGE__', '__REPOSITORY__', '__REGISTRY__', '__OIDC_ISSUER__', '__SIGNER_SUBJECT__', '__SIGNER_SUBJECT_REGEXP__'].includes(m))).toBe(true);
  });
});

describe('fillSigningTemplates', () => {
  const files = fillSigningTemplates(images, {repo: 'acme/shop'});
  const byFile = new Map(files.map(f => [f.file, yamlOf(f.text) as Any]));

  it('writes the GitHub jobs and the four policies, with every marker filled', () => {
    expect(files.map(f => f.file)).toEqual([
      '.github/workflows/harden-sign-images.yml',
      '.github/workflows/harden-sign-images-key.yml',
      'signing/kyverno-verify-images.yaml',
      'signing/kyverno-verify-images-key.yaml',
      'signing/sigstore-verify-images.yaml',
      'signing/sigstore-verify-images-key.yaml',
    ]);
    for (const {text} of files) expect(text).not.toMatch(/__[A-Z_]+__/);
  });

  it('GitHub keyless: id-token write, cosign-installer, one matrix entry per image, signs by digest', () => {
    const workflow = byFile.get('.github/workflows/harden-sign-images.yml')!;
    expect(workflow.permissions).toEqual({contents: 'read', packages: 'write', 'id-token': 'write'});
    expect(Object.keys(workflow.on)).toEqual(['workflow_dispatch', 'workflow_call']);
    expect(workflow.jobs.sign.strategy.matrix.include).toEqual([
      {image: 'ghcr.io/acme/shop-web:1.4.0', repository: 'ghcr.io/acme/shop-web', registry: 'ghcr.io'},
      {image: 'ghcr.io/acme/shop-web:1.5.0', repository: 'ghcr.io/acme/shop-web', registry: 'ghcr.io'},
      {image: `registry.example.com:5000/team/worker@sha256:${'a'.repeat(64)}`, repository: 'registry.example.com:5000/team/worker', registry: 'registry.example.com:5000'},
      {image: 'myorg/api:2', repository: 'myorg/api', registry: 'docker.io'},
      {image: 'redis', repository: 'redis', registry: 'docker.io'},
    ]);
    const steps = workflow.jobs.sign.steps as Any[];
    expect(steps[0]).toEqual({name: 'Install cosign', uses: 'sigstore/cosign-installer@v3'});
    expect(steps[1]!.uses).toBe('docker/login-action@v3');
    expect(steps[2]!.run).toContain('cosign sign --yes "$REPOSITORY@$digest"');
    expect(steps[2]!.run).not.toContain('--key');
  });

  it('GitHub key: signs with the key from the secrets, needs no id-token', () => {
    const workflow = byFile.get('.github/workflows/harden-sign-images-key.yml')!;
    expect(workflow.permissions['id-token']).toBeUndefined();
    const sign = (workflow.jobs.sign.steps as Any[])[2]!;
    expect(sign.env).toMatchObject({COSIGN_PRIVATE_KEY: '${{ secrets.COSIGN_PRIVATE_KEY }}', COSIGN_PASSWORD: '${{ secrets.COSIGN_PASSWORD }}'});
    expect(sign.run).toContain('cosign sign --yes --key env://COSIGN_PRIVATE_KEY "$REPOSITORY@$digest"');
  });

  it('Kyverno: verifyImages per repository, keyless identity of this workflow, or the key secret; Audit first', () => {
    const keyless = byFile.get('signing/kyverno-verify-images.yaml')!;
    expect(keyless).toMatchObject({apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', spec: {validationFailureAction: 'Audit'}});
    const verify = keyless.spec.rules[0].verifyImages[0];
    expect(verify.imageReferences).toEqual(['ghcr.io/acme/shop-web*', 'registry.example.com:5000/team/worker*', 'myorg/api*', 'redis*']);
    expect(verify.mutateDigest).toBe(false);
    const entry = verify.attestors[0].entries[0].keyless;
    expect(entry.issuer).toBe('https://token.actions.githubusercontent.com');
    expect(entry.rekor).toEqual({url: 'https://rekor.sigstore.dev'});
    expect(wildcard(entry.subject, 'https://github.com/acme/shop/.github/workflows/harden-sign-images.yml@refs/heads/main')).toBe(true);
    expect(wildcard(entry.subject, 'https://github.com/evil/shop/.github/workflows/harden-sign-images.yml@refs/heads/main')).toBe(false);
    const key = byFile.get('signing/kyverno-verify-images-key.yaml')!;
    expect(key.metadata.name).toBe('harden-verify-images-key');
    expect(key.spec.rules[0].verifyImages[0].attestors[0].entries[0].keys.publicKeys).toBe('k8s://kyverno/cosign-pub');
  });

  it('sigstore: ClusterImagePolicy per repository glob, keyless identity regexp, or the key secret; warn first', () => {
    const keyless = byFile.get('signing/sigstore-verify-images.yaml')!;
    expect(keyless).toMatchObject({apiVersion: 'policy.sigstore.dev/v1beta1', kind: 'ClusterImagePolicy', spec: {mode: 'warn'}});
    expect(keyless.spec.images).toEqual([{glob: 'ghcr.io/acme/shop-web*'}, {glob: 'registry.example.com:5000/team/worker*'}, {glob: 'myorg/api*'}, {glob: 'redis*'}]);
    const authority = keyless.spec.authorities[0];
    expect(authority.keyless.url).toBe('https://fulcio.sigstore.dev');
    expect(authority.ctlog).toEqual({url: 'https://rekor.sigstore.dev'});
    const id = authority.keyless.identities[0];
    expect(id.issuer).toBe('https://token.actions.githubusercontent.com');
    const pattern = new RegExp(id.subjectRegExp);
    expect(pattern.test('https://github.com/acme/shop/.github/workflows/harden-sign-images.yml@refs/tags/v1')).toBe(true);
    expect(pattern.test('https://github.com/acme/shopx/.github/workflows/harden-sign-images.yml@refs/tags/v1')).toBe(false);
    expect(pattern.test('https://github.com/acme/shop/.github/workflows/harden-sign-imagesXyml@refs/tags/v1')).toBe(false);
    expect(byFile.get('signing/sigstore-verify-images-key.yaml')!.spec.authorities[0].key).toEqual({secretRef: {name: 'cosign-pub'}});
  });

  it('the policies read as Kubernetes objects (no Helm false alarm) and satisfy unsigned-image-policy', () => {
    const policies = files.filter(f => f.file.startsWith('signing/'));
    for (const policy of policies) expect(parseKubernetes(policy.file, policy.text)).toEqual({facts: {file: policy.file, containers: []}, errors: []});
    expect(findImagePolicies(policies).map(p => p.kind)).toEqual([
      'kyverno.io/v1 ClusterPolicy',
      'kyverno.io/v1 ClusterPolicy',
      'policy.sigstore.dev/v1beta1 ClusterImagePolicy',
      'policy.sigstore.dev/v1beta1 ClusterImagePolicy',
    ]);
  });

  it('GitLab: the id token with the sigstore audience, a parallel matrix, and GitLab\'s identity in the policies', () => {
    const gitlab = fillSigningTemplates(['registry.gitlab.com/acme/shop/web:1'], {repo: 'acme/sub/shop', forge: 'gitlab'});
    expect(gitlab.map(f => f.file).slice(0, 2)).toEqual(['.gitlab/harden-sign-images.yml', '.gitlab/harden-sign-images-key.yml']);
    const job = (yamlOf(gitlab[0]!.text) as Any)['harden-sign-images'];
    expect(job.id_tokens).toEqual({SIGSTORE_ID_TOKEN: {aud: 'sigstore'}});
    expect(job.stage).toBe('.post');
    expect(job.parallel.matrix).toEqual([{IMAGE: 'registry.gitlab.com/acme/shop/web:1', REPOSITORY: 'registry.gitlab.com/acme/shop/web', REGISTRY: 'registry.gitlab.com'}]);
    expect(job.script.at(-1)).toBe('cosign sign "$REPOSITORY@$DIGEST"');
    expect(job.script[1]).toMatch(/^case "\$DIGEST" in sha256:\*\) ;; \*\) echo .* exit 1 ;; esac$/);
    const keyJob = (yamlOf(gitlab[1]!.text) as Any)['harden-sign-images-key'];
    expect(keyJob.id_tokens).toBeUndefined();
    expect(keyJob.script.at(-1)).toBe('cosign sign --key env://COSIGN_PRIVATE_KEY "$REPOSITORY@$DIGEST"');
    const kyverno = yamlOf(gitlab.find(f => f.file === 'signing/kyverno-verify-images.yaml')!.text) as Any;
    const entry = kyverno.spec.rules[0].verifyImages[0].attestors[0].entries[0].keyless;
    expect(entry.issuer).toBe('https://gitlab.com');
    expect(wildcard(entry.subject, 'https://gitlab.com/acme/sub/shop//.gitlab-ci.yml@refs/heads/main')).toBe(true);
    const sigstore = yamlOf(gitlab.find(f => f.file === 'signing/sigstore-verify-images.yaml')!.text) as Any;
    expect(new RegExp(sigstore.spec.authorities[0].keyless.identities[0].subjectRegExp).test('https://gitlab.com/acme/sub/shop//.gitlab-ci.yml@refs/heads/main')).toBe(true);
  });

  it('leaves out references it cannot sign, writes placeholders for an unknown repo, and writes nothing with no image', () => {
    const result = fillSigningTemplates(['${IMAGE}', 'Bad/Name', 'nginx:1.27', 'nginx:1.27', ' ', '{{ .Values.image }}'], {repo: 'not a repo'});
    const workflow = yamlOf(result[0]!.text) as Any;
    expect(workflow.jobs.sign.strategy.matrix.include).toEqual([{image: 'nginx:1.27', repository: 'nginx', registry: 'docker.io'}]);
    expect(result.find(f => f.file === 'signing/kyverno-verify-images.yaml')!.text).toContain('https://github.com/OWNER/REPO/.github/workflows/harden-sign-images.yml@refs/*');
    expect(fillSigningTemplates([], {})).toEqual([]);
    expect(fillSigningTemplates(['$X', 'UPPER'])).toEqual([]);
  });

  it('any set of valid references fills to valid YAML with one entry per image and per repository', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,6}$/);
    const ref = fc.tuple(fc.option(fc.constantFrom('ghcr.io', 'quay.io', 'localhost:5000'), {nil: undefined}), fc.array(component, {minLength: 1, maxLength: 3}), fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,8}$/), {nil: undefined}))
      .map(([domain, path, tag]) => `${domain ? `${domain}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}`);
    fc.assert(
      fc.property(fc.uniqueArray(ref, {minLength: 1, maxLength: 6}), refs => {
        const filled = fillSigningTemplates(refs, {repo: 'a/b'});
        const workflow = yamlOf(filled[0]!.text) as Any;
        expect(workflow.jobs.sign.strategy.matrix.include.map((e: Any) => e.image)).toEqual(refs);
        const repositories = new Set(refs.map(r => (r.lastIndexOf(':') > r.lastIndexOf('/') ? r.slice(0, r.lastIndexOf(':')) : r)));
        const kyverno = yamlOf(filled[2]!.text) as Any;
        expect(kyverno.spec.rules[0].verifyImages[0].imageReferences).toEqual([...repositories].map(r => `${r}*`));
        for (const file of filled) yamlOf(file.text);
      }),
      {numRuns: 100},
    );
  });
});
