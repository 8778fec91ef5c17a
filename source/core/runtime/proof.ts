/*
 * Whether a multi-stage rewrite does what the original did, judged from what each did when
 * run (issue 14: "proof by running"). The runtime builds both and runs them; this decides,
 * from plain observations, and says why in one line a person can act on.
 */

/** What one run of an image did. */
export type Observation =
  /** It answered a GET on its exposed port: the status and the first bytes of the body. */
  | {kind: 'http'; port: number; status: number; body: string}
  /** It ended by itself (a one-shot job): exit code and output, stdout and stderr together. */
  | {kind: 'exited'; exitCode: number; output: string}
  /** It neither answered nor ended: still running after `seconds`, as a worker does. */
  | {kind: 'running'; seconds: number}
  /** It did not get that far: never answered before it died or the time ran out. */
  | {kind: 'failed'; detail: string; logLine?: string};

/** One check of a proof, as verify's checks read. */
export interface ProofCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** The two runs of the original, which say what a rewrite must do and how exactly. */
export interface Reference {
  first: Observation;
  second: Observation;
}

/** A one-line account of an observation. */
export function describeObservation(o: Observation): string {
  switch (o.kind) {
    case 'http':
      return `GET / on port ${o.port} answered ${o.status}`;
    case 'exited':
      return `it exited with code ${o.exitCode}`;
    case 'running':
      return `still running after ${o.seconds} s`;
    case 'failed':
      return o.logLine ? `${o.detail}: ${o.logLine}` : o.detail;
  }
}

/**
 * What a run answered, short enough to stand beside another's (the wizard shows the original's
 * and the rewrite's side by side): the status and the body's first line, or the exit code and
 * the output's last meaningful line.
 */
export function answerOf(o: Observation): string {
  const quote = (text: string) => {
    const line = text.split(/\r?\n/).map(l => l.trim()).find(Boolean) ?? '';
    return line === '' ? '' : ` "${line.length > 60 ? `${line.slice(0, 59)}…` : line}"`;
  };
  switch (o.kind) {
    case 'http':
      return `GET / → ${o.status}${quote(o.body)}`;
    case 'exited':
      return `exit ${o.exitCode}${quote(lastMeaningful(o.output))}`;
    case 'running':
      return `running after ${o.seconds} s`;
    case 'failed':
      return `failed: ${o.logLine ?? o.detail}`;
  }
}

/**
 * Why the original cannot serve as the reference (it failed itself), or undefined. A rewrite
 * of an app that does not run here (it needs a database, the network) cannot be proven.
 */
export function unusableReference(reference: Reference): string | undefined {
  if (reference.first.kind === 'failed') return `the original does not run here either (${describeObservation(reference.first)})`;
  if (reference.first.kind !== reference.second.kind) return `the original did not do the same thing twice (${describeObservation(reference.first)}, then ${describeObservation(reference.second)})`;
  return undefined;
}

const firstLine = (text: string) => text.split(/\r?\n/).find(line => line.trim() !== '')?.trim().slice(0, 160) ?? '';

/**
 * Whether `rewrite` did what the original did. An answer's body, or a job's output, must be
 * the same only when the original gave the same one twice (a page with the time in it may
 * differ between any two runs); the status, exit code or kind must always match.
 */
export function compare(reference: Reference, rewrite: Observation, how: string): ProofCheck {
  const name = `same as the original (${how})`;
  const expected = reference.first;
  const fail = (detail: string): ProofCheck => ({name, ok: false, detail});
  if (rewrite.kind === 'failed') return fail(`${describeObservation(rewrite)}, where the original: ${describeObservation(expected)}`);
  if (rewrite.kind !== expected.kind) return fail(`${describeObservation(rewrite)}, where the original: ${describeObservation(expected)}`);
  if (rewrite.kind === 'http' && expected.kind === 'http') {
    if (rewrite.status !== expected.status) return fail(`GET / answered ${rewrite.status}, the original ${expected.status}`);
    const stable = reference.second.kind === 'http' && reference.second.body === expected.body;
    if (stable && rewrite.body !== expected.body) return fail(`GET / answered ${rewrite.status} with another body ("${firstLine(rewrite.body)}", the original "${firstLine(expected.body)}")`);
    return {name, ok: true, detail: `GET / answered ${rewrite.status}${stable ? ' with the same body' : ''}, as the original`};
  }
  if (rewrite.kind === 'exited' && expected.kind === 'exited') {
    if (rewrite.exitCode !== expected.exitCode) return fail(`it exited with code ${rewrite.exitCode}, the original with ${expected.exitCode}${rewrite.output ? `: ${lastMeaningful(rewrite.output)}` : ''}`);
    const stable = reference.second.kind === 'exited' && reference.second.output === expected.output;
    if (stable && rewrite.output !== expected.output) return fail(`it printed something else ("${firstDifference(expected.output, rewrite.output)}")`);
    return {name, ok: true, detail: `it exited with code ${rewrite.exitCode}${stable ? ' and printed the same' : ''}, as the original`};
  }
  return {name, ok: true, detail: `${describeObservation(rewrite)}, as the original`};
}

/** The line of a log most likely to say what went wrong: the last that reads as an error, else the last. */
export function lastMeaningful(log: string): string {
  const lines = log.split(/\r?\n/).map(line => line.trim()).filter(Boolean);
  const error = [...lines].reverse().find(line => /error|exception|cannot|can't|denied|not found|no such|EACCES|EROFS|ENOENT|traceback|fatal/i.test(line));
  return (error ?? lines.at(-1) ?? '').slice(0, 200);
}

function firstDifference(expected: string, actual: string): string {
  const [a, b] = [expected.split(/\r?\n/), actual.split(/\r?\n/)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `${(b[i] ?? '').slice(0, 120)}" where the original printed "${(a[i] ?? '').slice(0, 120)}`;
  }
  return '';
}
