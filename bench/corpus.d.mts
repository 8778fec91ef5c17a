// Types for corpus.mjs, so tests can generate the bench's files.
export function mulberry32(seed: number): () => number;
export function dockerfile(seed: number, i: number): string;
export function compose(seed: number, i: number): string;
export function kubernetes(seed: number, i: number): string;
export function hugeCompose(seed: number, count: number): string;
export function hugeManifest(seed: number, count: number): string;
export function writeCorpus(root: string, n: number, seed: number): string[];
