// harden-demo: a web app with the three writes that break read-only migrations:
// an access log, a pid file and an on-disk cache.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const port = Number(process.env.PORT || 3000);
const logDir = process.env.LOG_DIR || '/app/logs';
const cacheDir = process.env.CACHE_DIR || '/app/cache';
const pidFile = process.env.PID_FILE || '/app/run/app.pid';

function mustWrite(what, fn) {
  try {
    fn();
  } catch (error) {
    // One clear line, so whoever runs it read-only sees which path needs a mount.
    console.error(`harden-demo: cannot write ${what}: ${error.message}`);
    process.exit(1);
  }
}

mustWrite(pidFile, () => {
  fs.mkdirSync(path.dirname(pidFile), {recursive: true});
  fs.writeFileSync(pidFile, `${process.pid}\n`);
});
mustWrite(logDir, () => fs.mkdirSync(logDir, {recursive: true}));
mustWrite(cacheDir, () => fs.mkdirSync(cacheDir, {recursive: true}));
const log = fs.createWriteStream(path.join(logDir, 'access.log'), {flags: 'a'});
log.on('error', error => {
  console.error(`harden-demo: cannot write ${logDir}: ${error.message}`);
  process.exit(1);
});

function page(name) {
  const cached = path.join(cacheDir, `${name}.html`);
  if (fs.existsSync(cached)) return fs.readFileSync(cached, 'utf8');
  const html = `<!doctype html><title>harden-demo</title><h1>Hello from ${name}</h1>\n`;
  fs.writeFileSync(cached, html);
  return html;
}

const server = http.createServer((request, response) => {
  log.write(`${new Date().toISOString()} ${request.method} ${request.url}\n`);
  if (request.url === '/healthz') {
    response.writeHead(200, {'content-type': 'application/json'});
    response.end('{"status":"ok"}\n');
    return;
  }
  response.writeHead(200, {'content-type': 'text/html'});
  response.end(page('index'));
});

server.listen(port, () => console.log(`harden-demo listening on :${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    fs.rmSync(pidFile, {force: true});
    server.close(() => process.exit(0));
  });
}
