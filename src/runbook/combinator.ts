/** Expands `combinator:` into the list of variable sets, one run of the runbook each. */
import type { z } from 'zod';
import type { combinatorSchema } from './schema/runbook.js';

export type Combinator = z.output<typeof combinatorSchema>;

export interface Combination {
  /** `image=debian12,kernel=6.1`, or `default`. */
  name: string;
  variables: Record<string, unknown>;
}

/** How many combinations `expandCombinator` would make, computed without making them. */
export function countCombinations(combinator: Combinator | undefined): number {
  if (!combinator) return 1;
  if (combinator.type === 'batch') return combinator.items.length;
  return combinator.items.reduce((n, item) => n * item.value.length, 1);
}

export function expandCombinator(combinator: Combinator | undefined): Combination[] {
  if (!combinator) return [{ name: 'default', variables: {} }];
  const sets: Record<string, unknown>[] =
    combinator.type === 'batch'
      ? combinator.items
      : combinator.items.reduce<Record<string, unknown>[]>(
          // The first item varies slowest, as one reads the runbook.
          (acc, item) => acc.flatMap((set) => item.value.map((value) => ({ ...set, [item.name]: value }))),
          [{}],
        );
  return sets.map((variables) => ({ name: nameOf(variables), variables }));
}

function nameOf(variables: Record<string, unknown>): string {
  return Object.entries(variables)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(',');
}
