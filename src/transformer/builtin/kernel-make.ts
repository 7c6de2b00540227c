/**
 * Host commands of a kernel build: output streamed to the build log (never held whole in memory:
 * a kernel build prints tens of thousands of lines), the last lines kept for the error message,
 * and the whole process group stopped on abort or timeout.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { TransformerStepError } from '../types.js';

export interface RunLoggedOptions {
  logFile: string;
  signal: AbortSignal;
  /** The step a failure is reported as (`source`, `config`, `build`). */
  step: string;
  cwd?: string;
  timeoutMs?: number;
  /** Called with each output line (progress). */
  onLine?: (line: string) => void;
  /** Message for a failure instead of the command and its output. */
  quietFailure?: string;
}

const TAIL_LINES = 25;
const MAX_STDOUT = 1 << 20;

/** Runs `cmd args`; resolves with stdout (up to 1 MiB) or throws a TransformerStepError. */
export function runLogged(cmd: string, args: string[], o: RunLoggedOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(o.logFile, { flags: 'a' });
    log.write(`$ ${[cmd, ...args].join(' ')}${o.cwd ? `   (in ${o.cwd})` : ''}\n`);
    const child = spawn(cmd, args, { cwd: o.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let stdout = '';
    let timedOut = false;
    const keep = (text: string, isStdout: boolean) => {
      log.write(text);
      if (isStdout && stdout.length < MAX_STDOUT) stdout += text;
      for (const line of text.split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        o.onLine?.(line);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => keep(d, true));
    child.stderr.setEncoding('utf8').on('data', (d: string) => keep(d, false));
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    const timer = o.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, o.timeoutMs)
      : undefined;
    o.signal.addEventListener('abort', kill, { once: true });
    const done = (err?: Error) => {
      if (timer) clearTimeout(timer);
      o.signal.removeEventListener('abort', kill);
      log.end(() => (err ? reject(err) : resolve(stdout)));
    };
    child.on('error', (e) =>
      done(new TransformerStepError(o.step, `cannot run ${cmd}: ${e.message} (is it installed on the host?)`)),
    );
    child.on('close', (code, sig) => {
      if (code === 0) return done();
      const why = o.signal.aborted
        ? 'was stopped: the run was interrupted'
        : timedOut
          ? `timed out after ${Math.round(o.timeoutMs! / 1000)} s`
          : `exited with ${code ?? sig}`;
      const message =
        o.quietFailure && !timedOut && !o.signal.aborted
          ? o.quietFailure
          : `\`${[cmd, ...args].join(' ')}\` ${why}; last lines:\n${tail.join('\n')}\n(log: ${o.logFile})`;
      done(new TransformerStepError(o.step, message));
    });
  });
}
