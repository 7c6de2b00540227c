import { Tool, type PackageNames } from '../src/tool/tool.js';
import { parseCpuList } from './lscpu.js';

export interface NumaNode {
  id: number;
  cpus: number[];
  sizeMiB: number;
  freeMiB: number;
}

export interface NumaTopology {
  nodes: NumaNode[];
  /** distances[i][j] between node ids in the order of `nodes`. */
  distances: number[][];
}

/** Parses `numactl -H`. */
export function parseNumactlHardware(text: string): NumaTopology {
  const nodes = new Map<number, NumaNode>();
  const get = (id: number) => {
    let n = nodes.get(id);
    if (!n) nodes.set(id, (n = { id, cpus: [], sizeMiB: 0, freeMiB: 0 }));
    return n;
  };
  const distances: number[][] = [];
  let inDistances = false;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^node (\d+) cpus:(.*)$/.exec(line))) get(Number(m[1])).cpus = parseCpuList(m[2]!);
    else if ((m = /^node (\d+) size: (\d+) MB/.exec(line))) get(Number(m[1])).sizeMiB = Number(m[2]);
    else if ((m = /^node (\d+) free: (\d+) MB/.exec(line))) get(Number(m[1])).freeMiB = Number(m[2]);
    else if (/^node distances:/.test(line)) inDistances = true;
    else if (inDistances && (m = /^\s*\d+:\s+(.*)$/.exec(line))) distances.push(m[1]!.trim().split(/\s+/).map(Number));
  }
  return { nodes: [...nodes.values()].sort((a, b) => a.id - b.id), distances };
}

/** `numactl -H`: NUMA nodes, their CPUs and memory. */
export class Numactl extends Tool {
  readonly command = 'numactl';
  override readonly packages: PackageNames = { default: 'numactl' };

  async hardware(): Promise<NumaTopology> {
    const r = await this.runOk('-H', { timeoutMs: 30_000 });
    return parseNumactlHardware(r.stdout);
  }
}
