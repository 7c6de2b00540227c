/**
 * The ARM endpoint's guests must not outlive it. QEMU is started detached (a kept qemu-platform
 * environment needs that), so a SIGKILLed endpoint would leave its guests running forever. This
 * file is both sides of a watchdog: `startWatchdog` (in the endpoint) spawns this file as a small
 * process holding the read end of a pipe; when the endpoint dies by any means the pipe reaches EOF
 * (and, as a second check, its pid stops answering), and the watchdog SIGKILLs every QEMU process
 * whose command line names the endpoint's directory (guests and warm-snapshot builds alike, all of
 * which live below it), then exits.
 *   node watchdog.js <endpoint pid> <endpoint dir>
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processAlive } from '../../../src/process/alive.js';

/** PIDs of live QEMU processes whose command line contains `marker`. */
export function qemuProcessesOf(marker: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      if (!cmd.includes('qemu-system') || !cmd.includes(marker)) continue;
      if (/\) Z /.test(readFileSync(`/proc/${p}/stat`, 'utf8'))) continue;
      out.push(Number(p));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export interface Watchdog {
  readonly pid: number | undefined;
  /** Ends the watchdog (the endpoint stopped its guests itself). */
  stop(): void;
}

/**
 * Starts the watchdog for this process and `dir`. Neither the child nor its pipe keeps this
 * process's event loop alive.
 */
export function startWatchdog(dir: string): Watchdog {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, String(process.pid), dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  child.on('error', () => {});
  child.stdin.on('error', () => {});
  child.unref();
  (child.stdin as unknown as { unref?(): void }).unref?.();
  return {
    pid: child.pid,
    stop: () => {
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}

/** The watchdog process: waits for its endpoint to go, then kills what it left. */
function watch(owner: number, dir: string): void {
  let done = false;
  const reap = () => {
    if (done) return;
    done = true;
    // A second sweep catches a QEMU that was being spawned at the moment of the first.
    for (let round = 0; round < 2; round++) {
      for (const pid of qemuProcessesOf(`${dir.replace(/\/+$/, '')}/`)) {
        try {
          process.kill(pid, 'SIGKILL');
          process.stderr.write(`arm-endpoint watchdog: endpoint ${owner} is gone; killed QEMU ${pid}\n`);
        } catch {
          /* already gone */
        }
      }
    }
    process.exit(0);
  };
  process.stdin.on('end', reap);
  process.stdin.on('error', reap);
  process.stdin.resume();
  // The pipe is the fast path; the pid is checked too in case the pipe was inherited by someone.
  setInterval(() => {
    if (!processAlive(owner)) reap();
  }, 1000);
  process.on('SIGTERM', () => process.exit(0));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [owner, dir] = process.argv.slice(2);
  if (!owner || !dir) {
    process.stderr.write('usage: watchdog.js <endpoint pid> <endpoint dir>\n');
    process.exit(2);
  }
  watch(Number(owner), dir);
}
