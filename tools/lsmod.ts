import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface LoadedModule {
  name: string;
  sizeBytes: number;
  /** How many users hold it; a module in use cannot be unloaded. */
  refCount: number;
  usedBy: string[];
  /** Live, Loading, Unloading. */
  state: string;
}

/** Parses /proc/modules: `name size refcount deps, state address [taint]`. */
export function parseProcModules(text: string): LoadedModule[] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 5)
    .map(([name, size, ref, deps, state]) => ({
      name: name!,
      sizeBytes: Number(size),
      refCount: Number(ref),
      usedBy: deps === '-' ? [] : deps!.split(',').filter(Boolean),
      state: state!,
    }));
}

/** Module names from `modules.builtin` (`kernel/fs/ext4/ext4.ko` → `ext4`; `-` and `_` are the same to the kernel). */
export function parseModulesBuiltin(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /([^/]+)\.ko(?:\.\w+)?$/.exec(l.trim())?.[1])
    .filter((x): x is string => Boolean(x))
    .map((n) => n.replace(/-/g, '_'));
}

/** Loaded modules from /proc/modules (what `lsmod` formats), and the built-in list. */
export class Lsmod extends Tool {
  readonly command = 'cat';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async list(): Promise<LoadedModule[]> {
    // A kernel without module support has no /proc/modules: nothing is loaded.
    const r = await this.run('/proc/modules', { noErrorLog: true, timeoutMs: 30_000 });
    return r.exitCode === 0 ? parseProcModules(r.stdout) : [];
  }

  async isLoaded(module: string): Promise<boolean> {
    const name = module.replace(/-/g, '_');
    return (await this.list()).some((m) => m.name === name);
  }

  async builtins(): Promise<string[]> {
    const r = await this.node.execute('cat /lib/modules/$(uname -r)/modules.builtin', {
      noErrorLog: true,
      timeoutMs: 30_000,
    });
    return r.exitCode === 0 ? parseModulesBuiltin(r.stdout) : [];
  }
}
