import type { LoadedRunbook } from '../runbook/types.js';
import type { TestCaseInfo } from '../testing/types.js';
import { planItems } from './plan.js';
import { selectCases } from './selection.js';

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** `i/n` with 1 ≤ i ≤ n. */
export function parseShard(text: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new Error(`--shard ${text}: expected i/n with 1 ≤ i ≤ n, e.g. 2/3`);
  }
  return { index, count };
}

export interface ShardItem {
  runCaseId: string;
  caseId: string;
}

/** Every case a runbook would run, over all combinations, in plan order. */
export function plannedCases(runbook: LoadedRunbook, cases: readonly TestCaseInfo[]): ShardItem[] {
  return runbook.combinations.flatMap((rb) =>
    planItems(selectCases([...cases], rb.testcase).selected, rb.combination.name).map((i) => ({
      runCaseId: i.ref.runCaseId,
      caseId: i.ref.caseId,
    })),
  );
}

/**
 * Splits the work into `count` shards of about equal duration: longest case first onto the least
 * loaded shard (ties to the lower shard). Cases without history weigh the median of those with
 * one (1 each when there is none, so shards are balanced by count). The result depends only on
 * the inputs, so every CI machine computes the same split.
 */
export function assignShards(
  items: readonly ShardItem[],
  durations: ReadonlyMap<string, number>,
  count: number,
): Map<string, number> {
  const known = [...durations.values()].sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)]! : 1;
  const weighted = items
    .map((i) => ({ id: i.runCaseId, w: durations.get(i.caseId) ?? fallback }))
    .sort((a, b) => b.w - a.w || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const { id, w } of weighted) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += w;
    out.set(id, best + 1);
  }
  return out;
}
