import { execFile } from 'node:child_process';
import { Logger, MemorySink } from '../../../src/logging/logger.js';
import { SecretMasker } from '../../../src/logging/secrets.js';
import {
  CommandError,
  type ExecOptions,
  type ExecResult,
  type Node,
  type NodeCapability,
} from '../../../src/node/types.js';
import { osInfoFromFields } from '../../../src/os/detect.js';
import type { OsInfo } from '../../../src/os/types.js';

export type Reply = Partial<Pick<ExecResult, 'stdout' | 'stderr' | 'exitCode'>>;
export type Handler = (command: string, options: ExecOptions) => Reply | Promise<Reply>;

/**
 * A Node for unit tests: every command goes to `handler`, which answers with recorded output
 * (or runs it locally with `runLocally`). `commands` records what was executed, with sudo marked.
 */
export class ScriptNode implements Node {
  readonly name = 'script-node';
  readonly kind = 'local' as const;
  readonly sink = new MemorySink();
  readonly log = new Logger('script-node', [this.sink], new SecretMasker());
  readonly commands: string[] = [];
  readonly files = new Map<string, string>();

  constructor(
    private readonly handler: Handler,
    private readonly osInfo: OsInfo = osInfoFromFields({
      ID: 'debian',
      VERSION_ID: '12',
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
    }),
  ) {}

  async execute(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    // Tools put the sbin directories on PATH for every command; tests assert on the command itself.
    command = command.replace(/^PATH="\$PATH:\/usr\/sbin:\/sbin" /, '');
    this.commands.push(`${options.sudo ? 'sudo ' : ''}${command}`);
    const reply = await this.handler(command, options);
    const result: ExecResult = {
      command,
      stdout: reply.stdout ?? '',
      stderr: reply.stderr ?? '',
      exitCode: reply.exitCode ?? 0,
      durationMs: 0,
      timedOut: false,
    };
    const expected = options.expectedExitCode;
    if (expected !== undefined) {
      const list = Array.isArray(expected) ? expected : [expected];
      if (!list.includes(result.exitCode)) throw new CommandError(result, list, this.name);
    }
    return result;
  }
  async upload(): Promise<void> {}
  async download(): Promise<void> {}
  async readFile(path: string): Promise<string> {
    const r = await this.execute(`cat ${path}`, { expectedExitCode: 0 });
    return r.stdout;
  }
  async writeFile(path: string, content: string | Buffer): Promise<void> {
    this.files.set(path, String(content));
  }
  async reboot(): Promise<void> {}
  async os(): Promise<OsInfo> {
    return this.osInfo;
  }
  async capability(): Promise<NodeCapability> {
    return { cores: 2, memoryMiB: 2048, dataDisks: 0, features: [] };
  }
  async isAlive(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

/** Answers `command -v` with success and everything else from a table of (pattern → reply). */
export function table(
  rows: [RegExp | string, Reply][],
  fallback: Reply = { exitCode: 127, stderr: 'not scripted' },
): Handler {
  return (command) => {
    if (/command -v /.test(command)) return { stdout: '/usr/bin/x\n' };
    for (const [pattern, reply] of rows) {
      if (typeof pattern === 'string' ? command.includes(pattern) : pattern.test(command)) return reply;
    }
    return fallback;
  };
}

/** Runs the command on this machine (no sudo): for exercising tools against the real host. */
export const runLocally: Handler = (command, options) =>
  new Promise((resolve) => {
    const child = execFile('/bin/sh', ['-c', command], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 1
        : 0;
      resolve({ stdout, stderr, exitCode: code });
    });
    // Like a node: the command gets the input, or an empty stdin, never one left open.
    child.stdin?.on('error', () => {}); // a command that never reads its stdin closes it first
    child.stdin?.end(options.input ?? '');
  });
