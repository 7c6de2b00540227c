import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellJoin } from '../src/shell/quote.js';

export interface WritableEntry {
  /** Octal mode, e.g. `777`. */
  mode: string;
  /** stat's %F: `regular file`, `directory`, ... */
  type: string;
  owner: string;
  path: string;
}

/** Parses `stat -c '%a|%F|%U|%n'` lines. */
export function parseStatLines(text: string): WritableEntry[] {
  const out: WritableEntry[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split('|');
    if (parts.length < 4) continue;
    out.push({ mode: parts[0]!, type: parts[1]!, owner: parts[2]!, path: parts.slice(3).join('|') });
  }
  return out;
}

export const SYSTEM_PATHS = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib64', '/boot'];

/**
 * World-writable files, and world-writable directories without the sticky bit, under system paths.
 * Symlinks are skipped (always 777); -xdev keeps the scan off /proc-like and network mounts.
 */
export class WorldWritable extends Tool {
  readonly command = 'find';
  override readonly packages: PackageNames = { default: 'findutils' };

  async scan(paths: string[] = SYSTEM_PATHS): Promise<WritableEntry[]> {
    const roots = `$(for p in ${shellJoin(paths)}; do [ -e "$p" ] && [ ! -L "$p" ] && echo "$p"; done)`;
    const r = await this.node.execute(
      `find ${roots} -xdev \\( -type f -o -type d ! -perm -1000 \\) -perm -0002 -exec stat -c '%a|%F|%U|%n' {} + 2>/dev/null; true`,
      { sudo: true, timeoutMs: 600_000 },
    );
    return parseStatLines(r.stdout);
  }
}
