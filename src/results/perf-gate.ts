import type { EventInput } from './event-bus.js';
import { environmentFacts } from './db/writer.js';
import { judgeMetric, type MetricFacts, type PerfCriterion } from './perf-criteria.js';

interface Metric {
  name: string;
  value: number;
  unit?: string;
  higherIsBetter?: boolean;
}

/** Key of a baseline value: the same case of the same combination, the same metric. */
export function baselineKey(runCaseId: string, metric: string): string {
  return `${runCaseId}\u0000${metric}`;
}

/**
 * LISA's perfevaluation: a case whose metrics break the criteria file fails, with the broken
 * criterion as its message. Applied to the event stream before anything records it, so every
 * report, the database and the exit code agree. A case that already failed keeps its own message.
 */
export class PerfGate {
  private readonly envFacts = new Map<string, Omit<MetricFacts, 'case' | 'area' | 'combination'>>();
  private readonly variables = new Map<string, Record<string, unknown>>();
  private readonly metrics = new Map<string, Metric[]>();

  constructor(
    private readonly criteria: readonly PerfCriterion[],
    private readonly baseline: ReadonlyMap<string, number> = new Map(),
  ) {}

  transform(e: EventInput): EventInput {
    switch (e.type) {
      case 'combination.begin':
        this.variables.set(e.combination.name, e.combination.variables);
        return e;
      case 'env.begin': {
        const f = environmentFacts(e.nodes, e, this.variables.get(e.combination) ?? {});
        this.envFacts.set(e.envId, {
          image: f.image,
          kernel: f.kernel,
          distro: f.distro,
          vm_size: f.vmSize,
          platform: e.platform,
        });
        return e;
      }
      case 'case.begin':
        // Metrics belong to the attempt that is running: each attempt is judged on its own.
        this.metrics.set(e.case.runCaseId, []);
        return e;
      case 'case.metric': {
        const list = this.metrics.get(e.case.runCaseId) ?? [];
        list.push(e);
        this.metrics.set(e.case.runCaseId, list);
        return e;
      }
      case 'case.end': {
        const list = this.metrics.get(e.case.runCaseId) ?? [];
        this.metrics.delete(e.case.runCaseId);
        if (e.status !== 'PASSED' || list.length === 0) return e;
        const facts: MetricFacts = {
          case: e.case.caseId,
          area: e.case.area,
          combination: e.case.combination,
          ...(e.envId ? this.envFacts.get(e.envId) : {}),
        };
        for (const m of list) {
          const broken = judgeMetric(this.criteria, m, facts, this.baseline.get(baselineKey(e.case.runCaseId, m.name)));
          if (broken) return { ...e, status: 'FAILED', message: `performance criteria: ${broken}` };
        }
        return e;
      }
      default:
        return e;
    }
  }
}
