import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

/** Effective sshd settings: lower-case keys, every value of a repeated key (hostkey, listenaddress). */
export type SshdSettings = Record<string, string[]>;

/** Parses `sshd -T` (one `key value` per line, keys already lower-case). */
export function parseSshdT(text: string): SshdSettings {
  const settings: SshdSettings = {};
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    (settings[key] ??= []).push(m[2]!.trim());
  }
  if (!settings.port && !settings.permitrootlogin) {
    throw new Error(`sshd -T: not an sshd configuration dump: ${text.trim().slice(0, 200)}`);
  }
  return settings;
}

/** The first value of a setting, or undefined. */
export function sshdValue(settings: SshdSettings, key: string): string | undefined {
  return settings[key.toLowerCase()]?.[0];
}

/** sshd's effective configuration via `sshd -T` (needs root to read host keys). */
export class SshdConfig extends Tool {
  readonly command = 'sshd';
  override readonly packages: PackageNames = {
    default: 'openssh-server',
    suse: 'openssh',
    arch: 'openssh',
    photon: 'openssh-server',
  };
  override readonly needsSudo = true;

  /**
   * `connection` evaluates Match blocks (`-C user=root,host=x,addr=y`); without it the global
   * settings are returned. /run/sshd must exist for -T on Debian when sshd is not running.
   */
  async effective(connection?: { user?: string; host?: string; addr?: string }): Promise<SshdSettings> {
    let args = '-T';
    if (connection) {
      const spec = [
        `user=${connection.user ?? 'root'}`,
        `host=${connection.host ?? 'localhost'}`,
        `addr=${connection.addr ?? '127.0.0.1'}`,
      ];
      args += ` -C ${shellQuote(spec.join(','))}`;
    }
    const r = await this.node.execute(`mkdir -p /run/sshd 2>/dev/null; PATH="$PATH:/usr/sbin:/sbin" sshd ${args}`, {
      sudo: true,
      expectedExitCode: 0,
    });
    return parseSshdT(r.stdout);
  }
}
