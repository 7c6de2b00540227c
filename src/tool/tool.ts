import type { ExecOptions, ExecResult, Node } from '../node/types.js';
import type { OsInfo } from '../os/types.js';
import { ToolInstalls } from './tool-service.js';

/**
 * Package names of a tool, per OS family (most specific family wins) with a default.
 * `{ default: 'iproute2', redhat: 'iproute' }`.
 */
export type PackageNames = { default?: string | string[] } & Partial<Record<string, string | string[]>>;

const SBIN_PATH = 'PATH="$PATH:/usr/sbin:/sbin"';

/** Thrown when a tool is needed but cannot be installed on the node. */
export class ToolNotAvailableError extends Error {
  constructor(tool: string, node: string, why: string) {
    super(`tool ${tool} is not available on ${node}: ${why}`);
    this.name = 'ToolNotAvailableError';
  }
}

/**
 * One command on a node: how to find it, how to install it, and typed methods that run it and
 * parse its output. Subclasses are small; see docs/writing-a-tool.md.
 */
export abstract class Tool {
  /** The executable name, checked with `command -v`. */
  abstract readonly command: string;
  /** Packages that provide the command; empty means it cannot be installed. */
  readonly packages: PackageNames = {};
  /** Run every invocation with sudo. */
  readonly needsSudo: boolean = false;

  /**
   * @param installs where readiness is recorded; the case context passes the run's record for the
   *   node, so the tool is installed once per node per run. A tool built alone keeps its own.
   */
  constructor(
    readonly node: Node,
    private readonly installs: ToolInstalls = new ToolInstalls(),
  ) {}

  get name(): string {
    return this.constructor.name;
  }

  /** True when the command is on the node's PATH (including sbin directories). */
  async exists(): Promise<boolean> {
    const r = await this.node.execute(`${SBIN_PATH} command -v ${this.command}`, {
      noErrorLog: true,
      timeoutMs: 30_000,
    });
    return r.exitCode === 0;
  }

  /** Installs the tool's package with the node's package manager. */
  async install(): Promise<void> {
    const os = await this.node.os();
    const pkgs = this.packagesFor(os);
    if (pkgs.length === 0) throw new ToolNotAvailableError(this.name, this.node.name, 'no package is known for it');
    const { packageManagerFor } = await import('../os/package-manager.js');
    const pm = await packageManagerFor(this.node);
    await pm.install(pkgs);
  }

  /** Installs the tool once per node if it is missing. Concurrent callers share one attempt. */
  ensure(): Promise<void> {
    return this.installs.once(this.constructor as ToolClass, async () => {
      if (await this.exists()) return;
      await this.install();
      if (!(await this.exists())) {
        throw new ToolNotAvailableError(this.name, this.node.name, `${this.command} still missing after install`);
      }
    });
  }

  packagesFor(os: OsInfo): string[] {
    for (const family of os.families) {
      const p = this.packages[family];
      if (p) return Array.isArray(p) ? p : [p];
    }
    const d = this.packages.default;
    return d ? (Array.isArray(d) ? d : [d]) : [];
  }

  /** Runs the command with arguments (already shell-quoted by the caller). */
  protected async run(args = '', options: ExecOptions = {}): Promise<ExecResult> {
    await this.ensure();
    // A non-root user's PATH often lacks the sbin directories where sysctl, modinfo, ... live.
    return this.node.execute(`${SBIN_PATH} ${this.command}${args ? ` ${args}` : ''}`, {
      sudo: this.needsSudo || options.sudo,
      ...options,
    });
  }

  /** Runs and requires exit code 0. */
  protected async runOk(args = '', options: ExecOptions = {}): Promise<ExecResult> {
    return this.run(args, { expectedExitCode: 0, ...options });
  }
}

export type ToolClass<T extends Tool = Tool> = new (node: Node, installs?: ToolInstalls) => T;
