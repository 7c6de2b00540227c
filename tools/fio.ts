import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface FioDirectionResult {
  iops: number;
  bwBytesPerSecond: number;
  ioBytes: number;
  /** Mean total latency (submission + completion), nanoseconds. */
  latMeanNs: number;
  /** 99th percentile completion latency, nanoseconds, when fio reported percentiles. */
  clatP99Ns?: number;
}

export interface FioJobResult {
  name: string;
  /** fio's per-job error code; 0 is success. */
  error: number;
  read: FioDirectionResult;
  write: FioDirectionResult;
}

interface RawDirection {
  iops?: number;
  bw_bytes?: number;
  bw?: number;
  io_bytes?: number;
  lat_ns?: { mean?: number };
  clat_ns?: { percentile?: Record<string, number> };
}

function direction(raw: RawDirection | undefined): FioDirectionResult {
  const d: FioDirectionResult = {
    iops: raw?.iops ?? 0,
    // bw is KiB/s; bw_bytes exists since fio 3.x.
    bwBytesPerSecond: raw?.bw_bytes ?? (raw?.bw ?? 0) * 1024,
    ioBytes: raw?.io_bytes ?? 0,
    latMeanNs: raw?.lat_ns?.mean ?? 0,
  };
  const p99 = raw?.clat_ns?.percentile?.['99.000000'];
  if (typeof p99 === 'number') d.clatP99Ns = p99;
  return d;
}

/** Parses `fio --output-format=json`; fio may print warnings before the JSON document. */
export function parseFioJson(text: string): FioJobResult[] {
  const start = text.indexOf('{\n') >= 0 ? text.indexOf('{\n') : text.indexOf('{');
  if (start < 0) throw new Error(`fio: no JSON in output: ${text.trim().slice(0, 200)}`);
  const doc = JSON.parse(text.slice(start)) as {
    jobs?: Array<{ jobname?: string; error?: number; read?: RawDirection; write?: RawDirection }>;
  };
  return (doc.jobs ?? []).map((j) => ({
    name: j.jobname ?? '',
    error: j.error ?? 0,
    read: direction(j.read),
    write: direction(j.write),
  }));
}

export interface FioJob {
  name?: string;
  /** A file or a block device. Writing to a device destroys its data. */
  filename: string;
  /** read, write, randread, randwrite, randrw, rw */
  rw: string;
  blockSize?: string;
  /** File size to lay out, e.g. `256M`; required for files. */
  size?: string;
  runtimeS?: number;
  iodepth?: number;
  numjobs?: number;
  /** Default libaio when available, psync otherwise is chosen by fio itself. */
  ioengine?: string;
  direct?: boolean;
}

/** `fio`: storage throughput and latency. */
export class Fio extends Tool {
  readonly command = 'fio';
  override readonly packages: PackageNames = { default: 'fio' };

  async runJob(job: FioJob): Promise<FioJobResult[]> {
    const runtime = job.runtimeS ?? 10;
    const args = [
      `--name=${shellQuote(job.name ?? 'lisa')}`,
      `--filename=${shellQuote(job.filename)}`,
      `--rw=${shellQuote(job.rw)}`,
      `--bs=${shellQuote(job.blockSize ?? '4k')}`,
      `--runtime=${runtime}`,
      '--time_based',
      `--iodepth=${job.iodepth ?? 1}`,
      `--numjobs=${job.numjobs ?? 1}`,
      `--direct=${job.direct === false ? 0 : 1}`,
      '--group_reporting',
      '--output-format=json',
    ];
    if (job.size) args.push(`--size=${shellQuote(job.size)}`);
    if (job.ioengine) args.push(`--ioengine=${shellQuote(job.ioengine)}`);
    const r = await this.runOk(args.join(' '), { sudo: true, timeoutMs: (runtime + 300) * 1000 });
    const jobs = parseFioJson(r.stdout);
    const failed = jobs.find((j) => j.error !== 0);
    if (failed) throw new Error(`fio job ${failed.name} on ${this.node.name} reported error ${failed.error}`);
    return jobs;
  }
}
