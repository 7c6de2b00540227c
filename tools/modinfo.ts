import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface ModuleInfo {
  name: string;
  /** Path of the .ko, or `(builtin)`. */
  filename: string;
  description: string;
  license: string;
  version: string;
  depends: string[];
  /** `parm:` lines: parameter name → description. */
  params: Record<string, string>;
  /** Every key with all its values (alias, firmware... repeat). */
  fields: Record<string, string[]>;
}

/** Parses `modinfo NAME`: `key:   value` lines; continuation lines of a parm description are indented. */
export function parseModinfo(text: string): ModuleInfo {
  const fields: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+?):\s*(.*)$/.exec(line);
    if (m) (fields[m[1]!] ??= []).push(m[2]!.trim());
  }
  const one = (k: string) => fields[k]?.[0] ?? '';
  const params: Record<string, string> = {};
  for (const p of fields.parm ?? []) {
    const i = p.indexOf(':');
    if (i > 0) params[p.slice(0, i)] = p.slice(i + 1).trim();
  }
  return {
    name: one('name') || (/([^/]+)\.ko/.exec(one('filename'))?.[1] ?? ''),
    filename: one('filename'),
    description: one('description'),
    license: one('license'),
    version: one('version') || one('vermagic').split(' ')[0]!,
    depends: one('depends').split(',').filter(Boolean),
    params,
    fields,
  };
}

/** `modinfo`: metadata of a kernel module. */
export class Modinfo extends Tool {
  readonly command = 'modinfo';
  override readonly packages: PackageNames = { default: 'kmod' };

  /** Undefined when the module does not exist for the running kernel. */
  async info(module: string): Promise<ModuleInfo | undefined> {
    const r = await this.run(shellQuote(module), { noErrorLog: true, timeoutMs: 60_000 });
    return r.exitCode === 0 ? parseModinfo(r.stdout) : undefined;
  }
}
