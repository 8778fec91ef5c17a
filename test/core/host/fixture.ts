import {readFileSync} from 'node:fs';

/** Text of a file under test/fixtures/host. */
export function hostFixture(path: string): string {
  return readFileSync(new URL(`../../fixtures/host/${path}`, import.meta.url), 'utf8');
}

/** A `GET /info` payload under test/fixtures/host/info: default, rootless, userns. */
export function infoFixture(name: 'default' | 'rootless' | 'userns'): Record<string, unknown> {
  return JSON.parse(hostFixture(`info/${name}.json`)) as Record<string, unknown>;
}
