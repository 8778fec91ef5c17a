import {describe, expect, it} from 'vitest';
import {printableName, projectFileProblem} from '../../source/core/project-file.js';

describe('projectFileProblem', () => {
  const accepted = ['compose.yaml', 'k8s/deployment.yaml', 'a b/ünï cödé.yaml', '.github/workflows/x.yml', '..hidden', 'x..y'];
  for (const file of accepted) it(`accepts ${file}`, () => expect(projectFileProblem(file)).toBeUndefined());

  const refused: Array<[unknown, string]> = [
    ['', 'is not a file name'],
    [undefined, 'is not a file name'],
    [42, 'is not a file name'],
    ['../etc/passwd', 'has an empty, "." or ".." part'],
    ['a/../../b', 'has an empty, "." or ".." part'],
    ['a//b', 'has an empty, "." or ".." part'],
    ['./a', 'has an empty, "." or ".." part'],
    ['a/', 'has an empty, "." or ".." part'],
    ['/etc/passwd', 'is an absolute path'],
    ['C:/Windows', 'is an absolute path'],
    ['..\\x', 'has a backslash'],
    ['a\nb', 'has a control character'],
    ['\u001b[2J', 'has a control character'],
    ['a\u0000b', 'has a control character'],
    ['x'.repeat(5000), 'is longer than 4096 characters'],
  ];
  for (const [file, problem] of refused) it(`refuses ${JSON.stringify(String(file).slice(0, 20))}`, () => expect(projectFileProblem(file)).toBe(problem));

  it('shows control characters as escapes', () => expect(printableName('a\u001b]52;c\u0007')).toBe('a\\x1b]52;c\\x07'));
});
