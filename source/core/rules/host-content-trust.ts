import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {hostFinding} from './host-facts.js';
import type {Rule} from './rule.js';

/** Where harden keeps its image-signing templates (cosign, Kyverno). */
export const signingTemplates = 'templates/signing/';

/*
 * Information only, in both directions. Docker is retiring Content Trust (Notary v1): since
 * 8 August 2025 the oldest Docker Official Images signing certificates expire and pulls of
 * those images fail with DOCKER_CONTENT_TRUST=1 (docker.com/blog/retiring-docker-content-trust).
 * So unset is not simply "turn it on", and set is worth a warning. The docker CLI counts any
 * non-empty value that is not a Go false (0, f, false) as on.
 */
export const contentTrust: Rule = {
  id: 'content-trust',
  severity: 'info',
  title: 'Image signatures are not checked where images are pulled and built',
  why: 'A build or pull that checks no signature accepts whatever the registry serves under a tag, so the image that runs may not be the one that was reviewed.',
  fix: 'Sign the images you build (cosign or Notation), verify signatures in CI and at deploy time, and pin images by digest.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind !== 'host') return [];
    const value = subject.host.contentTrust;
    const on = value !== undefined && value !== '' && !/^(0|f|false)$/i.test(value);
    if (on) {
      return [hostFinding(contentTrust, subject,
        `DOCKER_CONTENT_TRUST=${value} is set in this environment, so pulls and builds here require Docker Content Trust signatures, which Docker is retiring: since 8 August 2025 pulls of Docker Official Images fail with it; move to cosign or Notation signatures verified in CI and at deploy time (see ${signingTemplates}) and unset it where it blocks builds.`)];
    }
    return [hostFinding(contentTrust, subject,
      `DOCKER_CONTENT_TRUST is not set in the environment harden runs in, so docker pull, build and run here take images without checking a signature. It lives in the environment of whatever runs builds (the CI job's env:, the build user's profile): DOCKER_CONTENT_TRUST=1 there makes the docker CLI refuse unsigned tags. Trade-off: Docker is retiring Content Trust, and since 8 August 2025 pulls of Docker Official Images fail with it, so set it only where every image you pull still carries DCT signatures; otherwise sign what you build with cosign or Notation and verify it in CI and at deploy time (see ${signingTemplates}), and pin base images by digest.`)];
  },
};
