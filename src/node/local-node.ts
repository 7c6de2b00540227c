import { spawn } from 'node:child_process';
import { chmod, copyFile, readFile, writeFile } from 'node:fs/promises';
import type { Logger } from '../logging/logger.js';
import { BaseNode, type RawResult, type RawRun } from './base-node.js';
import { shellInvocation, stdinFor, type SudoMode } from './command-line.js';
import { killTreeScript } from './kill-tree.js';
import { localChildren, reapLocalChildren } from './local-children.js';

export interface LocalNodeOptions {
  name?: string;
  log: Logger;
  /** Password for sudo when this user's sudo is not passwordless. */
  sudoPassword?: string;
}

/** The machine the harness runs on, through child_process (`sh -c`, one process group per command). */
export class LocalNode extends BaseNode {
  readonly kind = 'local' as const;
  private readonly sudoPassword: string | undefined;

  constructor(options: LocalNodeOptions) {
    super(options.name ?? 'local', options.log);
    this.sudoPassword = options.sudoPassword;
  }

  protected async sudoMode(): Promise<SudoMode> {
    if (process.getuid?.() === 0) return { kind: 'root' };
    return this.sudoPassword ? { kind: 'password', password: this.sudoPassword } : { kind: 'nopasswd' };
  }

  protected runRaw(run: RawRun): Promise<RawResult> {
    reapOnce(this.log);
    const script = run.sudo && run.sudo.kind !== 'root' ? shellInvocation(run.body, run.sudo) : run.body;
    // detached: its own process group, so a kill reaches the command's children too.
    const child = spawn('sh', ['-c', script], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    // Recorded while it runs: a lisa killed with SIGKILL leaves it to the next lisa or `lisa reap`.
    const ledger = localChildren();
    const pid = child.pid;
    if (pid) ledger.started(pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    // A command that exits without reading stdin makes the write fail with EPIPE: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(run.stdin);

    return new Promise<RawResult>((resolve, reject) => {
      let timedOut = false;
      let aborted = false;
      const kill = () => void this.killTree(child.pid, run.sudo);
      const timer = run.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            kill();
          }, run.timeoutMs)
        : undefined;
      const onAbort = () => {
        aborted = true;
        kill();
      };
      run.signal?.addEventListener('abort', onAbort, { once: true });
      child.once('error', (e) => {
        if (pid) ledger.ended(pid);
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        reject(new Error(`cannot start sh on the local machine: ${e.message}`));
      });
      child.once('close', (code, signal) => {
        if (pid) ledger.ended(pid);
        clearTimeout(timer);
        run.signal?.removeEventListener('abort', onAbort);
        const killed = timedOut || aborted;
        resolve({
          stdout: Buffer.concat(stdout),
          stderr: Buffer.concat(stderr),
          exitCode: killed || code === null ? -1 : code,
          ...(signal ? { signal } : {}),
          timedOut,
          aborted,
        });
      });
    });
  }

  /**
   * Kills every descendant and the group. The tree walk must come first: once the shell dies its
   * children are re-parented and can no longer be found (sudo's child runs in a session of its own).
   */
  private async killTree(pid: number | undefined, sudo: SudoMode | undefined): Promise<void> {
    if (!pid) return;
    const script = shellInvocation(killTreeScript(pid), sudo);
    const killer = spawn('sh', ['-c', script], { stdio: ['pipe', 'ignore', 'ignore'] });
    killer.stdin.on('error', () => {});
    killer.stdin.end(stdinFor(sudo, undefined));
    await new Promise((r) => killer.once('close', r));
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone (the usual case)
    }
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    await copyFile(localPath, remotePath);
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    await copyFile(remotePath, localPath);
  }

  readFile(path: string): Promise<string> {
    return readFile(path, 'utf8');
  }

  async writeFile(path: string, content: string | Buffer, mode?: number): Promise<void> {
    await writeFile(path, content, mode === undefined ? {} : { mode });
    // The create mode is filtered by umask and ignored for existing files.
    if (mode !== undefined) await chmod(path, mode);
  }

  async reboot(): Promise<void> {
    throw new Error(`cannot reboot the local machine (node ${this.name}): reboot needs an SSH or platform node`);
  }

  async close(): Promise<void> {}
}

let reaped = false;

/** The first local command of a process cleans up after lisa runs on this machine that were killed. */
function reapOnce(log: Logger): void {
  if (reaped) return;
  reaped = true;
  const r = reapLocalChildren();
  if (r.killed.length)
    log.info(`killed ${r.killed.length} local process(es) left by killed lisa runs: ${r.killed.join(' ')}`);
}
