import type {Subject} from '../model/facts.js';
import type {Finding} from '../model/finding.js';
import {containerFinding, named} from './container-facts.js';
import {elsewhere, finding} from './effective.js';
import type {Rule} from './rule.js';

/*
 * A privileged container has every capability and the host's devices: it can remount
 * its own root read-write, so read_only/readOnlyRootFilesystem protect nothing. Not
 * fixable: what the container really needs (one capability, one device) is a human's
 * call, and removing the flag blindly breaks the workloads that use it.
 */
export const privileged: Rule = {
  id: 'privileged',
  severity: 'high',
  title: 'Container is privileged',
  why: 'A privileged container holds every capability and the host\'s devices, so it can remount its read-only root filesystem writable and reach the host.',
  fix: 'Remove privileged and grant only the capabilities (cap_add / capabilities.add) or devices the workload needs.',
  fixable: false,
  check(subject: Subject): Finding[] {
    if (subject.kind === 'container') {
      const {container} = subject;
      if (!container.privileged) return [];
      const compose = container.compose ? `, or remove "privileged: true" from service "${container.compose.service}" and add only the cap_add it needs` : '';
      return [containerFinding(privileged, subject,
        `${named(container)} runs with --privileged, so it can remount its root filesystem writable and reach the host's devices, and a read-only root protects nothing; recreate it without --privileged, adding only the --cap-add or --device flags it needs${compose}.`)];
    }
    const setting = subject.kind === 'compose-service' ? subject.service.privileged
      : subject.kind === 'k8s-container' ? subject.container.security.privileged : undefined;
    if (setting?.value !== true) return [];
    const fix = subject.kind === 'compose-service'
      ? `remove "privileged: true" from service "${subject.service.name}"${elsewhere(subject, setting)} and add only the cap_add or devices it needs`
      : `remove securityContext.privileged: true from container "${subject.kind === 'k8s-container' ? subject.container.name : ''}" and add only the capabilities.add it needs`;
    return [finding(privileged, subject, setting,
      `A privileged container can remount its root filesystem writable and reach the host's devices, so a read-only root protects nothing; ${fix}.`,
      {detail: subject.kind === 'compose-service' ? elsewhere(subject, setting).trim() : ''})];
  },
};
