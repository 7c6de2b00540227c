/**
 * All-pairs reduction of a grid (IPOG, Lei & Tai): every value of every item meets every value of
 * every other item in at least one combination, with far fewer combinations than the product.
 */

/** `sizes[i]` values for item i → rows of value indexes. */
export function allPairs(sizes: readonly number[]): number[][] {
  if (sizes.length === 0) return [[]];
  if (sizes.length === 1) return Array.from({ length: sizes[0]! }, (_, v) => [v]);
  // Largest items first gives smaller suites; map back to the caller's order at the end.
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const s = order.map((i) => sizes[i]!);
  let rows: (number | undefined)[][] = [];
  for (let a = 0; a < s[0]!; a++) for (let b = 0; b < s[1]!; b++) rows.push([a, b]);
  for (let k = 2; k < s.length; k++) rows = extend(rows, s, k);
  return rows.map((row) => {
    const out = new Array<number>(sizes.length);
    order.forEach((orig, pos) => (out[orig] = row[pos] ?? 0));
    return out;
  });
}

/** Adds column k: horizontal growth (best value per row), then vertical growth for pairs left. */
function extend(rows: (number | undefined)[][], s: number[], k: number): (number | undefined)[][] {
  // uncovered[j] holds the pairs (value of column j, value of column k) not yet covered.
  const uncovered = Array.from({ length: k }, (_, j) => {
    const set = new Set<number>();
    for (let a = 0; a < s[j]!; a++) for (let b = 0; b < s[k]!; b++) set.add(a * s[k]! + b);
    return set;
  });
  const gain = (row: (number | undefined)[], v: number) =>
    row.slice(0, k).reduce<number>((n, a, j) => n + (a !== undefined && uncovered[j]!.has(a * s[k]! + v) ? 1 : 0), 0);
  const cover = (row: (number | undefined)[], v: number) =>
    row.slice(0, k).forEach((a, j) => a !== undefined && uncovered[j]!.delete(a * s[k]! + v));
  for (const row of rows) {
    let best = 0;
    let bestGain = -1;
    for (let v = 0; v < s[k]!; v++) {
      const g = gain(row, v);
      if (g > bestGain) [best, bestGain] = [v, g];
    }
    row[k] = best;
    cover(row, best);
  }
  const added: (number | undefined)[][] = [];
  for (let j = 0; j < k; j++) {
    for (const pair of [...uncovered[j]!]) {
      if (!uncovered[j]!.has(pair)) continue;
      const a = Math.floor(pair / s[k]!);
      const b = pair % s[k]!;
      // Reuse a row whose column j is still a don't-care and whose column k matches.
      let row =
        rows.find((r) => r[k] === b && r[j] === undefined) ?? added.find((r) => r[k] === b && r[j] === undefined);
      if (!row) {
        row = new Array<number | undefined>(k + 1).fill(undefined);
        row[k] = b;
        added.push(row);
      }
      row[j] = a;
      cover(row, b);
    }
  }
  // Don't-care cells stay open for later columns; allPairs fills what is left.
  return [...rows, ...added];
}
