import {composeFile, composeService} from './compose.js';
import {dockerRunFile, dockerRunScript} from './docker-run.js';
import type {RunConfig} from './model.js';
import {quadletFile, quadletUnit} from './quadlet.js';
import {fileBase} from './format.js';

export {composeFile, composeService, composeServiceName} from './compose.js';
export {dockerRunArgs, dockerRunCommand, dockerRunFile, dockerRunOptions, dockerRunScript, type RunOption} from './docker-run.js';
export {runConfigFromInspect} from './from-inspect.js';
export {generatedLabel, type KeptMount, type NameValue, type PortBinding, type RestartPolicy, type RunConfig, type RunConfigOptions, type RunWritable} from './model.js';
export {qualifiedImage, quadletFile, quadletUnit} from './quadlet.js';

/** One generated file: a `/`-separated path (`dir/name`) and its full text. */
export interface RunConfigFile {
  file: string;
  text: string;
}

/**
 * The three launch files of a hardened container, under `dir`: `<name>.run.sh` (docker
 * run), `<name>.compose.yaml` (compose) and `<name>.container` (Podman Quadlet). The
 * file names come from the container name with anything but `[A-Za-z0-9_.-]` replaced, so
 * no name can point outside `dir`.
 */
export function runConfigFiles(config: RunConfig, dir = 'hardened'): RunConfigFile[] {
  const join = (name: string) => (dir === '' ? name : `${dir.replace(/\/+$/, '')}/${name}`);
  return [
    {file: join(dockerRunFile(config)), text: dockerRunScript(config)},
    {file: join(composeFile(config)), text: composeService(config)},
    {file: join(quadletFile(config)), text: quadletUnit(config)},
  ];
}

/**
 * The configurations of several containers, each with a file base no other one has, ignoring
 * case (a case-insensitive file system takes `Web` and `web` for one file): the second of two
 * that would share one ends in `-2`, the third in `-3`. The writer never gets two patches for
 * one file.
 */
export function withUniqueFileBases(configs: readonly RunConfig[]): RunConfig[] {
  const taken = new Set(configs.map(c => fileBase(c.name).toLowerCase()));
  const used = new Set<string>();
  return configs.map(config => {
    const base = fileBase(config.name);
    if (!used.has(base.toLowerCase())) {
      used.add(base.toLowerCase());
      return config;
    }
    let n = 2;
    while (used.has(`${base}-${n}`.toLowerCase()) || taken.has(`${base}-${n}`.toLowerCase())) n++;
    used.add(`${base}-${n}`.toLowerCase());
    return {...config, fileBase: `${base}-${n}`};
  });
}
