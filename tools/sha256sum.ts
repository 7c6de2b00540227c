import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

/** The digest from `sha256sum FILE` output (`<64 hex>  FILE`); throws on anything else. */
export function parseSha256sum(text: string): string {
  const m = /^\\?([0-9a-f]{64})\s/.exec(text.trim() + ' ');
  if (!m) throw new Error(`unexpected sha256sum output: ${JSON.stringify(text.slice(0, 200))}`);
  return m[1]!;
}

/** `sha256sum`: content digests, e.g. to prove data written to a disk reads back unchanged. */
export class Sha256sum extends Tool {
  readonly command = 'sha256sum';
  override readonly packages: PackageNames = { default: 'coreutils' };

  async sum(path: string, options: { sudo?: boolean } = {}): Promise<string> {
    const r = await this.runOk(shellQuote(path), { sudo: options.sudo, timeoutMs: 10 * 60_000 });
    return parseSha256sum(r.stdout);
  }
}
