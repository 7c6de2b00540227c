import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Feature } from '../types.js';
import { detectPanics } from './panic.js';

export interface SerialScan {
  /** One excerpt per panic/oops/call trace, prefixed with the node name. */
  panics: string[];
  /** Byte offset per node where this scan ended; pass it to the next scan. */
  offsets: number[];
}

/** Reads bytes [from, end) of a file that QEMU keeps appending to. */
function readFrom(path: string, from: number): { text: string; end: number } {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    return { text: '', end: from };
  }
  if (size <= from) return { text: '', end: size < from ? 0 : from };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - from);
    const n = readSync(fd, buf, 0, buf.length, from);
    return { text: buf.subarray(0, n).toString('utf8'), end: from + n };
  } finally {
    closeSync(fd);
  }
}

/**
 * The serial console of every node of an environment. QEMU writes it to a file in the run
 * directory from the first byte of firmware output, so the engine can scan what a case produced.
 */
export class SerialConsole implements Feature {
  readonly name = 'SerialConsole';
  private lastCheck: number[];

  constructor(private readonly nodes: { name: string; serialLog: string }[]) {
    this.lastCheck = nodes.map(() => 0);
  }

  logFiles(): string[] {
    return this.nodes.map((n) => n.serialLog);
  }

  /** Everything the node's console printed so far. */
  read(nodeIndex = 0): string {
    return readFrom(this.nodes[nodeIndex]!.serialLog, 0).text;
  }

  /** Current end of each log, to scan only what comes after. */
  mark(): number[] {
    return this.nodes.map((n) => safeSize(n.serialLog));
  }

  /** Panics printed since `since` (one offset for all nodes, or one per node). */
  scan(since: number | number[] = 0): SerialScan {
    const panics: string[] = [];
    const offsets: number[] = [];
    this.nodes.forEach((n, i) => {
      const from = typeof since === 'number' ? since : (since[i] ?? 0);
      const read = readFrom(n.serialLog, from);
      // A line still being written is left for the next scan, so a trigger is never cut in two.
      const cut = read.text.lastIndexOf('\n') + 1;
      const text = read.text.slice(0, cut);
      offsets.push(from > read.end ? read.end : from + Buffer.byteLength(text));
      for (const f of detectPanics(text)) panics.push(`${n.name}: ${f.excerpt}`);
    });
    return { panics, offsets };
  }

  /** What the engine calls after each case: panics since the previous call, as one message. */
  checkSinceLast(): string | undefined {
    const r = this.scan(this.lastCheck);
    this.lastCheck = r.offsets;
    if (r.panics.length === 0) return undefined;
    return `kernel defect on the serial console:\n${r.panics.join('\n---\n')}`;
  }
}

function safeSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
