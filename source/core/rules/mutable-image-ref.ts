import type {ImageRef, Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * A tag can be moved to other content at any time, so the same file deploys a
 * different image tomorrow; only a digest names immutable content. `latest` or no tag
 * moves with every release, hence medium. A FROM whose `$VAR` could not be resolved
 * is reported at low with its own message rather than skipped: an image chosen by a
 * build argument is exactly where an unpinned tag slips in, and a silent pass would
 * read as "pinned".
 */
export const mutableImageRef: Rule = {
  id: 'mutable-image-ref',
  severity: 'low',
  title: 'Image is referenced by tag, not digest',
  why: 'A tag can be re-pointed to different content, so rebuilding or redeploying the same file can run a different image than the one that was reviewed.',
  fix: 'Pin the image by digest (name:tag@sha256:...) and let a bot such as Renovate or Dependabot update the digest.',
  fixable: false,
  check(subject: Subject): Finding[] {
    const refs: Array<{ref: ImageRef; where: string}> = [];
    if (subject.kind === 'dockerfile') {
      for (const stage of subject.dockerfile.stages) {
        if (stage.from && stage.fromStage === undefined) refs.push({ref: stage.from, where: 'FROM'});
      }
    } else if (subject.kind === 'compose-service') {
      // With `build`, `image:` is the name the build is tagged as, not something pulled.
      if (subject.service.image && !subject.service.build) refs.push({ref: subject.service.image, where: 'image:'});
    } else if (subject.kind === 'k8s-container' && subject.container.image) {
      refs.push({ref: subject.container.image, where: 'image:'});
    }
    // A running container runs one resolved image (its Image id); a later pull cannot change it.
    return refs.flatMap(({ref, where}) => check(subject, ref, where));
  },
};

function check(subject: Subject, ref: ImageRef, where: string): Finding[] {
  if (ref.digest) return [];
  if (ref.unresolved) {
    return [finding(mutableImageRef, subject, ref,
      `${where} ${ref.raw} depends on a variable harden could not resolve, so nothing shows which image it pulls or that it is pinned; ${subject.kind === 'dockerfile'
        ? 'give the ARG a default pinned by digest (name:tag@sha256:...) and pass digests from CI'
        : 'make sure the variable always holds a reference pinned by digest (name:tag@sha256:...)'}.`,
      {detail: `${where} ${ref.raw} (a variable harden could not resolve)`})];
  }
  const floating = ref.tag === undefined || ref.tag === 'latest';
  const tag = ref.tag === undefined ? 'has no tag, so it means "latest", which' : `uses the tag "${ref.tag}", which`;
  const moves = floating ? 'moves with every release' : 'can be re-pointed to different content';
  return [finding(mutableImageRef, subject, ref,
    `${where} ${ref.raw} ${tag} ${moves}, so the same file can build or run a different image than the one reviewed; pin it by digest as ${ref.raw}${floating && ref.tag === undefined ? ':<version>' : ''}@sha256:<digest> (docker buildx imagetools inspect shows it).`,
    {severity: floating ? 'medium' : 'low', detail: `${where} ${ref.raw}${ref.tag === undefined ? ' (no tag: latest)' : ''}`})];
}
