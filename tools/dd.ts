import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface DdStats {
  bytes: number;
  seconds: number;
  /** Bytes per second as dd measured it. */
  rate: number;
}

/** Parses dd's final stderr line: `8388608 bytes (8.4 MB, 8.0 MiB) copied, 0.05 s, 168 MB/s`. */
export function parseDdStats(stderr: string): DdStats | undefined {
  const m = /(\d+) bytes .*copied, ([\d.]+) s/.exec(stderr);
  if (!m) return undefined;
  const bytes = Number(m[1]);
  const seconds = Number(m[2]);
  return { bytes, seconds, rate: seconds > 0 ? bytes / seconds : 0 };
}

/** `dd`: writes test data. Used by storage cases to put known content on a disk. */
export class Dd extends Tool {
  readonly command = 'dd';
  override readonly packages: PackageNames = { default: 'coreutils' };

  /** Writes `mib` MiB of random data to `path`, flushed to the device before returning (conv=fsync). */
  async writeRandom(path: string, mib: number, options: { sudo?: boolean } = {}): Promise<DdStats | undefined> {
    const r = await this.runOk(
      `if=/dev/urandom of=${shellQuote(path)} bs=1M count=${Math.max(1, Math.floor(mib))} conv=fsync`,
      {
        sudo: options.sudo,
        timeoutMs: 30 * 60_000,
      },
    );
    return parseDdStats(r.stderr);
  }
}
