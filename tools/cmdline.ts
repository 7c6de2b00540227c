import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface CmdlineParam {
  key: string;
  /** Undefined for flags without `=` (e.g. `quiet`). */
  value?: string;
}

export interface KernelCmdline {
  raw: string;
  params: CmdlineParam[];
  /** Everything after a bare `--`: passed to init, not the kernel. */
  initArgs: string[];
}

/** Splits like the kernel's next_arg(): whitespace separates, double quotes group (`opt="a b"`). */
export function parseCmdline(text: string): KernelCmdline {
  const raw = text.trim();
  const tokens: string[] = [];
  let cur = '';
  let quoted = false;
  let started = false;
  for (const ch of raw) {
    if (ch === '"') {
      quoted = !quoted;
      started = true;
    } else if (/\s/.test(ch) && !quoted) {
      if (started) tokens.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (started) tokens.push(cur);
  const dd = tokens.indexOf('--');
  const kernel = dd >= 0 ? tokens.slice(0, dd) : tokens;
  return {
    raw,
    params: kernel.map((t) => {
      const i = t.indexOf('=');
      return i < 0 ? { key: t } : { key: t.slice(0, i), value: t.slice(i + 1) };
    }),
    initArgs: dd >= 0 ? tokens.slice(dd + 1) : [],
  };
}

/** Every value of a parameter in order (`console=` is often given twice). */
export function cmdlineValues(c: KernelCmdline, key: string): string[] {
  return c.params.filter((p) => p.key === key).map((p) => p.value ?? '');
}

export function cmdlineHas(c: KernelCmdline, key: string): boolean {
  return c.params.some((p) => p.key === key);
}

/** /proc/cmdline: the parameters the running kernel was booted with. */
export class Cmdline extends Tool {
  readonly command = 'cat';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async read(): Promise<KernelCmdline> {
    return parseCmdline((await this.runOk('/proc/cmdline', { timeoutMs: 30_000 })).stdout);
  }
}
