import {posix} from 'node:path';
import {programs, type Segment} from './command.js';
import {afterCdReason, appDir, type ArtifactOutcome, type BuildContext, findAll, isRefusal, programName, refusal, resolveIn} from './artifacts.js';

/*
 * Python: the app is its source, so the whole WORKDIR is copied, plus what pip
 * installed. Into a virtualenv (`python -m venv /opt/venv`, then its pip or PATH): the
 * venv directory. Otherwise into the image's site-packages, whose path names the minor
 * version (/usr/local/lib/python3.12/site-packages: the table's `sitePackages`), and the
 * console scripts CMD runs (gunicorn) from /usr/local/bin. The slim sibling has the same
 * Python at the same path, so both work there unchanged.
 */

const otherManagers = /^(poetry|pipenv|uv|pdm|conda|mamba|micromamba|hatch|rye)$/;

function pipWords(segment: Segment): string[] | undefined {
  const w = segment.words;
  if (/^pip[0-9.]*$/.test(programName(w[0] ?? ''))) return w.slice(1);
  if (/^python[0-9.]*$/.test(programName(w[0] ?? '')) && w[1] === '-m' && /^pip[0-9.]*$/.test(w[2] ?? '')) return w.slice(3);
  return undefined;
}

function venvDir(segment: Segment): string | undefined {
  const w = segment.words;
  if (/^python[0-9.]*$/.test(programName(w[0] ?? '')) && w[1] === '-m' && w[2] === 'venv') return w.slice(3).find(x => !x.startsWith('-'));
  if (programName(w[0] ?? '') === 'virtualenv') return w.slice(1).find(x => !x.startsWith('-'));
  return undefined;
}

export function pythonArtifacts(ctx: BuildContext): ArtifactOutcome {
  const dir = appDir(ctx);
  if (isRefusal(dir)) return dir;
  const other = findAll(ctx, s => otherManagers.test(programName(s.words[0] ?? '')))[0];
  if (other) {
    return refusal(`the build installs with ${programName(other.segment.words[0]!)} (line ${other.placed.line}), whose environment the rewrite cannot locate; install with pip, or into a virtualenv`, other.placed.line);
  }
  const installs = findAll(ctx, s => pipWords(s)?.[0] === 'install');
  for (const install of installs) {
    const words = pipWords(install.segment)!;
    const flag = words.find(w => /^(--user|--target|-t|--prefix|--root)(=|$)/.test(w));
    if (flag) return refusal(`pip install ${flag.replace(/=.*/, '')} (line ${install.placed.line}) installs outside site-packages, where the rewrite cannot find it`, install.placed.line);
  }
  const venvs = findAll(ctx, s => venvDir(s) !== undefined);
  if (venvs[0]?.afterCd) return afterCdReason('python -m venv', venvs[0]);
  const venv = venvs[0] ? resolveIn(venvs[0].placed.workdir, venvDir(venvs[0].segment)!) : undefined;
  const path = ctx.env['PATH'] ?? '';
  const intoVenv = venv !== undefined && installs.every(i => i.segment.words[0]!.startsWith(`${venv}/`) || path.split(':').includes(`${venv}/bin`));

  const copies = [];
  const provided = [dir];
  const notes: string[] = [];
  if (intoVenv) {
    if (venv !== dir && !venv.startsWith(`${dir}/`)) copies.push({sources: [venv], to: venv});
    provided.push(venv);
  } else if (installs.length > 0) {
    const minor = ctx.groups['minor'];
    if (!minor || !ctx.builderEntry.sitePackages) return refusal(`the Python minor version is not in the tag "${ctx.groups['tag'] ?? ''}", so the site-packages directory to copy is unknown; use a python:3.X tag`);
    const site = ctx.builderEntry.sitePackages.replace('{minor}', minor);
    copies.push({sources: [site], to: site});
    provided.push(site);
    const scripts = ctx.entry ? programs(ctx.entry).filter(p => !p.includes('/') && !ctx.runtime.commands.has(p)) : [];
    for (const script of [...new Set(scripts)]) {
      const file = posix.join('/usr/local/bin', script);
      copies.push({sources: [file], to: file});
      provided.push(file);
    }
  }
  copies.push({sources: [dir], to: dir});
  notes.push(`the whole ${dir} is copied: a Python app's sources are what it runs`);
  return {copies, provided, notes};
}
