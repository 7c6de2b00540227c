import type { Logger } from '../logging/logger.js';
import type { OsInfo } from '../os/types.js';

/** Options for one command on a node. */
export interface ExecOptions {
  /** Run through `sudo -n` (or with the node's sudo password when it has one). */
  sudo?: boolean;
  /** Kill the remote process and reject after this many milliseconds. */
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
  /**
   * When set, a different exit code makes `execute` throw a CommandError whose message names the
   * command, the expected and the actual code and the tail of stderr.
   */
  expectedExitCode?: number | number[];
  /** Do not log a non-zero exit as an error (the caller expects failures). */
  noErrorLog?: boolean;
  /** Bytes written to the command's stdin, then stdin is closed. */
  input?: string | Buffer;
  /** Abort the command (kills the remote process) when this signal fires. */
  signal?: AbortSignal;
}

export interface ExecResult {
  command: string;
  stdout: string;
  stderr: string;
  /** -1 when the command was killed (timeout, abort, lost connection). */
  exitCode: number;
  signal?: string;
  durationMs: number;
  timedOut: boolean;
}

/** How to reach and authenticate to an SSH node. */
export interface SshConnectionInfo {
  address: string;
  port: number;
  username: string;
  password?: string;
  privateKeyFile?: string;
  privateKey?: string | Buffer;
  /** Use $SSH_AUTH_SOCK when no key or password is given. */
  useAgent?: boolean;
  /** Password for sudo when it is not passwordless. Defaults to `password`. */
  sudoPassword?: string;
  /** Known host key (base64 of the raw key) to verify; recorded on first connect when absent. */
  hostKey?: string;
  /** SSH hosts to pass through, in order (like `ssh -J`); `address` is then resolved by the last. */
  jumpHosts?: readonly JumpHost[];
}

/** One SSH host passed through on the way to a node (LISA's `dev.jump_boxes` entry). */
export interface JumpHost {
  address: string;
  port: number;
  username: string;
  password?: string;
  privateKeyFile?: string;
  privateKey?: string | Buffer;
  /** Known host key (base64 of the raw key); any key is accepted when absent, as LISA does. */
  hostKey?: string;
}

/** What a node provides, read from the node itself (or declared by the platform). */
export interface NodeCapability {
  cores: number;
  memoryMiB: number;
  dataDisks: number;
  features: string[];
}

/**
 * A machine under test. Every test case and tool talks to machines only through this interface.
 */
export interface Node {
  readonly name: string;
  readonly kind: 'ssh' | 'local';
  /** The logger that records every command run on this node (the node log). */
  readonly log: Logger;
  execute(command: string, options?: ExecOptions): Promise<ExecResult>;
  upload(localPath: string, remotePath: string): Promise<void>;
  download(remotePath: string, localPath: string): Promise<void>;
  readFile(remotePath: string): Promise<string>;
  writeFile(remotePath: string, content: string | Buffer, mode?: number): Promise<void>;
  /** Reboots and waits until the node answers again with a different boot id. */
  reboot(options?: { timeoutMs?: number }): Promise<void>;
  /** OS facts, read once from /etc/os-release and uname, then cached. */
  os(): Promise<OsInfo>;
  /** Cores, memory and disks as the node reports them. */
  capability(): Promise<NodeCapability>;
  /** True while the node answers a trivial command. */
  isAlive(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown when a command's exit code is not the expected one. */
export class CommandError extends Error {
  constructor(
    readonly result: ExecResult,
    readonly expected: number[],
    nodeName: string,
  ) {
    const tail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    super(
      `command on ${nodeName} exited with ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}, ` +
        `expected ${expected.join(' or ')}: ${result.command}${tail ? `\n${tail}` : ''}`,
    );
    this.name = 'CommandError';
  }
}

/** Thrown when a node cannot be reached (connect failed, connection lost and not re-established). */
export class NodeUnreachableError extends Error {
  constructor(nodeName: string, cause: string) {
    super(`node ${nodeName} is unreachable: ${cause}`);
    this.name = 'NodeUnreachableError';
  }
}
