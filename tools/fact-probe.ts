import { shellQuote } from '../src/shell/quote.js';
import { Tool, type PackageNames } from '../src/tool/tool.js';

/** Output of a fact script: the text printed under each `### name` marker line, by name. */
export type FactBlocks = Record<string, string>;

/** Splits `### name` delimited output into blocks (text before the first marker is dropped). */
export function parseFactBlocks(text: string): FactBlocks {
  const out: FactBlocks = {};
  let name: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== undefined) out[name] = lines.join('\n').replace(/\n+$/, '');
  };
  for (const line of text.split('\n')) {
    const m = /^### (\S+)$/.exec(line);
    if (m) {
      flush();
      name = m[1]!;
      lines = [];
    } else if (name !== undefined) lines.push(line);
  }
  flush();
  return out;
}

/** The lines of a block, empty lines dropped; [] when the block is missing. */
export function blockLines(facts: FactBlocks, name: string): string[] {
  return (facts[name] ?? '').split('\n').filter((l) => l.trim() !== '');
}

/**
 * Runs a read-only fact script as root in one round trip (a TCG guest costs ~0.1 s per command)
 * and returns its `### name` blocks. Scripts print markers themselves: `echo '### mounts'; findmnt`.
 */
export class FactProbe extends Tool {
  readonly command = 'sh';
  override readonly packages: PackageNames = {};

  async gather(script: string, timeoutMs = 10 * 60_000): Promise<FactBlocks> {
    const r = await this.node.execute(`PATH="$PATH:/usr/sbin:/sbin" sh -c ${shellQuote(script)}`, {
      sudo: true,
      timeoutMs,
      noErrorLog: true,
    });
    return parseFactBlocks(r.stdout);
  }
}
