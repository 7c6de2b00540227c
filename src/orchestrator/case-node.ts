import type { Logger } from '../logging/logger.js';
import type { ExecOptions, ExecResult, Node, NodeCapability } from '../node/types.js';
import type { OsInfo } from '../os/types.js';

/**
 * The view of a node that one case gets: every command is bound to the case's abort signal (so a
 * timeout or Ctrl-C kills the remote work) and recorded in the case's own log.
 */
export class CaseNode implements Node {
  constructor(
    /** The environment's node this view is bound to. */
    readonly inner: Node,
    readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {}

  get name(): string {
    return this.inner.name;
  }
  get kind(): Node['kind'] {
    return this.inner.kind;
  }

  async execute(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const signal = options.signal ? AbortSignal.any([options.signal, this.signal]) : this.signal;
    if (signal.aborted) throw new Error(`not running on ${this.name}: the case was stopped (${command})`);
    try {
      const r = await this.inner.execute(command, { ...options, signal });
      this.record(r, options);
      return r;
    } catch (e) {
      const r = (e as { result?: ExecResult }).result;
      if (r) this.record(r, options);
      else this.log.warn(`${this.name}$ ${command}\n  failed: ${(e as Error).message}`);
      throw e;
    }
  }

  private record(r: ExecResult, options: ExecOptions): void {
    const out = [
      r.stdout.trimEnd() && `  stdout: ${indent(this.log.mask(r.stdout))}`,
      r.stderr.trimEnd() && `  stderr: ${indent(this.log.mask(r.stderr))}`,
    ]
      .filter(Boolean)
      .join('\n');
    const line = `${this.name}$ ${options.sudo ? 'sudo ' : ''}${r.command}\n  exit ${r.exitCode}${r.timedOut ? ' (timed out)' : ''} in ${r.durationMs} ms${out ? `\n${out}` : ''}`;
    this.log.debug(line);
  }

  upload(localPath: string, remotePath: string): Promise<void> {
    this.log.debug(`${this.name}: upload ${localPath} -> ${remotePath}`);
    return this.inner.upload(localPath, remotePath);
  }
  download(remotePath: string, localPath: string): Promise<void> {
    this.log.debug(`${this.name}: download ${remotePath} -> ${localPath}`);
    return this.inner.download(remotePath, localPath);
  }
  readFile(remotePath: string): Promise<string> {
    return this.inner.readFile(remotePath);
  }
  writeFile(remotePath: string, content: string | Buffer, mode?: number): Promise<void> {
    this.log.debug(`${this.name}: write ${remotePath}`);
    return this.inner.writeFile(remotePath, content, mode);
  }
  async reboot(options?: { timeoutMs?: number }): Promise<void> {
    this.log.info(`${this.name}: rebooting`);
    const start = Date.now();
    await this.inner.reboot(options);
    this.log.info(`${this.name}: back after ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  os(): Promise<OsInfo> {
    return this.inner.os();
  }
  capability(): Promise<NodeCapability> {
    return this.inner.capability();
  }
  isAlive(timeoutMs?: number): Promise<boolean> {
    return this.inner.isAlive(timeoutMs);
  }
  /** Cases never close shared connections; the platform does. */
  async close(): Promise<void> {}
}

/** Cuts long output; the text is already masked, so the cut cannot leave a partial secret behind. */
function indent(s: string): string {
  const t = s.trimEnd();
  return t.length > 20_000
    ? `${t.slice(0, 20_000)}\n  ... (${t.length - 20_000} more characters)`
    : t.replace(/\n/g, '\n    ');
}
