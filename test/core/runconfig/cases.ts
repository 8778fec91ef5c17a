import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {FileChangeFact} from '../../../source/core/model/facts.js';

/*
 * The golden cases: realistic inspect JSON (test/fixtures/inspect/, and a node app captured
 * from a real engine in test/fixtures/runconfig/shop-api/), the changes each container made,
 * and one case of hostile names and values.
 */

export const goldenRoot = 'test/fixtures/runconfig';

const json = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

export interface GoldenCase {
  name: string;
  inspect: unknown;
  changes: FileChangeFact[];
  image?: unknown;
}

type Inspect = Array<{Name: string; Config: {Env: string[]; Cmd: string[]; Labels: Record<string, string>}}>;

/** nginx-plain with a name, environment, labels and a command that try every trick on the shell, YAML and systemd. */
function hostile(): unknown {
  const inspect = structuredClone(json('test/fixtures/inspect/nginx-plain.json')) as Inspect;
  const container = inspect[0]!;
  container.Name = "/web'$(id)`uname`;\nrm -rf ~ %n ${HOME}";
  container.Config.Env.push(
    'GREETING=it\'s "quoted" $(not run) `nor this` ; & | > <\nsecond line %h $$ ${HOME} \\ tab\tend',
    'EMPTY=',
    'UNICODE=héllo ✓ 😀 \u2028 next',
  );
  container.Config.Labels['com.example.note'] = 'a;b|c$(d) #not a comment';
  container.Config.Cmd = ['sh', '-c', 'echo "$HOSTNAME" > /tmp/x; exec nginx -g \'daemon off;\''];
  return inspect;
}

export function goldenCases(): GoldenCase[] {
  const changes = (name: string) => json(join(goldenRoot, name, 'changes.json')) as FileChangeFact[];
  const nginxImage = json('test/fixtures/inspect/nginx-image.json');
  return [
    {name: 'nginx-plain', inspect: json('test/fixtures/inspect/nginx-plain.json'), image: nginxImage, changes: changes('nginx-plain')},
    // No image inspect: command, entrypoint and environment are kept as inspected.
    {name: 'nginx-read-only', inspect: json('test/fixtures/inspect/nginx-read-only.json'), changes: changes('nginx-read-only')},
    {name: 'postgres-compose', inspect: json('test/fixtures/inspect/postgres-compose.json'), changes: changes('postgres-compose')},
    {
      name: 'shop-api',
      inspect: json(join(goldenRoot, 'shop-api', 'inspect.json')),
      image: json(join(goldenRoot, 'shop-api', 'image.json')),
      changes: changes('shop-api'),
    },
    {name: 'hostile', inspect: hostile(), image: nginxImage, changes: changes('hostile')},
  ];
}
