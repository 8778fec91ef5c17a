/** `docker run`: creates the labelled volumes, then creates and starts the container. */
import {randomBytes} from 'node:crypto';
import type Docker from 'dockerode';
import type {RunningContainer, RunSpec} from '../ports.js';
import {isInterrupted} from './cleanup.js';
import {managedLabels, sessionId, sessionLabel} from './labels.js';
import {logged, reasonOf} from './log.js';
import {NetworkProber} from './prober.js';
import {removeContainerAndVolumes, StartedContainer} from './started-container.js';

/** The container config for a spec: one field per `docker run` flag, nothing implicit. */
export function containerOptions(
  spec: RunSpec,
  name: string,
  volumes: ReadonlyArray<{volume: string; target: string}>,
): Docker.ContainerCreateOptions {
  return {
    name,
    Image: spec.image,
    ...(spec.cmd ? {Cmd: [...spec.cmd]} : {}),
    ...(spec.user !== undefined ? {User: spec.user} : {}),
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    Labels: managedLabels('container', spec.labels),
    Tty: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      ReadonlyRootfs: spec.readOnly,
      Tmpfs: {...spec.tmpfs},
      Mounts: volumes.map(({volume, target}) => ({Type: 'volume', Source: volume, Target: target, ReadOnly: false})),
      NetworkMode: spec.network,
      // `no-new-privileges` without `:true`: the form both Docker and Podman accept.
      SecurityOpt: spec.noNewPrivileges ? ['no-new-privileges'] : [],
      ...(spec.capDrop ? {CapDrop: [...spec.capDrop]} : {}),
      ...(spec.capAdd && spec.capAdd.length > 0 ? {CapAdd: [...spec.capAdd]} : {}),
      // Nothing of the host's: no devices, no privileged mode, no bind mounts (only the volumes above).
      Privileged: false,
      Memory: spec.memoryBytes,
      PidsLimit: spec.pidsLimit,
    },
  };
}

/** Docker volume names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]`. */
function volumeName(name: string, suffix: string): string {
  const safe = name.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[-_.]+/, '').slice(0, 40);
  return `harden-${safe || 'volume'}-${suffix}`;
}

/**
 * Creates the spec's volumes (named `harden-<name>-<random>`, so that a user's volume of the
 * same name is never reused and then removed), creates the container and starts it. On any
 * failure everything created so far is removed before the error is rethrown.
 */
export async function runContainer(client: Docker, spec: RunSpec): Promise<RunningContainer> {
  // After Ctrl-C nothing new starts: the clean-up under way would not know of it.
  if (isInterrupted()) throw new Error('interrupted: no new container is started');
  const suffix = randomBytes(4).toString('hex');
  const name = `harden-wizard-${suffix}`;
  const created: string[] = [];
  let id: string | undefined;
  try {
    const volumes: Array<{volume: string; target: string}> = [];
    for (const {name: wanted, target} of spec.volumes) {
      const volume = volumeName(wanted, suffix);
      const volumeLabels = managedLabels('volume', spec.labels);
      await logged('create volume', volume, () => client.createVolume({Name: volume, Labels: volumeLabels}));
      // Creating an existing volume returns it unchanged: only one with our session label is ours.
      const {Labels} = await client.getVolume(volume).inspect();
      if (Labels?.[sessionLabel] !== sessionId) {
        throw new Error(`volume ${volume} already exists and is not harden-wizard's`);
      }
      created.push(volume);
      volumes.push({volume, target});
    }
    const container = await logged('create container', name, () =>
      client.createContainer(containerOptions(spec, name, volumes)),
    );
    id = container.id;
    await logged('start container', container.id, () => container.start());
    return new StartedContainer(client, container.id, created, new NetworkProber(client, spec.labels));
  } catch (error) {
    await removeContainerAndVolumes(client, id, created).catch(() => undefined);
    throw new Error(`failed to run ${spec.image}: ${reasonOf(error)}`, {cause: error});
  }
}
