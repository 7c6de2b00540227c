import { parse as parseYaml } from 'yaml';
import { Tool, type PackageNames } from '../src/tool/tool.js';
import { shellQuote } from '../src/shell/quote.js';

export interface StressNgMetric {
  stressor: string;
  bogoOps: number;
  bogoOpsPerSecondRealTime: number;
  bogoOpsPerSecondCpuTime: number;
  wallClockS: number;
}

/** Parses the `metrics:` section of `stress-ng --yaml FILE`. */
export function parseStressNgYaml(text: string): StressNgMetric[] {
  const doc = parseYaml(text) as { metrics?: Array<Record<string, unknown>> } | null;
  return (doc?.metrics ?? []).map((m) => ({
    stressor: typeof m.stressor === 'string' ? m.stressor : '',
    bogoOps: Number(m['bogo-ops'] ?? 0),
    bogoOpsPerSecondRealTime: Number(m['bogo-ops-per-second-real-time'] ?? 0),
    bogoOpsPerSecondCpuTime: Number(m['bogo-ops-per-second-usr-sys-time'] ?? 0),
    wallClockS: Number(m['wall-clock-time'] ?? 0),
  }));
}

/** Parses `--metrics-brief` lines ("stress-ng: metrc: [pid] cpu 3398 3.00 2.01 0.01 1132.63 1682.29"). */
export function parseStressNgBrief(text: string): StressNgMetric[] {
  const out: StressNgMetric[] = [];
  for (const line of text.split('\n')) {
    const m =
      /(?:metrc|info):\s+\[\d+\]\s+([a-z0-9-]+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(
        line,
      );
    if (m) {
      out.push({
        stressor: m[1]!,
        bogoOps: Number(m[2]),
        wallClockS: Number(m[3]),
        bogoOpsPerSecondRealTime: Number(m[6]),
        bogoOpsPerSecondCpuTime: Number(m[7]),
      });
    }
  }
  return out;
}

export interface StressNgResult {
  metrics: StressNgMetric[];
  /** stress-ng's exit code: 0 success, 2 a stressor failed, 3 resources missing (see its man page). */
  exitCode: number;
  /** The "fail:" lines stress-ng printed. */
  failures: string[];
}

/** `stress-ng`: short load runs whose failures point at kernel or hardware defects. */
export class StressNg extends Tool {
  readonly command = 'stress-ng';
  override readonly packages: PackageNames = { default: 'stress-ng' };

  /** `stressors` maps a stressor to its instance count, e.g. `{ cpu: 0, vm: 1 }` (0 = one per CPU). */
  async stress(
    stressors: Record<string, number>,
    options: { timeoutS?: number; extraArgs?: string } = {},
  ): Promise<StressNgResult> {
    const timeoutS = options.timeoutS ?? 30;
    const yamlFile = `/tmp/lisa-stress-ng-${Date.now()}.yaml`;
    const args = Object.entries(stressors).map(([s, n]) => `--${shellQuote(s)} ${n}`);
    args.push(`--timeout ${timeoutS}s`, '--metrics-brief', `--yaml ${yamlFile}`);
    if (options.extraArgs) args.push(options.extraArgs);
    const r = await this.run(args.join(' '), { timeoutMs: (timeoutS + 120) * 1000, noErrorLog: true });
    const y = await this.node.execute(`cat ${yamlFile}; rm -f ${yamlFile}`, { noErrorLog: true });
    const text = `${r.stdout}\n${r.stderr}`;
    let metrics = y.exitCode === 0 ? parseStressNgYaml(y.stdout) : [];
    if (metrics.length === 0) metrics = parseStressNgBrief(text);
    const failures = text.split('\n').filter((l) => /\bfail:/.test(l));
    return { metrics, exitCode: r.exitCode, failures };
  }
}
