import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

/** `modprobe`: loads and unloads kernel modules with their dependencies. */
export class Modprobe extends Tool {
  readonly command = 'modprobe';
  override readonly needsSudo = true;
  override readonly packages: PackageNames = { default: 'kmod' };

  async load(module: string, params: Record<string, string | number> = {}): Promise<void> {
    const p = Object.entries(params).map(([k, v]) => shellQuote(`${k}=${v}`));
    await this.runOk([shellQuote(module), ...p].join(' '), { timeoutMs: 120_000 });
  }

  /** `modprobe -r`: fails when the module is in use or built in. */
  async unload(module: string): Promise<void> {
    await this.runOk(`-r ${shellQuote(module)}`, { timeoutMs: 120_000 });
  }

  /** True when modprobe can find the module for the running kernel (`modprobe -n`, a dry run). */
  async isAvailable(module: string): Promise<boolean> {
    const r = await this.run(`-n ${shellQuote(module)}`, { noErrorLog: true, timeoutMs: 60_000 });
    return r.exitCode === 0;
  }
}
