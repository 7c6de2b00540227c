// `npm run bench`: the harness measured against baselines taken in the same run.
//   node dist/bench/run.js [--cases N] [--rounds R] [--no-qemu] [--no-azure] [--no-results]
// 1. N trivial cases through the whole engine on one loopback sshd node, next to the same N
//    commands sent with a bare ssh2 loop: the ratio is the harness overhead.
// 2. 4 nodes running 4N cases, next to 1 node running N: the ratio is the parallel scaling.
//    And 1 node with `concurrency: 4` next to concurrency 1: the extra workers wait for the one
//    environment without costing anything (ratio about 1).
// 3. (qemu) boot-to-first-case of the QEMU platform, cold and warm, next to the same image started
//    by hand, and 1 vs 4 environments in parallel.
// 4. (azure) see bench/azure-bench.ts: deploy-to-first-command through the Azure platform vs the
//    loopback ARM endpoint's guest alone, and 50 environments at once on sshd-backed VMs.
import { cpus } from 'node:os';
import { startSshd, type Sshd } from '../test/helpers/sshd.js';
import { runEngineCases } from './engine-bench.js';
import { bareSsh2Loop } from './ssh-bare.js';

const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--cases') + 1]) || 1000;
const withQemu = !args.includes('--no-qemu');
const withAzure = !args.includes('--no-azure');
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function row(label: string, ms: number, n?: number): string {
  const per = n ? `  ${(ms / n).toFixed(3)} ms/case` : '';
  return `  ${label.padEnd(52)} ${(ms / 1000).toFixed(2).padStart(8)} s${per}`;
}

async function sshBench(): Promise<void> {
  const nodes: Sshd[] = await Promise.all([startSshd(), startSshd(), startSshd(), startSshd()]);
  try {
    const target = (s: Sshd) => ({
      host: s.host,
      port: s.port,
      username: s.username,
      privateKeyFile: s.privateKeyFile,
    });
    // Warm up both paths (JIT, sshd's first forks) so that neither pays a one-time cost.
    await bareSsh2Loop(nodes[0]!.connection(), 50);
    await runEngineCases([target(nodes[0]!)], 50);

    // Interleaved rounds, medians reported: this machine's timing noise is larger than the effect.
    const samples: Record<'bare' | 'one' | 'oneC4' | 'four' | 'bareFour', number[]> = {
      bare: [],
      one: [],
      oneC4: [],
      four: [],
      bareFour: [],
    };
    for (let round = 0; round < rounds; round++) {
      samples.bare.push(await bareSsh2Loop(nodes[0]!.connection(), count));
      samples.one.push(await runEngineCases([target(nodes[0]!)], count));
      samples.oneC4.push(await runEngineCases([target(nodes[0]!)], count, ['console'], 4));
      samples.four.push(await runEngineCases(nodes.map(target), count * 4));
      // What this machine can do at all: four bare loops at once, one per node, no harness.
      const t = performance.now();
      await Promise.all(nodes.map((n) => bareSsh2Loop(n.connection(), count)));
      samples.bareFour.push(performance.now() - t);
    }
    const [bare, one, oneC4, four, bareFour] = [
      samples.bare,
      samples.one,
      samples.oneC4,
      samples.four,
      samples.bareFour,
    ].map(median) as [number, number, number, number, number];
    console.log(
      `\nSSH engine benchmark (${count} trivial cases, loopback sshd; median of ${rounds} interleaved rounds)`,
    );
    console.log(row(`bare ssh2 loop, ${count} x 'true'`, bare, count));
    console.log(row(`lisa run, ${count} cases on 1 node`, one, count));
    console.log(row(`lisa run, ${count} cases on 1 node, concurrency 4`, oneC4, count));
    console.log(row(`lisa run, ${count * 4} cases on 4 nodes`, four, count * 4));
    console.log(row(`bare ssh2, 4 loops of ${count} at once (machine limit)`, bareFour, count * 4));
    const overhead = (one - bare) / count;
    console.log(`  harness overhead per case: ${overhead.toFixed(3)} ms (target < 1 ms)`);
    console.log(`  ratio lisa/bare: ${(one / bare).toFixed(2)} (target <= 1.3)`);
    console.log(`  ratio 1 environment, concurrency 4 / concurrency 1: ${(oneC4 / one).toFixed(2)} (target about 1)`);
    console.log(`  ratio 4 nodes x ${count * 4} / 1 node x ${count}: ${(four / one).toFixed(2)} (target <= 1.3)`);
    console.log(`  same ratio for bare ssh2 (what ${cpus().length} cores allow): ${(bareFour / bare).toFixed(2)}`);
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

async function qemuBench(): Promise<void> {
  const { benchQemu } = await import('./qemu-bench.js');
  const r = await benchQemu({ log: (l) => process.stderr.write(`${l}\n`) });
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log('\nQEMU platform benchmark (same image, same run)');
  console.log(row('cold boot to SSH, qemu by hand', r.rawColdMs));
  console.log(row('cold deploy to SSH, qemu platform', r.platformColdMs));
  console.log(`  ratio platform/raw (cold): ${ratio(r.platformColdMs, r.rawColdMs)} (target <= 1.2)`);
  console.log(row('warm restore to SSH, qemu by hand', r.rawWarmMs));
  console.log(row('warm deploy to SSH, qemu platform', r.platformWarmMs));
  console.log(`  ratio platform/raw (warm): ${ratio(r.platformWarmMs, r.rawWarmMs)} (target <= 1.2; warm <= 4 s)`);
  console.log(row('1 environment deployed', r.parallel1Ms));
  console.log(row(`${r.parallel} environments deployed in parallel`, r.parallelNMs));
  console.log(`  ratio ${r.parallel} envs / 1 env: ${ratio(r.parallelNMs, r.parallel1Ms)}`);
  if (r.runToFirstCaseMs !== undefined) console.log(row('lisa run start to first case (warm)', r.runToFirstCaseMs));
}

async function azureBench(): Promise<void> {
  const { benchAzure } = await import('./azure-bench.js');
  const { fileURLToPath } = await import('node:url');
  const r = await benchAzure({
    guest: withQemu,
    cli: fileURLToPath(new URL('../src/cli/main.js', import.meta.url)),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  console.log('\nAzure platform benchmark (loopback ARM endpoint, real SDK)');
  if (r.rawMs !== undefined && r.platformMs !== undefined) {
    console.log(row('guest booted by the endpoint alone, to SSH', r.rawMs));
    console.log(row('platform deploy to first command', r.platformMs));
    console.log(`  ratio platform/endpoint alone: ${(r.platformMs / r.rawMs).toFixed(2)} (target <= 1.2)`);
    if (r.rawFirstCommandMs !== undefined) {
      console.log(row('the same guest, to its first command (bare ssh2)', r.rawFirstCommandMs));
      console.log(
        `  ratio platform/endpoint alone, both to a first command: ${(r.platformMs / r.rawFirstCommandMs).toFixed(2)}`,
      );
    }
  }
  console.log(row(`${r.environments} environments in parallel (sshd VMs), lisa run`, r.parallelMs));
  console.log(
    `  harness peak RSS: ${r.harnessPeakRssMiB.toFixed(0)} MiB; cases passed ${r.cases.passed}/${r.cases.total}`,
  );
}

await sshBench();
if (!args.includes('--no-results')) {
  // 4. Results at scale: 10,000 cases in one lisa process (bench/results-bench.ts).
  const { benchResults, printResultsBench } = await import('./results-bench.js');
  printResultsBench(await benchResults(10_000, (l) => process.stderr.write(`${l}\n`)));
}
if (withQemu) await qemuBench();
if (withAzure) await azureBench();
