import {describe, expect, it} from 'vitest';
import type {WriteHint} from '../../../source/core/model/facts.js';
import {parseDockerfile} from '../../../source/core/parse/dockerfile.js';

function hints(text: string): WriteHint[][] {
  const parsed = parseDockerfile('Dockerfile', text);
  expect(parsed.errors).toEqual([]);
  return parsed.facts!.stages.map(s => s.writeHints);
}

describe('Dockerfile write hints', () => {
  it('reads ENV names for logs, pid files and caches; a *_FILE names its directory', () => {
    expect(hints('FROM alpine\nENV LOG_DIR=/app/logs PID_FILE=/run/app/app.pid\nENV XDG_CACHE_HOME=/home/app/.cache\n')).toEqual([[
      {path: '/app/logs', evidence: 'ENV LOG_DIR=/app/logs (Dockerfile line 2)', source: 'dockerfile', mount: 'volume', line: 2},
      {path: '/run/app', evidence: 'ENV PID_FILE=/run/app/app.pid (Dockerfile line 2)', source: 'dockerfile', mount: 'tmpfs', line: 2},
      {path: '/home/app/.cache', evidence: 'ENV XDG_CACHE_HOME=/home/app/.cache (Dockerfile line 3)', source: 'dockerfile', mount: 'tmpfs', line: 3},
    ]]);
  });

  it('ignores ENV that are not write locations, relative, or under system trees', () => {
    expect(hints('FROM alpine\nENV APP_HOME=/srv CACHE_DIR=cache LOG_DIR=/var/log/$APP DATA_DIR=/usr/share/app CONF_DIR=/etc/app TMPDIR=/etc/tmp\n')).toEqual([[]]);
  });

  it('mkdir + chown in the same RUN is a hint', () => {
    expect(hints('FROM alpine\nRUN mkdir -p /app/data && chown -R app:app /app/data\n')).toEqual([[
      {path: '/app/data', evidence: 'RUN mkdir /app/data then chown/chmod for the runtime user (Dockerfile line 2)', source: 'dockerfile', mount: 'volume', line: 2},
    ]]);
  });

  it('mkdir, then chown/chmod of it (or a parent) in a later RUN is a hint', () => {
    expect(hints('FROM alpine\nRUN mkdir -p /var/cache/app /srv/uploads/img\nRUN echo\nRUN chown -R app /var/cache/app && chmod -R g+w /srv/uploads\n')).toEqual([[
      {path: '/var/cache/app', evidence: 'RUN mkdir /var/cache/app then chown/chmod for the runtime user (Dockerfile line 2)', source: 'dockerfile', mount: 'tmpfs', line: 2},
      {path: '/srv/uploads/img', evidence: 'RUN mkdir /srv/uploads/img then chown/chmod for the runtime user (Dockerfile line 2)', source: 'dockerfile', mount: 'volume', line: 2},
    ]]);
  });

  it('a chown before the mkdir does not count', () => {
    expect(hints('FROM alpine\nRUN chown app /data\nRUN mkdir /data\n')).toEqual([[]]);
  });

  it('mkdir without chown/chmod is no hint', () => {
    expect(hints('FROM alpine\nRUN mkdir -p /app/data /app/logs\n')).toEqual([[]]);
  });

  it('no hint for /usr or /etc paths, nor for kernel trees', () => {
    expect(hints('FROM alpine\nRUN mkdir -p /usr/local/app /etc/app /proc/x && chown -R app /usr/local/app /etc/app /proc/x\n')).toEqual([[]]);
  });

  it('resolves a relative mkdir against the WORKDIR in effect at that RUN', () => {
    expect(hints('FROM node:20\nWORKDIR /srv\nRUN mkdir -p uploads ./tmp/ && chown node uploads ./tmp\nWORKDIR /srv/src\n')).toEqual([[
      {path: '/srv/uploads', evidence: 'RUN mkdir uploads then chown/chmod for the runtime user (Dockerfile line 3)', source: 'dockerfile', mount: 'volume', line: 3},
      {path: '/srv/tmp', evidence: 'RUN mkdir ./tmp/ then chown/chmod for the runtime user (Dockerfile line 3)', source: 'dockerfile', mount: 'tmpfs', line: 3},
    ]]);
  });

  it('resolves a relative WORKDIR against the previous one, as Docker does', () => {
    const parsed = parseDockerfile('Dockerfile', 'FROM alpine\nWORKDIR /app\nWORKDIR api\nRUN mkdir logs && chown app logs\n');
    expect(parsed.facts!.stages[0]!.workdir).toEqual({value: '/app/api', line: 3});
    expect(parsed.facts!.stages[0]!.writeHints.map(h => h.path)).toEqual(['/app/api/logs']);
  });

  it('gives no hint for a relative mkdir when the WORKDIR is unknown or not absolute', () => {
    expect(hints('FROM alpine\nRUN mkdir logs && chown app logs\n')).toEqual([[]]);
    expect(hints('FROM alpine\nWORKDIR $HOME\nRUN mkdir logs && chown app logs\n')).toEqual([[]]);
  });

  it('reports a path once, at its first evidence, and per stage', () => {
    expect(hints('FROM alpine AS a\nENV DATA_DIR=/data\nRUN mkdir /data && chown app /data\nFROM alpine\nENV DATA_DIR=/data\n')).toEqual([
      [{path: '/data', evidence: 'ENV DATA_DIR=/data (Dockerfile line 2)', source: 'dockerfile', mount: 'volume', line: 2}],
      [{path: '/data', evidence: 'ENV DATA_DIR=/data (Dockerfile line 5)', source: 'dockerfile', mount: 'volume', line: 5}],
    ]);
  });

  it('reads mkdir/chown inside a RUN heredoc', () => {
    expect(hints('FROM alpine\nRUN <<EOF\nmkdir -p /var/lib/app\nchown app /var/lib/app\nEOF\n')).toEqual([[
      {path: '/var/lib/app', evidence: 'RUN mkdir /var/lib/app then chown/chmod for the runtime user (Dockerfile line 2)', source: 'dockerfile', mount: 'volume', line: 2},
    ]]);
  });
});
