import type {Step} from './state.js';

/** Workshop mode (`harden demo`): one line per step on why it matters (OWASP Docker Top 10 D09). */
export const lessons: Record<Step, string> = {
  scanning: 'Immutability starts with knowing what runs: every image, service and pod.',
  targets: 'Harden what you ship: each target becomes read-only, minimal and non-root.',
  findings: 'Each finding is a way a running container can change; immutable ones cannot.',
  paths: 'A read-only root still needs places to write: name those, nothing more.',
  dockerfile: 'A runtime stage without compilers or sources leaves an attacker fewer tools.',
  review: 'Read the diff: a change you understand is a change you can keep.',
  writing: 'Every write is atomic and backed up, so rolling back is one command.',
  verifying: 'Proof, not hope: build it, run it read-only, and watch for failed writes.',
  extras: 'Immutable means the image is the one you built: pin it, sign it, and watch for drift.',
  host: 'Containers are only as immutable as the daemon and the node they run on.',
  summary: 'Same image, same config, every start: that is what makes rollback easy.',
  failed: 'A failure here changed nothing you cannot undo; read it and try again.',
};
