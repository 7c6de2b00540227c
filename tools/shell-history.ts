import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface HistoryFile {
  path: string;
  owner: string;
  sizeBytes: number;
}

/** Parses `stat -c '%s|%U|%n'` lines. */
export function parseHistoryStat(text: string): HistoryFile[] {
  const out: HistoryFile[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split('|');
    if (parts.length < 3) continue;
    out.push({ sizeBytes: Number(parts[0]), owner: parts[1]!, path: parts.slice(2).join('|') });
  }
  return out;
}

/** Non-empty shell history files of root and home directories: commands left behind in an image. */
export class ShellHistory extends Tool {
  readonly command = 'find';
  override readonly packages: PackageNames = { default: 'findutils' };

  async leftovers(): Promise<HistoryFile[]> {
    const r = await this.node.execute(
      `find /root /home -maxdepth 2 -type f -name '.*history' -size +0 -exec stat -c '%s|%U|%n' {} + 2>/dev/null; true`,
      { sudo: true, timeoutMs: 120_000 },
    );
    return parseHistoryStat(r.stdout);
  }
}
