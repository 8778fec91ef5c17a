import {describe, expect, it} from 'vitest';
import {analyzeFiles, type LoadedFile} from '../../../source/core/audit.js';
import {buildPlan} from '../../../source/core/plan/build.js';

/*
 * One source for the user (issue 15): the root-user finding proposes the USER that
 * `harden fix` then writes, whether the fix rewrites to multi-stage (node's own 1000,
 * distroless' 65532, a new app user 10001) or adds USER to a multi-stage file.
 */
const cases: Array<[string, string]> = [
  ['node single-stage', 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n'],
  ['python single-stage', 'FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n'],
  ['go with CGO_ENABLED=0', 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nENV CGO_ENABLED=0\nRUN go build -o /app .\nCMD ["/app"]\n'],
  ['nginx after a node build', 'FROM node:20 AS build\nWORKDIR /src\nCOPY . .\nRUN npm run build\nFROM nginx:1.27\nCOPY --from=build /src/dist /usr/share/nginx/html\n'],
  ['explicit USER root', 'FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nCOPY --from=build /app /app\nUSER root\nCMD ["node", "/app/server.js"]\n'],
];

describe('the root-user finding proposes the USER harden fix writes', () => {
  it.each(cases)('%s', (_name, text) => {
    const files: LoadedFile[] = [{file: 'Dockerfile', type: 'dockerfile', text}];
    const analysis = analyzeFiles(files, {version: 't'});
    const finding = analysis.report.findings.find(f => f.rule === 'root-user');
    const proposed = /USER (\d+:\d+)/.exec(finding?.message ?? '')?.[1];
    expect(proposed, finding?.message).toBeDefined();
    const plan = buildPlan({analysis, files, cwd: '/p', version: 't'}, {writable: [], capDrop: false});
    const written = plan.files.find(f => f.file === 'Dockerfile')?.text ?? '';
    const users = [...written.matchAll(/^USER (.+)$/gm)].map(m => m[1]);
    expect(users.at(-1), written).toBe(proposed);
  });
});
