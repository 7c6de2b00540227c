import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { RunbookError } from '../runbook/errors.js';
import { errorAt, fromYaml, locate } from '../runbook/located.js';

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const percent = z
  .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/, 'a number or a percentage such as "10%"')])
  .transform((v) => (typeof v === 'number' ? v : Number(v.slice(0, -1)) / 100));

const criterionSchema = z.strictObject({
  metric: regex.describe('Regex matched against the whole metric name'),
  match: z
    .strictObject({
      case: regex.optional().describe('Regex on `suite.case`'),
      area: regex.optional(),
      combination: regex.optional(),
      image: regex.optional(),
      kernel: regex.optional(),
      distro: regex.optional(),
      vm_size: regex.optional(),
      platform: regex.optional(),
    })
    .optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  target: z.number().optional(),
  /** With target: how far below (above, when lower is better) the target a value may be. */
  tolerance: percent.optional(),
  /** How far a value may move the wrong way from the baseline run's value. */
  baseline_tolerance: percent.optional(),
  higher_is_better: z.boolean().optional().describe("Overrides the metric's own direction"),
});

const fileSchema = z.strictObject({ criteria: z.array(criterionSchema) });

export type PerfCriterion = z.output<typeof criterionSchema>;

/** Facts a criterion can match on, for the case whose metric is being judged. */
export interface MetricFacts {
  case: string;
  area: string;
  combination: string;
  image?: string;
  kernel?: string;
  distro?: string;
  vm_size?: string;
  platform?: string;
}

/** Reads a criteria file; mistakes are reported as `file:line:col: key: message`. */
export function loadPerfCriteria(path: string): PerfCriterion[] {
  const shown = relative(process.cwd(), path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RunbookError(`cannot read the perf criteria file: ${(e as NodeJS.ErrnoException).code}`, shown);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new RunbookError(e.message.split('\n')[0]!, shown, e.linePos?.[0].line, e.linePos?.[0].col);
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const tree = fromYaml(doc, lines, shown, path);
    const issue = parsed.error.issues[0]!;
    const path_ = issue.path as (string | number)[];
    throw errorAt(locate(tree, path_).pos, path_, issue.message);
  }
  return parsed.data.criteria;
}

/**
 * The first criterion a metric breaks, as a failure message, or undefined. `baseline` is the
 * same metric of the same case in the baseline run, when there is one.
 */
export function judgeMetric(
  criteria: readonly PerfCriterion[],
  metric: { name: string; value: number; unit?: string; higherIsBetter?: boolean },
  facts: MetricFacts,
  baseline: number | undefined,
): string | undefined {
  for (const c of criteria) {
    if (!whole(c.metric).test(metric.name) || !matches(c, facts)) continue;
    const v = metric.value;
    const unit = metric.unit ? ` ${metric.unit}` : '';
    const higher = c.higher_is_better ?? metric.higherIsBetter ?? true;
    const name = `${metric.name} ${v}${unit}`;
    if (c.min !== undefined && v < c.min) return `${name} is below the minimum ${c.min}${unit}`;
    if (c.max !== undefined && v > c.max) return `${name} is above the maximum ${c.max}${unit}`;
    if (c.target !== undefined) {
      const tol = c.tolerance ?? 0;
      const bound = higher ? c.target * (1 - tol) : c.target * (1 + tol);
      if (higher ? v < bound : v > bound)
        return `${name} misses the target ${c.target}${unit} by more than ${pct(tol)}`;
    }
    if (c.baseline_tolerance !== undefined && baseline !== undefined && baseline !== 0) {
      const change = (v - baseline) / Math.abs(baseline);
      if (higher ? change < -c.baseline_tolerance : change > c.baseline_tolerance) {
        return `${name} regressed ${pct(Math.abs(change))} from the baseline's ${baseline}${unit} (tolerance ${pct(c.baseline_tolerance)})`;
      }
    }
  }
  return undefined;
}

function matches(c: PerfCriterion, facts: MetricFacts): boolean {
  for (const [key, pattern] of Object.entries(c.match ?? {})) {
    const value = facts[key as keyof MetricFacts];
    if (pattern === undefined) continue;
    if (value === undefined || !new RegExp(pattern).test(value)) return false;
  }
  return true;
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
