import {describe, expect, it} from 'vitest';
import {volumeNames} from '../../source/core/volume-names.js';

describe('volumeNames', () => {
  it('names volumes before tmpfs paths, so the name compose writes carries no -2', () => {
    const names = volumeNames('postgres', [
      {path: '/var/run/postgresql', mount: 'tmpfs'},
      {path: '/var/lib/postgresql', mount: 'volume'},
      {path: '/tmp', mount: 'tmpfs'},
    ]);
    expect(Object.fromEntries(names)).toEqual({'/var/lib/postgresql': 'postgres-postgresql', '/run/postgresql': 'postgres-postgresql-2', '/tmp': 'postgres-tmp'});
  });

  it('skips names already taken and names a path once', () => {
    const names = volumeNames('web', [{path: '/app/logs', mount: 'volume'}, {path: '/app/logs/', mount: 'volume'}, {path: '/srv/logs', mount: 'volume'}], ['web-logs']);
    expect(Object.fromEntries(names)).toEqual({'/app/logs': 'web-logs-2', '/srv/logs': 'web-logs-3'});
  });

  it('gives DNS-1123 labels of at most 63 characters for hostile and huge names', () => {
    const names = volumeNames('Web_App.\u0000é'.repeat(20), [{path: '/', mount: 'volume'}, {path: '/x/--', mount: 'volume'}, ...Array.from({length: 12}, () => ({path: `/a/${Math.random()}`, mount: 'tmpfs' as const}))]);
    for (const name of names.values()) expect(name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    expect(new Set(names.values()).size).toBe(names.size);
    expect(volumeNames('---', [{path: '/---', mount: 'volume'}]).get('/---')).toBe('data');
  });
});
