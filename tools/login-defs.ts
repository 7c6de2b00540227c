import { Tool } from '../src/tool/tool.js';

export interface UmaskSetting {
  /** Octal, e.g. `022`. */
  value: string;
  /** Where it was found: `/etc/login.defs`, `/etc/profile`, ... */
  source: string;
}

/** Parses `/etc/login.defs`: `KEY value` lines. */
export function parseLoginDefs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(\w+)\s+(.+)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/**
 * Finds umask settings in login.defs and `umask NNN` lines of shell startup files. Input is the
 * output of `grep -H` over those files: `path:line`.
 */
export function parseUmaskSettings(grepOutput: string): UmaskSetting[] {
  const out: UmaskSetting[] = [];
  for (const line of grepOutput.split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const source = line.slice(0, i);
    const body = line
      .slice(i + 1)
      .replace(/#.*$/, '')
      .trim();
    const m = /^(?:UMASK\s+|.*\bumask\s+)(0?[0-7]{3})\b/.exec(body);
    if (m) out.push({ value: m[1]!.padStart(4, '0').slice(-3), source });
  }
  return out;
}

/** True when `umask` removes at least the bits that 022 removes (group and other write). */
export function isUmaskAtLeast022(value: string): boolean {
  const n = parseInt(value, 8);
  return (n & 0o022) === 0o022;
}

/** Login defaults: /etc/login.defs and the umask of login shells. */
export class LoginDefs extends Tool {
  readonly command = 'grep';

  async read(): Promise<Record<string, string>> {
    const r = await this.node.execute('cat /etc/login.defs', { noErrorLog: true });
    return r.exitCode === 0 ? parseLoginDefs(r.stdout) : {};
  }

  async umaskSettings(): Promise<UmaskSetting[]> {
    const r = await this.node.execute(
      "grep -HE '^[[:space:]]*UMASK[[:space:]]|^[^#]*\\bumask[[:space:]]+[0-7]' /etc/login.defs /etc/profile /etc/bash.bashrc /etc/bashrc /etc/profile.d/*.sh 2>/dev/null; true",
      { noErrorLog: true },
    );
    return parseUmaskSettings(r.stdout);
  }
}
