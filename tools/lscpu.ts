import { Tool, type PackageNames } from '../src/tool/tool.js';

export interface CpuInfo {
  architecture: string;
  /** `CPU(s):` — every CPU the kernel knows, online or not. */
  cpus: number;
  online: number[];
  /** From `Off-line CPU(s) list:`; empty when every CPU is online. */
  offline: number[];
  threadsPerCore: number;
  coresPerSocket: number;
  sockets: number;
  numaNodes: number;
  vendor: string;
  modelName: string;
  flags: string[];
  /** e.g. `KVM`, `Microsoft`; empty on bare metal. */
  hypervisor: string;
  /** Every field as printed, without the trailing colon, for anything not typed above. */
  fields: Record<string, string>;
}

/** `0-3,5,7-8` → [0,1,2,3,5,7,8]. Used by lscpu, numactl and /sys cpu lists. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text
    .trim()
    .split(/[,\s]+/)
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

interface RawField {
  field: string;
  data: string | null;
  children?: RawField[];
}

/** Parses `lscpu -J`. util-linux ≥ 2.38 nests fields under `children`; older ones are flat. */
export function parseLscpuJson(text: string): CpuInfo {
  const raw = (JSON.parse(text) as { lscpu?: RawField[] }).lscpu ?? [];
  const fields: Record<string, string> = {};
  const walk = (list: RawField[]) => {
    for (const f of list) {
      fields[f.field.replace(/:$/, '').trim()] = (f.data ?? '').trim();
      if (f.children) walk(f.children);
    }
  };
  walk(raw);
  const num = (k: string) => Number(fields[k] ?? NaN) || 0;
  const online = parseCpuList(fields['On-line CPU(s) list'] ?? '');
  return {
    architecture: fields.Architecture ?? '',
    cpus: num('CPU(s)'),
    online,
    offline: parseCpuList(fields['Off-line CPU(s) list'] ?? ''),
    threadsPerCore: num('Thread(s) per core'),
    coresPerSocket: num('Core(s) per socket') || num('Core(s) per cluster'),
    sockets: num('Socket(s)') || num('Cluster(s)') || 1,
    numaNodes: num('NUMA node(s)') || 1,
    vendor: fields['Vendor ID'] ?? '',
    modelName: fields['Model name'] ?? '',
    flags: (fields.Flags ?? '').split(/\s+/).filter(Boolean),
    hypervisor: fields['Hypervisor vendor'] ?? '',
    fields,
  };
}

/** `lscpu`: CPU topology, model and flags. */
export class Lscpu extends Tool {
  readonly command = 'lscpu';
  override readonly packages: PackageNames = { default: 'util-linux' };

  async info(): Promise<CpuInfo> {
    const r = await this.runOk('-J', { timeoutMs: 60_000 });
    return parseLscpuJson(r.stdout);
  }
}
