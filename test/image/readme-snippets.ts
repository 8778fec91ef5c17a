/**
 * The README's shell snippets, read the way a person copies them, so the image test runs
 * exactly what the README shows and the two cannot drift apart.
 */

/** The bodies of the fenced ```sh blocks under `heading` (up to the next heading of its level or above). */
export function shellBlocks(markdown: string, heading: string): string[] {
	const level = /^#+/.exec(heading)?.[0].length;
	if (level === undefined) throw new Error(`"${heading}" is not a Markdown heading`);
	const lines = markdown.split(/\r?\n/);
	const start = lines.findIndex(line => line.trimEnd() === heading);
	if (start < 0) throw new Error(`no "${heading}" heading`);
	const blocks: string[] = [];
	let body: string[] | undefined;
	for (const line of lines.slice(start + 1)) {
		if (body === undefined) {
			const next = /^(#+) /.exec(line);
			if (next && next[1]!.length <= level) break;
			if (/^```(sh|bash|shell)\s*$/.test(line)) body = [];
		} else if (line.startsWith('```')) {
			blocks.push(body.join('\n'));
			body = undefined;
		} else body.push(line);
	}
	if (body !== undefined) throw new Error(`an unclosed code block under "${heading}"`);
	return blocks;
}

/** The commands of a shell snippet: comment lines dropped, backslash-newline continuations joined. */
export function shellCommands(block: string): string[] {
	return block
		.replace(/\\\n\s*/g, '')
		.split('\n')
		.map(line => line.trim())
		.filter(line => line !== '' && !line.startsWith('#'));
}

/**
 * A README `docker run` command made safe for a test: the image name becomes the tag the
 * test built, and the container carries the test's label, so a run the test cannot finish
 * (a timeout, a crash) is still found and removed.
 */
export function forTest(command: string, image: string, tag: string, label: string): string {
	if (!command.startsWith('docker run ')) throw new Error(`not a docker run command: ${command}`);
	const name = new RegExp(`(?<=\\s)${image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|$)`, 'g');
	const uses = command.match(name)?.length ?? 0;
	if (uses !== 1) throw new Error(`expected the image ${image} once, found it ${uses} times: ${command}`);
	return command.replace(name, tag).replace(/^docker run /, `docker run --label ${label} `);
}
