// The unoptimised audit the bench checks `harden audit --format json` against: every file
// read and held (loadProject, as fix and the wizard read them), Dockerfiles through
// dockerfile-ast alone (no line scanner), the report as one JSON.stringify string. The bench
// bundles this file with esbuild at start; it is not shipped.
import {analyzeFiles} from '../source/core/audit.js';
import {parseDockerfileAst} from '../source/core/parse/dockerfile.js';
import {defaultMaxBytes} from '../source/core/parse/text.js';
import {formatJson} from '../source/core/report/json.js';
import {nodeFileSystem} from '../source/runtime/fs/node-fs.js';
import {loadProject} from '../source/runtime/project/load.js';

const [dir, version] = process.argv.slice(2);
if (!dir || !version) throw new Error('usage: reference-audit DIR VERSION');
const project = await loadProject(nodeFileSystem, ['.'], dir, defaultMaxBytes);
const {report} = analyzeFiles(project.files, {version, parseDockerfile: parseDockerfileAst});
report.errors.unshift(...project.errors);
process.stdout.write(formatJson(report));
