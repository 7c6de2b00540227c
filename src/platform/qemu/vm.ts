import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import { buildQemuArgs, type VmSpec } from './args.js';
import { QmpClient } from './qmp.js';
import { startSwtpm } from './secure-boot/swtpm.js';
import { removeVmRecord, writeVmRecord, type VmRecord } from './registry.js';

export interface VmLaunch {
  /** Unique in the run, e.g. `env3-node0`. */
  id: string;
  runDir: string;
  /** The node's own directory (overlay, serial log, QMP socket, stderr). */
  dir: string;
  spec: VmSpec;
  qemuBinary: string;
  log: Logger;
  /** Extra files (overlays, data disks) recorded for cleanup. */
  files: string[];
  /** While starting: abort kills the process at once. */
  signal?: AbortSignal;
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** One QEMU process: started detached (it must outlive lisa when an environment is kept), watched, killed. */
export class QemuVm {
  qmp: QmpClient | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;
  private constructor(
    readonly launch: VmLaunch,
    private readonly proc: ChildProcess,
    readonly record: VmRecord,
  ) {
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
    });
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }
  get running(): boolean {
    return this.exitInfo === undefined;
  }
  get stderrPath(): string {
    return join(this.launch.dir, 'qemu.stderr.log');
  }
  get exitDescription(): string {
    if (!this.exitInfo) return 'running';
    const how = this.exitInfo.signal ? `killed by ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
    const err = tail(this.stderrPath, 5);
    return `${how}${err ? `: ${err}` : ''}`;
  }

  /** Registers the VM in the run directory, then starts QEMU and connects QMP. */
  static async start(launch: VmLaunch): Promise<QemuVm> {
    const record: VmRecord = {
      id: launch.id,
      ownerPid: process.pid,
      sshPort: launch.spec.sshPort,
      qmpSocket: launch.spec.qmpSocket,
      serialLog: launch.spec.serialLog,
      files: [launch.spec.disk, launch.spec.serialLog, launch.spec.qmpSocket, ...launch.files],
      startedAt: new Date().toISOString(),
    };
    writeVmRecord(launch.runDir, record);
    // swtpm ends itself when QEMU disconnects, but not if QEMU never connected: killed on a failed start.
    const tpm = launch.spec.uefi?.tpmDir ? await startSwtpm(launch.spec.uefi.tpmDir) : undefined;
    const args = buildQemuArgs(launch.spec);
    const errFd = openSync(join(launch.dir, 'qemu.stderr.log'), 'a');
    let proc: ChildProcess;
    try {
      proc = spawn(launch.qemuBinary, args, { detached: true, stdio: ['ignore', 'ignore', errFd] });
    } finally {
      closeSync(errFd);
    }
    proc.unref();
    const vm = new QemuVm(launch, proc, record);
    proc.on('error', () => {});
    if (proc.pid) {
      record.pid = proc.pid;
      writeVmRecord(launch.runDir, record);
    }
    launch.log.debug(`started qemu pid ${proc.pid} for ${launch.id}: ${launch.qemuBinary} ${args.join(' ')}`);
    const onAbort = (): void => vm.kill();
    launch.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (launch.signal?.aborted) throw new Error(`aborted while starting ${launch.id}`);
      await vm.connectQmp();
    } catch (e) {
      vm.kill();
      if (tpm) killQuietly(tpm.pid);
      throw e;
    } finally {
      launch.signal?.removeEventListener('abort', onAbort);
    }
    return vm;
  }

  /** The socket appears a moment after exec; an early exit (bad argument, port taken) ends the wait. */
  private async connectQmp(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastErr = '';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`qemu for ${this.launch.id} exited at start (${this.exitDescription})`);
      if (existsSync(this.launch.spec.qmpSocket)) {
        try {
          this.qmp = await QmpClient.connect(this.launch.spec.qmpSocket, 5_000);
          this.qmp.on('error', () => {});
          return;
        } catch (e) {
          lastErr = (e as Error).message;
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`qemu for ${this.launch.id}: QMP not ready within ${timeoutMs} ms ${lastErr}`);
  }

  /** Asks QEMU to quit, then kills it if it does not exit in time. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.running && this.qmp && !this.qmp.isClosed) {
      await this.qmp.execute('quit').catch(() => {});
    }
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, timeoutMs))]);
    this.kill();
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2_000))]);
    this.qmp?.close();
  }

  /** Synchronous, so it works from exit handlers and abort listeners. */
  kill(): void {
    if (this.running && this.proc.pid) {
      try {
        process.kill(this.proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }

  unregister(): void {
    removeVmRecord(this.launch.runDir, this.launch.id);
  }

  /**
   * Leaves the VM running for the user: the QMP connection is closed, since an open socket would
   * keep lisa's own process alive after its summary (QEMU accepts a new QMP client later).
   */
  markKept(): void {
    this.record.kept = true;
    writeVmRecord(this.launch.runDir, this.record);
    this.qmp?.close();
  }

  serialTail(lines = 30): string {
    return tail(this.launch.spec.serialLog, lines);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}
