// Time to the first painted frame of a terminal program: the command runs in a pseudo-terminal
// (util-linux `script`, 80x24) and the clock stops when its output first shows `marker`
// (escape sequences stripped). The program is killed then, with its process group.
import {spawn} from 'node:child_process';

const quote = (word) => `'${String(word).replace(/'/g, `'\\''`)}'`;
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;

/**
 * Milliseconds from spawning `argv` until the terminal shows `marker`; rejects after `timeoutMs`.
 * The pty's size is set before the program starts, so it sees a real 80x24 terminal.
 */
export function firstFrame(argv, {cwd, env = process.env, marker, timeoutMs = 20_000}) {
  return new Promise((resolvePromise, reject) => {
    const command = `stty cols 80 rows 24 2>/dev/null; exec ${argv.map(quote).join(' ')}`;
    const start = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', command, '/dev/null'], {cwd, env: {...env, TERM: 'xterm-256color'}, detached: true, stdio: ['pipe', 'pipe', 'pipe']});
    let seen = '';
    let done = false;
    const finish = (error, ms) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (error) reject(error);
      else resolvePromise(ms);
    };
    const timer = setTimeout(() => finish(new Error(`no "${marker}" within ${timeoutMs} ms from ${argv.join(' ')}; saw: ${JSON.stringify(seen.slice(-300))}`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      const at = process.hrtime.bigint();
      seen += chunk.toString('utf8');
      if (marker.test(seen.replace(ansi, ''))) finish(undefined, Number(at - start) / 1e6);
    });
    child.on('error', (error) => finish(error));
    child.on('exit', () => setTimeout(() => finish(new Error(`${argv.join(' ')} exited before showing "${marker}": ${JSON.stringify(seen.slice(-300))}`)), 50));
  });
}
