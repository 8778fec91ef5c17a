/*
 * The files of templates/signing/, embedded so the pure core can fill them without a file
 * system. Generated: test/core/templates/signing.test.ts checks that they match the files
 * byte for byte, and UPDATE_GOLDEN=1 rewrites this module from them. Edit the files.
 */

export type SigningTemplateName =
  | 'github-key.yml'
  | 'github-keyless.yml'
  | 'gitlab-key.yml'
  | 'gitlab-keyless.yml'
  | 'kyverno-key.yaml'
  | 'kyverno-keyless.yaml'
  | 'sigstore-key.yaml'
  | 'sigstore-keyless.yaml';

export const signingTemplates: Readonly<Record<SigningTemplateName, string>> = {
  'github-key.yml': `# Signs the images harden-wizard hardened with the project's cosign key, by digest.
#
# Create the key pair once (cosign generate-key-pair), store the content of cosign.key in
# the COSIGN_PRIVATE_KEY secret and its password in COSIGN_PASSWORD, and give cosign.pub
# to the cluster (signing/kyverno-verify-images-key.yaml or
# signing/sigstore-verify-images-key.yaml). Run it after the images are pushed, from the
# workflow that pushes them:
#   jobs:
#     sign:
#       needs: push
#       uses: ./.github/workflows/harden-sign-images-key.yml
#       permissions: {contents: read, packages: write}
#       secrets: inherit
# or by hand (Actions > harden-sign-images-key > Run workflow).
# Registry login: GITHUB_TOKEN for ghcr.io; for another registry set the
# REGISTRY_USERNAME and REGISTRY_PASSWORD secrets.
name: harden-sign-images-key

on:
  workflow_dispatch:
  workflow_call:

permissions:
  contents: read
  packages: write

jobs:
  sign:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        include:
          - {image: "__IMAGE__", repository: "__REPOSITORY__", registry: "__REGISTRY__"}
    steps:
      - name: Install cosign
        uses: sigstore/cosign-installer@v3
      - name: Log in to the registry
        uses: docker/login-action@v3
        with:
          registry: \${{ matrix.registry }}
          username: \${{ secrets.REGISTRY_USERNAME || github.actor }}
          password: \${{ secrets.REGISTRY_PASSWORD || secrets.GITHUB_TOKEN }}
      - name: Sign the pushed image by digest with the project key
        env:
          IMAGE: \${{ matrix.image }}
          REPOSITORY: \${{ matrix.repository }}
          COSIGN_PRIVATE_KEY: \${{ secrets.COSIGN_PRIVATE_KEY }}
          COSIGN_PASSWORD: \${{ secrets.COSIGN_PASSWORD }}
        run: |
          digest="$(docker buildx imagetools inspect "$IMAGE" | awk '$1 == "Digest:" {print $2; exit}')"
          case "$digest" in
            sha256:*) ;;
            *) echo "no digest found for $IMAGE: push it first" >&2; exit 1 ;;
          esac
          cosign sign --yes --key env://COSIGN_PRIVATE_KEY "$REPOSITORY@$digest"
`,
  'github-keyless.yml': `# Signs the images harden-wizard hardened, keyless: cosign gets a short-lived certificate
# for this workflow's GitHub OIDC identity (hence id-token: write), signs each image by
# digest and records the signature in the Rekor transparency log. No key to keep.
#
# Run it after the images are pushed, from the workflow that pushes them:
#   jobs:
#     sign:
#       needs: push
#       uses: ./.github/workflows/harden-sign-images.yml
#       permissions: {contents: read, packages: write, id-token: write}
#       secrets: inherit
# or by hand (Actions > harden-sign-images > Run workflow). The admission policies in
# signing/ trust exactly this file of this repository, so keep its name.
# Registry login: GITHUB_TOKEN for ghcr.io; for another registry set the
# REGISTRY_USERNAME and REGISTRY_PASSWORD secrets.
name: harden-sign-images

on:
  workflow_dispatch:
  workflow_call:

permissions:
  contents: read
  packages: write
  id-token: write

jobs:
  sign:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        include:
          - {image: "__IMAGE__", repository: "__REPOSITORY__", registry: "__REGISTRY__"}
    steps:
      - name: Install cosign
        uses: sigstore/cosign-installer@v3
      - name: Log in to the registry
        uses: docker/login-action@v3
        with:
          registry: \${{ matrix.registry }}
          username: \${{ secrets.REGISTRY_USERNAME || github.actor }}
          password: \${{ secrets.REGISTRY_PASSWORD || secrets.GITHUB_TOKEN }}
      - name: Sign the pushed image by digest
        env:
          IMAGE: \${{ matrix.image }}
          REPOSITORY: \${{ matrix.repository }}
        run: |
          digest="$(docker buildx imagetools inspect "$IMAGE" | awk '$1 == "Digest:" {print $2; exit}')"
          case "$digest" in
            sha256:*) ;;
            *) echo "no digest found for $IMAGE: push it first" >&2; exit 1 ;;
          esac
          cosign sign --yes "$REPOSITORY@$digest"
`,
  'gitlab-key.yml': `# Signs the images harden-wizard hardened with the project's cosign key, by digest.
#
# Create the key pair once (cosign generate-key-pair), store the content of cosign.key in
# the COSIGN_PRIVATE_KEY CI/CD variable and its password in COSIGN_PASSWORD (both masked
# and protected), and give cosign.pub to the cluster (signing/kyverno-verify-images-key.yaml
# or signing/sigstore-verify-images-key.yaml). Include it from .gitlab-ci.yml:
#   include:
#     - local: .gitlab/harden-sign-images-key.yml
# It runs in the .post stage, after the images are pushed.
# Registry login: the project's registry by default; for another registry set the
# REGISTRY_USER and REGISTRY_PASSWORD CI/CD variables.
harden-sign-images-key:
  stage: .post
  image: docker:27
  services:
    - docker:27-dind
  variables:
    COSIGN_YES: "true"
  parallel:
    matrix:
      - {IMAGE: "__IMAGE__", REPOSITORY: "__REPOSITORY__", REGISTRY: "__REGISTRY__"}
  before_script:
    - apk add --no-cache cosign
    - echo "\${REGISTRY_PASSWORD:-$CI_REGISTRY_PASSWORD}" | docker login --username "\${REGISTRY_USER:-$CI_REGISTRY_USER}" --password-stdin "$REGISTRY"
  script:
    - DIGEST="$(docker buildx imagetools inspect "$IMAGE" | awk '$1 == "Digest:" {print $2; exit}')"
    - 'case "$DIGEST" in sha256:*) ;; *) echo "no digest found for $IMAGE: push it first" >&2; exit 1 ;; esac'
    - cosign sign --key env://COSIGN_PRIVATE_KEY "$REPOSITORY@$DIGEST"
`,
  'gitlab-keyless.yml': `# Signs the images harden-wizard hardened, keyless: cosign (2.0.1 or later) takes the
# GitLab OIDC ID token with the sigstore audience from SIGSTORE_ID_TOKEN, signs each image
# by digest and records the signature in the Rekor transparency log. No key to keep.
# GitLab.com only, and the job must be defined in this project (a local include is fine):
#   include:
#     - local: .gitlab/harden-sign-images.yml
# It runs in the .post stage, after the images are pushed. The admission policies in
# signing/ trust this project's .gitlab-ci.yml on any ref.
# Registry login: the project's registry by default; for another registry set the
# REGISTRY_USER and REGISTRY_PASSWORD CI/CD variables.
harden-sign-images:
  stage: .post
  image: docker:27
  services:
    - docker:27-dind
  variables:
    COSIGN_YES: "true"
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
  parallel:
    matrix:
      - {IMAGE: "__IMAGE__", REPOSITORY: "__REPOSITORY__", REGISTRY: "__REGISTRY__"}
  before_script:
    - apk add --no-cache cosign
    - echo "\${REGISTRY_PASSWORD:-$CI_REGISTRY_PASSWORD}" | docker login --username "\${REGISTRY_USER:-$CI_REGISTRY_USER}" --password-stdin "$REGISTRY"
  script:
    - DIGEST="$(docker buildx imagetools inspect "$IMAGE" | awk '$1 == "Digest:" {print $2; exit}')"
    - 'case "$DIGEST" in sha256:*) ;; *) echo "no digest found for $IMAGE: push it first" >&2; exit 1 ;; esac'
    - cosign sign "$REPOSITORY@$DIGEST"
`,
  'kyverno-key.yaml': `# Admits only images signed with the project's cosign key (Kyverno 1.10 or later).
# Give Kyverno the public key first:
#   kubectl --namespace kyverno create secret generic cosign-pub --from-file=cosign.pub=cosign.pub
# It starts in Audit: failures show in policy reports and nothing is blocked. When every
# image verifies, set validationFailureAction to Enforce. (Kyverno 1.13 deprecates
# spec.validationFailureAction in favour of a failureAction per rule; it still works.)
# mutateDigest is off because Kyverno refuses it in Audit, and harden already pins digests.
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: harden-verify-images-key
  annotations:
    policies.kyverno.io/title: Verify image signatures (harden-wizard, cosign key)
spec:
  validationFailureAction: Audit
  background: false
  webhookTimeoutSeconds: 30
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds:
                - Pod
      verifyImages:
        - imageReferences:
            - "__REPOSITORY__*"
          mutateDigest: false
          verifyDigest: true
          required: true
          attestors:
            - entries:
                - keys:
                    publicKeys: "k8s://kyverno/cosign-pub"
                    rekor:
                      url: https://rekor.sigstore.dev
`,
  'kyverno-keyless.yaml': `# Admits only images signed keyless by the harden-sign-images CI job (Kyverno 1.10 or later).
# It starts in Audit: failures show in policy reports and nothing is blocked. When every
# image verifies, set validationFailureAction to Enforce. (Kyverno 1.13 deprecates
# spec.validationFailureAction in favour of a failureAction per rule; it still works.)
# mutateDigest is off because Kyverno refuses it in Audit, and harden already pins digests.
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: harden-verify-images
  annotations:
    policies.kyverno.io/title: Verify image signatures (harden-wizard, keyless)
spec:
  validationFailureAction: Audit
  background: false
  webhookTimeoutSeconds: 30
  rules:
    - name: verify-signature
      match:
        any:
          - resources:
              kinds:
                - Pod
      verifyImages:
        - imageReferences:
            - "__REPOSITORY__*"
          mutateDigest: false
          verifyDigest: true
          required: true
          attestors:
            - entries:
                - keyless:
                    issuer: "__OIDC_ISSUER__"
                    subject: "__SIGNER_SUBJECT__"
                    rekor:
                      url: https://rekor.sigstore.dev
`,
  'sigstore-key.yaml': `# Admits only images signed with the project's cosign key (sigstore policy-controller).
# Give the controller the public key first, in a secret that holds nothing else (it reads
# the secret's first value):
#   kubectl --namespace cosign-system create secret generic cosign-pub --from-file=cosign.pub=cosign.pub
# The controller checks only namespaces labelled
#   kubectl label namespace NAMESPACE policy.sigstore.dev/include=true
# It starts in warn mode: failures are warnings and nothing is blocked. When every image
# verifies, set mode to enforce.
apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: harden-verify-images-key
spec:
  mode: warn
  images:
    - glob: "__REPOSITORY__*"
  authorities:
    - name: cosign-key
      key:
        secretRef:
          name: cosign-pub
      ctlog:
        url: https://rekor.sigstore.dev
`,
  'sigstore-keyless.yaml': `# Admits only images signed keyless by the harden-sign-images CI job (sigstore
# policy-controller). The controller checks only namespaces labelled
#   kubectl label namespace NAMESPACE policy.sigstore.dev/include=true
# It starts in warn mode: failures are warnings and nothing is blocked. When every image
# verifies, set mode to enforce.
apiVersion: policy.sigstore.dev/v1beta1
kind: ClusterImagePolicy
metadata:
  name: harden-verify-images
spec:
  mode: warn
  images:
    - glob: "__REPOSITORY__*"
  authorities:
    - name: harden-sign-images
      keyless:
        url: https://fulcio.sigstore.dev
        identities:
          - issuer: "__OIDC_ISSUER__"
            subjectRegExp: '__SIGNER_SUBJECT_REGEXP__'
      ctlog:
        url: https://rekor.sigstore.dev
`,
};
