import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

/** Parses `sysctl -a` (or `sysctl key...`): `key = value` lines; values may be empty or contain tabs. */
export function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(' = ');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 3).trim();
    else if (/^[\w.\-/]+ =$/.test(line.trim())) out[line.trim().slice(0, -2)] = '';
  }
  return out;
}

/** `sysctl`: kernel parameters. Reading most keys needs no root; a few (e.g. kernel.cad_pid) do. */
export class Sysctl extends Tool {
  readonly command = 'sysctl';
  override readonly packages: PackageNames = {
    default: 'procps',
    arch: 'procps-ng',
    photon: 'procps-ng',
    alpine: 'procps-ng',
  };

  async get(key: string): Promise<string> {
    return (await this.runOk(`-n ${shellQuote(key)}`, { timeoutMs: 30_000 })).stdout.trim();
  }

  /** Several keys at once; keys the kernel does not have are missing from the result. */
  async getMany(keys: string[]): Promise<Record<string, string>> {
    const r = await this.run(keys.map(shellQuote).join(' '), { noErrorLog: true, timeoutMs: 30_000 });
    return parseSysctl(r.stdout);
  }

  /** Every readable key. Permission-denied keys go to stderr and are left out. */
  async all(): Promise<Record<string, string>> {
    const r = await this.run('-a', { noErrorLog: true, timeoutMs: 60_000 });
    return parseSysctl(r.stdout);
  }

  /** Writes a value with sudo, without reading it back (for write-only keys such as vm.drop_caches). */
  async write(key: string, value: string | number): Promise<void> {
    await this.runOk(`-q -w ${shellQuote(`${key}=${value}`)}`, { sudo: true, timeoutMs: 120_000 });
  }

  /** Sets a value at runtime (`sysctl -w`, with sudo) and returns what the kernel then reports. */
  async set(key: string, value: string | number): Promise<string> {
    await this.runOk(`-w ${shellQuote(`${key}=${value}`)}`, { sudo: true, timeoutMs: 60_000 });
    return this.get(key);
  }
}
