import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allPairs } from '../../../src/runbook/combinators/pairwise.js';

/** Every (item i value a, item j value b) pair, and which of them the rows leave out. */
function missingPairs(sizes: number[], rows: number[][]): string[] {
  const missing: string[] = [];
  for (let i = 0; i < sizes.length; i++)
    for (let j = i + 1; j < sizes.length; j++)
      for (let a = 0; a < sizes[i]!; a++)
        for (let b = 0; b < sizes[j]!; b++)
          if (!rows.some((r) => r[i] === a && r[j] === b)) missing.push(`${i}=${a},${j}=${b}`);
  return missing;
}

describe('pairwise (all-pairs) reduction', () => {
  test('4 items x 3 values: every pair covered in at most 11 rows (grid 81, optimum 9)', () => {
    const rows = allPairs([3, 3, 3, 3]);
    assert.deepEqual(missingPairs([3, 3, 3, 3], rows), []);
    assert.ok(rows.length <= 11, `${rows.length} rows`);
    assert.ok(rows.every((r) => r.length === 4 && r.every((v) => v >= 0 && v < 3)));
  });

  test('mixed sizes are covered and far below the product', () => {
    for (const sizes of [
      [2, 2, 2],
      [4, 3, 2, 2, 5],
      [3, 3, 3, 3, 3, 3, 3],
      [10, 1, 4],
      [2, 9, 2, 3],
    ]) {
      const rows = allPairs(sizes);
      assert.deepEqual(missingPairs(sizes, rows), [], `sizes ${sizes.join('x')}`);
      const sorted = [...sizes].sort((a, b) => b - a);
      // No fewer than the two largest multiplied; well under the full product for 3+ items.
      assert.ok(rows.length >= sorted[0]! * (sorted[1] ?? 1));
      const product = sizes.reduce((a, b) => a * b, 1);
      if (product > sorted[0]! * (sorted[1] ?? 1)) assert.ok(rows.length < product, `${rows.length} vs ${product}`);
    }
  });

  test('one or two items are the plain product', () => {
    assert.equal(allPairs([3]).length, 3);
    assert.equal(allPairs([3, 4]).length, 12);
  });
});
