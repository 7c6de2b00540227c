import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AssertionFailure } from '../../src/testing/errors.js';

/** The repository root, from test/helpers (tsx) or dist/test/helpers (compiled by `npm test`). */
export const repoRoot = fileURLToPath(
  new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url),
);

export const fixturesDir = `${repoRoot}test/fixtures/`;

/** Reads test/fixtures/<rel>. */
export function fixture(rel: string): string {
  return readFileSync(`${fixturesDir}${rel}`, 'utf8');
}

/** Asserts that fn fails with an AssertionFailure whose message matches every pattern. */
export function failsWith(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AssertionFailure, `expected an AssertionFailure, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}
