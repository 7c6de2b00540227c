/** Expands `combinator:` into the list of variable sets, one run of the runbook each. */
import type { z } from 'zod';
import type { combinatorSchema } from './schema/runbook.js';

export type Combinator = z.output<typeof combinatorSchema>;

export interface Combination {
  /** `image=debian12,kernel=6.1`, or `default`. */
  name: string;
  variables: Record<string, unknown>;
}

/** How many combinations the combinator makes, computed without making them (csv: checked on reading). */
export function countCombinations(combinator: Combinator | undefined): number {
  if (!combinator || combinator.type === 'csv' || combinator.type === 'git_bisect') return 1;
  if (combinator.type === 'batch') return combinator.items.length;
  const sizes = combinator.items.map((item) => item.value.length);
  if (combinator.type === 'pairwise') {
    // An upper bound of the all-pairs rows: the two largest multiplied, times the other items.
    const [a = 1, b = 1] = [...sizes].sort((x, y) => y - x);
    return a * b * Math.max(1, sizes.length - 1);
  }
  return sizes.reduce((n, size) => n * size, 1);
}

/** grid and batch (pairwise, csv and git_bisect are in combinators/). */
export function expandCombinator(
  combinator: Extract<Combinator, { type: 'grid' | 'batch' }> | undefined,
): Combination[] {
  if (!combinator) return [{ name: 'default', variables: {} }];
  const sets: Record<string, unknown>[] =
    combinator.type === 'batch'
      ? combinator.items
      : combinator.items.reduce<Record<string, unknown>[]>(
          // The first item varies slowest, as one reads the runbook.
          (acc, item) => acc.flatMap((set) => item.value.map((value) => ({ ...set, [item.name]: value }))),
          [{}],
        );
  return named(sets);
}

export function named(sets: Record<string, unknown>[]): Combination[] {
  return sets.map((variables) => ({ name: nameOf(variables), variables }));
}

export function nameOf(variables: Record<string, unknown>): string {
  return Object.entries(variables)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(',');
}
