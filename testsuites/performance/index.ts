import { defineSuite } from '../../src/testing/define.js';
import { shellQuote } from '../../src/shell/quote.js';
import { textVariable } from '../../src/testing/variables.js';
import { Fio, type FioJob } from '../../tools/fio.js';
import { StressNg } from '../../tools/stress-ng.js';
import { checkFioProducedThroughput, checkStressNg } from './checks.js';

const PATTERNS: { name: string; rw: string; blockSize: string; iodepth: number }[] = [
  { name: 'seq_read', rw: 'read', blockSize: '1M', iodepth: 8 },
  { name: 'seq_write', rw: 'write', blockSize: '1M', iodepth: 8 },
  { name: 'rand_read_4k', rw: 'randread', blockSize: '4k', iodepth: 16 },
  { name: 'rand_write_4k', rw: 'randwrite', blockSize: '4k', iodepth: 16 },
];

/**
 * Short workload runs that produce comparable metrics. Variables: `fio_filename` (a file, or a data
 * disk device whose contents are destroyed; default /var/tmp/lisa-fio.dat), `fio_size` (256M),
 * `fio_runtime_s` (10), `fio_direct` (true), `stress_seconds` (20).
 */
export default defineSuite({
  name: 'performance',
  area: 'performance',
  category: 'performance',
  description: 'fio throughput and latency on a file or data disk; a short stress-ng run',
  tags: ['performance'],
  owner: 'lisa-ts',
  requirement: { supportedOs: ['linux'] },
  cases: [
    {
      name: 'fio_throughput',
      priority: 2,
      timeoutMs: 1_800_000,
      description: 'sequential and random read/write with fio; bandwidth, IOPS and latency as metrics',
      async run(ctx) {
        const fio = ctx.tool(Fio);
        const filename = textVariable(ctx.variables, 'fio_filename', '/var/tmp/lisa-fio.dat');
        const isFile = !filename.startsWith('/dev/');
        try {
          for (const p of PATTERNS) {
            const job: FioJob = {
              name: p.name,
              filename,
              rw: p.rw,
              blockSize: p.blockSize,
              iodepth: p.iodepth,
              runtimeS: Number(ctx.variables.fio_runtime_s ?? 10),
              direct: ctx.variables.fio_direct !== false && ctx.variables.fio_direct !== 'false',
              ioengine: 'libaio',
            };
            if (isFile) job.size = textVariable(ctx.variables, 'fio_size', '256M');
            const jobs = await fio.runJob(job);
            checkFioProducedThroughput(`fio ${p.name} on ${filename}`, p.rw, jobs);
            const dir = p.rw.includes('read') ? jobs[0]!.read : jobs[0]!.write;
            ctx.metric(`${p.name}_bandwidth`, dir.bwBytesPerSecond / 1048576, 'MiB/s', { higherIsBetter: true });
            ctx.metric(`${p.name}_iops`, dir.iops, 'IOPS', { higherIsBetter: true });
            ctx.metric(`${p.name}_latency_mean`, dir.latMeanNs / 1000, 'us', { higherIsBetter: false });
          }
        } finally {
          if (isFile) await ctx.node.execute(`rm -f ${shellQuote(filename)}`, { sudo: true, noErrorLog: true });
        }
      },
    },
    {
      name: 'stress_ng_short',
      priority: 2,
      timeoutMs: 900_000,
      tags: ['stress'],
      description: 'stress-ng cpu, vm and io stressors run to completion without failures',
      async run(ctx) {
        const stressors = { cpu: 0, vm: 1, hdd: 1 };
        const r = await ctx.tool(StressNg).stress(stressors, {
          timeoutS: Number(ctx.variables.stress_seconds ?? 20),
          extraArgs: '--vm-bytes 20% --hdd-bytes 64M --temp-path /var/tmp',
        });
        for (const m of r.metrics)
          ctx.metric(`${m.stressor}_bogo_ops_per_s`, m.bogoOpsPerSecondRealTime, 'bogo ops/s', {
            higherIsBetter: true,
          });
        checkStressNg(ctx.node.name, r, Object.keys(stressors));
      },
    },
  ],
});
