import {readFile} from 'node:fs/promises';
import {describe, expect, it} from 'vitest';
import {forTest, shellBlocks, shellCommands} from './readme-snippets.js';

const markdown = `# tool

## Before

\`\`\`sh
not this
\`\`\`

## Container image

Text.

\`\`\`sh
# a comment
docker build -t tool .
docker run --rm \\
  -v "$PWD:/work:ro" tool audit
\`\`\`

### A subsection stays in the section

\`\`\`text
output, not a command
\`\`\`

\`\`\`sh
docker run --rm tool verify .
\`\`\`

## After

\`\`\`sh
nor this
\`\`\`
`;

describe('README snippets', () => {
	it('takes the shell blocks of one section, subsections included', () => {
		expect(shellBlocks(markdown, '## Container image')).toEqual([
			'# a comment\ndocker build -t tool .\ndocker run --rm \\\n  -v "$PWD:/work:ro" tool audit',
			'docker run --rm tool verify .',
		]);
	});

	it('splits a block into commands, joining continuations and dropping comments', () => {
		const [block] = shellBlocks(markdown, '## Container image');
		expect(shellCommands(block!)).toEqual(['docker build -t tool .', 'docker run --rm -v "$PWD:/work:ro" tool audit']);
	});

	it('names a missing heading', () => {
		expect(() => shellBlocks(markdown, '## Nowhere')).toThrow('no "## Nowhere" heading');
	});

	it('swaps the image for the test tag and adds the label, only where the image is a word', () => {
		expect(forTest('docker run --rm -v "$PWD:/tool" tool audit', 'tool', 'x/y:1', 'k=v')).toBe(
			'docker run --label k=v --rm -v "$PWD:/tool" x/y:1 audit',
		);
		expect(() => forTest('docker run --rm other audit', 'tool', 'x', 'k=v')).toThrow('found it 0 times');
		expect(() => forTest('docker build -t tool .', 'tool', 'x', 'k=v')).toThrow('not a docker run command');
	});

	it('finds two snippets in the real README: build and audit, then the socket mount', async () => {
		const blocks = shellBlocks(await readFile('README.md', 'utf8'), '## Container image');
		expect(blocks).toHaveLength(2);
		expect(shellCommands(blocks[0]!)[0]).toMatch(/^docker build /);
		expect(blocks[1]).toContain('/var/run/docker.sock:/var/run/docker.sock');
	});
});
