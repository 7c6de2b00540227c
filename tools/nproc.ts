import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface ProcessorCount {
  /** Usable by this process (affinity and cgroup limits applied): `nproc`. */
  available: number;
  /** Configured in the kernel, online or not: `nproc --all`. */
  all: number;
}

/** Parses the two lines printed by `nproc; nproc --all`. */
export function parseNproc(text: string): ProcessorCount {
  const [a = '', b = ''] = text.trim().split('\n');
  const available = Number(a.trim());
  const all = Number(b.trim());
  if (!Number.isInteger(available) || !Number.isInteger(all))
    throw new Error(`unexpected nproc output: ${JSON.stringify(text)}`);
  return { available, all };
}

export class Nproc extends Tool {
  readonly command = 'nproc';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async count(): Promise<ProcessorCount> {
    await this.ensure();
    const r = await this.node.execute('nproc; nproc --all', { expectedExitCode: 0, timeoutMs: 30_000 });
    return parseNproc(r.stdout);
  }
}
