import { Tool, type PackageNames } from '../src/tool/tool.js';

/** Parses a kernel .config: `CONFIG_X=y|m|"str"|123`; `# CONFIG_X is not set` becomes `n`. */
export function parseKernelConfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    let m = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (m) {
      out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
      continue;
    }
    m = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (m) out[m[1]!] = 'n';
  }
  return out;
}

/** Where the running kernel's config lives differs by distro: /boot (most), /proc/config.gz (Arch, some clouds). */
export const KERNEL_CONFIG_SCRIPT =
  'f=/boot/config-$(uname -r); if [ -r "$f" ]; then cat "$f"; elif [ -r /proc/config.gz ]; then zcat /proc/config.gz; ' +
  'elif [ -r /lib/modules/$(uname -r)/config ]; then cat /lib/modules/$(uname -r)/config; else echo "no kernel config found" >&2; exit 3; fi';

export class KernelConfigNotFoundError extends Error {
  constructor(node: string) {
    super(
      `no kernel config for the running kernel on ${node} (looked in /boot/config-$(uname -r), /proc/config.gz, /lib/modules/$(uname -r)/config)`,
    );
    this.name = 'KernelConfigNotFoundError';
  }
}

/** The running kernel's build configuration. */
export class KernelConfig extends Tool {
  readonly command = 'uname';
  override readonly packages: PackageNames = { default: 'coreutils' };
  private cache: Promise<Record<string, string>> | undefined;

  /** Read once per node; the config of a running kernel cannot change. */
  read(): Promise<Record<string, string>> {
    this.cache ??= (async () => {
      const r = await this.node.execute(KERNEL_CONFIG_SCRIPT, { noErrorLog: true, timeoutMs: 60_000 });
      if (r.exitCode !== 0) throw new KernelConfigNotFoundError(this.node.name);
      return parseKernelConfig(r.stdout);
    })();
    this.cache.catch(() => (this.cache = undefined));
    return this.cache;
  }

  /** `y`, `m`, `n`, a string or number; undefined when the option does not exist in this kernel. */
  async get(option: string): Promise<string | undefined> {
    const name = option.startsWith('CONFIG_') ? option : `CONFIG_${option}`;
    return (await this.read())[name];
  }

  /** Built in (`y`) or as a module (`m`). */
  async isEnabled(option: string): Promise<boolean> {
    const v = await this.get(option);
    return v === 'y' || v === 'm';
  }
}
