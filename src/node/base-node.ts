import { inspect } from 'node:util';
import type { Logger } from '../logging/logger.js';
import { detectOs } from '../os/detect.js';
import type { OsInfo } from '../os/types.js';
import { CAPABILITY_SCRIPT, parseCapability } from './capability.js';
import { commandBody, stdinFor, type SudoMode } from './command-line.js';
import { expectedCodes, logCommandEnd, logCommandStart } from './exec-log.js';
import { CommandError, type ExecOptions, type ExecResult, type Node, type NodeCapability } from './types.js';

/** One command as a transport runs it. */
export interface RawRun {
  /** POSIX sh script (exports, cd, the command) to run with `sh -c`. */
  body: string;
  sudo: SudoMode | undefined;
  /** Includes the sudo password line when sudo needs one. */
  stdin: Buffer | undefined;
  timeoutMs: number | undefined;
  signal: AbortSignal | undefined;
}

export interface RawResult {
  stdout: Buffer;
  stderr: Buffer;
  /** -1 when killed. */
  exitCode: number;
  signal?: string;
  timedOut: boolean;
  aborted: boolean;
}

/**
 * What every node shares: command logging, expected exit codes, sudo/cwd/env handling, OS and
 * capability probes. Transports implement runRaw and the file operations.
 */
export abstract class BaseNode implements Node {
  abstract readonly kind: 'ssh' | 'local';
  private osInfo: Promise<OsInfo> | undefined;
  private seq = 0;

  constructor(
    readonly name: string,
    readonly log: Logger,
  ) {}

  protected abstract runRaw(run: RawRun): Promise<RawResult>;
  protected abstract sudoMode(): Promise<SudoMode>;

  abstract upload(localPath: string, remotePath: string): Promise<void>;
  abstract download(remotePath: string, localPath: string): Promise<void>;
  abstract readFile(remotePath: string): Promise<string>;
  abstract writeFile(remotePath: string, content: string | Buffer, mode?: number): Promise<void>;
  abstract reboot(options?: { timeoutMs?: number }): Promise<void>;
  abstract close(): Promise<void>;

  async execute(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return (await this.executeRaw(command, options)).result;
  }

  /**
   * execute() with stdout also as raw bytes; `binary` keeps it out of the log and out of
   * result.stdout (used for file transfer through `cat`).
   */
  protected async executeRaw(
    command: string,
    options: ExecOptions,
    binary = false,
  ): Promise<{ result: ExecResult; stdout: Buffer }> {
    options.signal?.throwIfAborted();
    const id = ++this.seq;
    const expected = expectedCodes(options);
    logCommandStart(this.log, id, command, options);
    const start = performance.now();
    let raw: RawResult;
    try {
      const sudo = options.sudo ? await this.sudoMode() : undefined;
      raw = await this.runRaw({
        body: commandBody(command, options),
        sudo,
        stdin: stdinFor(sudo, options.input),
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
    } catch (e) {
      this.log.warn(`[#${id}] failed after ${Math.round(performance.now() - start)} ms: ${(e as Error).message}`);
      throw e;
    }
    const result: ExecResult = {
      command,
      stdout: binary ? '' : raw.stdout.toString('utf8'),
      stderr: raw.stderr.toString('utf8'),
      exitCode: raw.exitCode,
      durationMs: Math.round(performance.now() - start),
      timedOut: raw.timedOut,
      ...(raw.signal ? { signal: raw.signal } : {}),
    };
    logCommandEnd(this.log, id, result, options, expected, binary ? raw.stdout.length : undefined);
    if (raw.aborted) throw abortError(options.signal);
    if (expected && !expected.includes(result.exitCode)) throw new CommandError(result, expected, this.name);
    return { result, stdout: raw.stdout };
  }

  os(): Promise<OsInfo> {
    if (!this.osInfo) {
      const pending = detectOs(this);
      this.osInfo = pending;
      // A failed probe (node down) must not be cached forever.
      pending.catch(() => {
        if (this.osInfo === pending) this.osInfo = undefined;
      });
    }
    return this.osInfo;
  }

  async capability(): Promise<NodeCapability> {
    const r = await this.execute(CAPABILITY_SCRIPT, { timeoutMs: 60_000, noErrorLog: true });
    return parseCapability(r.stdout);
  }

  async isAlive(timeoutMs = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const probe = this.execute('true', { timeoutMs, noErrorLog: true }).then(
      (r) => r.exitCode === 0,
      () => false,
    );
    try {
      return await Promise.race([probe, expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const detail = typeof reason === 'string' ? reason : inspect(reason);
  const e = new Error(reason === undefined ? 'command aborted' : `command aborted: ${detail}`);
  e.name = 'AbortError';
  return e;
}
