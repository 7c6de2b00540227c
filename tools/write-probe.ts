import { Tool } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface WriteProbeResult {
  writable: boolean;
  /** The error the write got, e.g. `Read-only file system`. */
  error?: string;
}

/** Reads the `touch` result of a probe: exit code 0 means writable. */
export function parseWriteProbe(exitCode: number, stderr: string): WriteProbeResult {
  if (exitCode === 0) return { writable: true };
  const error = /:\s*([^:]+)$/.exec(stderr.trim().split('\n').pop() ?? '')?.[1]?.trim() ?? stderr.trim();
  return { writable: false, error };
}

/**
 * Whether root can create a file in a directory. The honest test of "read-only /usr" on immutable
 * hosts: mount flags can say rw while a dm-verity or overlay setup refuses writes, and vice versa.
 */
export class WriteProbe extends Tool {
  readonly command = 'touch';

  async probe(dir: string): Promise<WriteProbeResult> {
    const f = `${dir.replace(/\/$/, '')}/.lisa-write-probe-${process.pid}`;
    const r = await this.node.execute(`touch ${shellQuote(f)} && rm -f ${shellQuote(f)}`, {
      sudo: true,
      noErrorLog: true,
    });
    return parseWriteProbe(r.exitCode, r.stderr);
  }
}
