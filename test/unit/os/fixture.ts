import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, from test/unit/os (tsx) or dist/test/unit/os (compiled by `npm test`). */
export const repoRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../../' : '../../../', import.meta.url));

export const fixturesDir = `${repoRoot}test/fixtures/`;

/** Reads test/fixtures/<rel>. */
export function fixture(rel: string): string {
  return readFileSync(`${fixturesDir}${rel}`, 'utf8');
}
