import {fullName, nameOf, parseReference} from '../patch/pin/reference.js';
import {signingTemplates, type SigningTemplateName} from './signing-templates.js';

/*
 * Signing and verification templates (templates/signing/, embedded in signing-templates.ts
 * so the pure core needs no file system): a CI job that signs each image by digest with
 * cosign, keyless or with a key, for GitHub Actions or GitLab CI, and the admission policies
 * that check those signatures (Kyverno verifyImages, sigstore policy-controller
 * ClusterImagePolicy). They are filled by plain substitution of `__NAME__` markers, never
 * `{{ }}` (harden reads that as a Helm template; the GitHub workflows keep GitHub's own
 * `${{ }}` expressions). A line holding `__IMAGE__` or `__REPOSITORY__` is repeated once per
 * image or repository, so every template is valid YAML before and after filling.
 *
 * Field names checked against: Kyverno "Verify Images / Sigstore" (imageReferences,
 * attestors.entries.keyless.subject/issuer/rekor.url, keys.publicKeys with k8s://ns/name,
 * mutateDigest, verifyDigest, required), sigstore policy-controller (ClusterImagePolicy
 * v1beta1: mode, images.glob, authorities.keyless.url/identities.issuer/subjectRegExp,
 * key.secretRef.name, ctlog.url), sigstore/cosign-installer and GitLab "Use Sigstore for
 * keyless signing" (id_tokens.SIGSTORE_ID_TOKEN.aud: sigstore).
 */

/** Where the keyless signatures come from: the CI whose OIDC identity signs. */
export type Forge = 'github' | 'gitlab';

export interface SigningOptions {
  /** `owner/name` (GitHub) or `group/project` (GitLab): the identity the policies trust. Placeholders are written when absent. */
  repo?: string;
  /** Which CI signs; GitHub Actions by default. */
  forge?: Forge;
}

const outputs: Record<SigningTemplateName, {file: string; forge?: Forge}> = {
  'github-keyless.yml': {file: '.github/workflows/harden-sign-images.yml', forge: 'github'},
  'github-key.yml': {file: '.github/workflows/harden-sign-images-key.yml', forge: 'github'},
  'gitlab-keyless.yml': {file: '.gitlab/harden-sign-images.yml', forge: 'gitlab'},
  'gitlab-key.yml': {file: '.gitlab/harden-sign-images-key.yml', forge: 'gitlab'},
  'kyverno-keyless.yaml': {file: 'signing/kyverno-verify-images.yaml'},
  'kyverno-key.yaml': {file: 'signing/kyverno-verify-images-key.yaml'},
  'sigstore-keyless.yaml': {file: 'signing/sigstore-verify-images.yaml'},
  'sigstore-key.yaml': {file: 'signing/sigstore-verify-images-key.yaml'},
};

interface Image {
  image: string;
  repository: string;
  registry: string;
}

/** Valid references only (no `$`, no template), once each, in the order given. */
function imagesOf(images: readonly string[]): Image[] {
  const seen = new Set<string>();
  const result: Image[] = [];
  for (const raw of images) {
    const image = raw.trim();
    const parsed = parseReference(image);
    if ('error' in parsed || seen.has(image)) continue;
    seen.add(image);
    result.push({image, repository: nameOf(parsed), registry: fullName(parsed).split('/')[0]!});
  }
  return result;
}

function regExpQuote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function identity(forge: Forge, repo: string | undefined): Record<string, string> {
  const valid = repo !== undefined && (forge === 'github' ? /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/ : /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)+$/).test(repo);
  const path = valid ? repo! : forge === 'github' ? 'OWNER/REPO' : 'GROUP/PROJECT';
  if (forge === 'github') {
    return {
      __OIDC_ISSUER__: 'https://token.actions.githubusercontent.com',
      __SIGNER_SUBJECT__: `https://github.com/${path}/.github/workflows/harden-sign-images.yml@refs/*`,
      __SIGNER_SUBJECT_REGEXP__: `^https://github\\.com/${regExpQuote(path)}/\\.github/workflows/harden-sign-images\\.yml@refs/.+$`,
    };
  }
  return {
    __OIDC_ISSUER__: 'https://gitlab.com',
    __SIGNER_SUBJECT__: `https://gitlab.com/${path}//.gitlab-ci.yml@refs/*`,
    __SIGNER_SUBJECT_REGEXP__: `^https://gitlab\\.com/${regExpQuote(path)}//\\.gitlab-ci\\.yml@refs/.+$`,
  };
}

/** Fills one template: per-image lines repeated, the other markers replaced everywhere. */
function fillTemplate(template: string, images: readonly Image[], markers: Readonly<Record<string, string>>): string {
  const repositories = [...new Map(images.map(i => [i.repository, i])).values()];
  const replace = (line: string, values: Readonly<Record<string, string>>) => line.replace(/__[A-Z_]+__/g, marker => values[marker] ?? marker);
  const eol = template.includes('\r\n') ? '\r\n' : '\n';
  return template
    .split(eol)
    .flatMap(line => {
      if (line.includes('__IMAGE__')) return images.map(i => replace(line, {...markers, __IMAGE__: i.image, __REPOSITORY__: i.repository, __REGISTRY__: i.registry}));
      if (line.includes('__REPOSITORY__')) return repositories.map(i => replace(line, {...markers, __REPOSITORY__: i.repository, __REGISTRY__: i.registry}));
      return [replace(line, markers)];
    })
    .join(eol);
}

/**
 * The signing CI jobs (for `options.forge`, GitHub by default) and the admission policies,
 * filled for `images`; paths are relative to the project root. Invalid or templated
 * references are left out; with none left there is nothing to sign and the result is empty.
 */
export function fillSigningTemplates(images: string[], options: SigningOptions = {}): Array<{file: string; text: string}> {
  const valid = imagesOf(images);
  if (valid.length === 0) return [];
  const forge = options.forge ?? 'github';
  const markers = identity(forge, options.repo);
  return (Object.keys(outputs) as SigningTemplateName[])
    .filter(name => outputs[name].forge === undefined || outputs[name].forge === forge)
    .map(name => ({file: outputs[name].file, text: fillTemplate(signingTemplates[name], valid, markers)}));
}
