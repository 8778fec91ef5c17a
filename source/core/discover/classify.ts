/** What a file is to the audit, judged from its name. */
export type FileType = 'dockerfile' | 'compose' | 'yaml';

/** Directories that hold other people's code or tool state, never the project's own config. */
export const skippedDirectories = new Set([
  'node_modules', '.git', '.hg', '.svn', 'vendor', 'third_party', 'third-party', 'bower_components',
  '.venv', 'venv', '.tox', '__pycache__', '.terraform', '.next', '.nuxt', '.gradle', '.idea', '.harden',
]);

/** Names like Dockerfile.* that are not Dockerfiles: ignore files, templates, editor leftovers. */
const notDockerfile = /\.(dockerignore|template|tmpl|tpl|j2|jinja2?|erb|md|txt|orig|bak|rej|swp|sh|json|ya?ml)$/i;

export function classify(name: string): FileType | undefined {
  // compose, then nothing or a `.`/`-` suffix: compose.override.yml, docker-compose-dev.yml; not composer.yaml.
  if (/^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/i.test(name)) return 'compose';
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (notDockerfile.test(name)) return undefined;
  if (/^(Dockerfile|Containerfile)$/i.test(name)) return 'dockerfile';
  // Dockerfile.prod, and the dash and underscore spellings people use too: Dockerfile-dev, Dockerfile_prod.
  if (/^(Dockerfile|Containerfile)[._-][\w.-]+$/i.test(name)) return 'dockerfile';
  if (/^[\w.-]+\.(Dockerfile|Containerfile)$/i.test(name)) return 'dockerfile';
  return undefined;
}

/** A file named on the command line is audited even when its name says nothing: YAML by extension, else a Dockerfile. */
export function classifyExplicit(name: string): FileType {
  return classify(name) ?? (/\.(json|ya?ml)$/i.test(name) ? 'yaml' : 'dockerfile');
}
