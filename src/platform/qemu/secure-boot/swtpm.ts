import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface SwtpmProcess {
  socket: string;
  pid: number;
}

/** The control socket QEMU's tpm-emulator connects to, inside the TPM's state directory. */
export function swtpmSocket(state: string): string {
  return join(state, 'swtpm.sock');
}

/**
 * One software TPM 2.0 per guest, its state kept in the node's directory so that a restarted QEMU
 * (StartStop, a reboot through the platform) finds the same TPM. Started detached like QEMU so a
 * kept environment keeps its TPM; `--terminate` ends it when QEMU closes the control socket, so a
 * killed or reaped QEMU never leaves a swtpm behind.
 */
export async function startSwtpm(state: string, timeoutMs = 10_000): Promise<SwtpmProcess> {
  await mkdir(state, { recursive: true });
  const socket = swtpmSocket(state);
  const logFile = join(state, 'swtpm.log');
  await rm(socket, { force: true });
  const err = openSync(logFile, 'a');
  let proc;
  try {
    proc = spawn(
      'swtpm',
      ['socket', '--tpm2', '--tpmstate', `dir=${state}`, '--ctrl', `type=unixio,path=${socket}`, '--terminate'],
      { detached: true, stdio: ['ignore', err, err] },
    );
  } finally {
    closeSync(err);
  }
  proc.unref();
  let exited: string | undefined;
  proc.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  proc.once('error', (e) => (exited = e.message));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(socket)) {
    if (exited) throw new Error(`swtpm did not start (${exited}); see ${logFile}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`swtpm did not create ${socket} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { socket, pid: proc.pid ?? -1 };
}
