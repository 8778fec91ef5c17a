// The "build": copies src/ to dist/ with comments stripped, as a bundler would.
// It only exists so the image has a build step whose tooling need not ship.
const fs = require('node:fs');
const path = require('node:path');

fs.mkdirSync('dist', {recursive: true});
for (const name of fs.readdirSync('src')) {
  const source = fs.readFileSync(path.join('src', name), 'utf8');
  const stripped = source.replace(/^\s*\/\/.*\n/gm, '');
  fs.writeFileSync(path.join('dist', name), stripped);
}
console.log('built dist/');
