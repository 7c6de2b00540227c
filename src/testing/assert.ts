import { AssertionFailure } from './errors.js';

/**
 * Checks for test cases. Each failure says what was checked, what was expected and what was found,
 * so that a failed case's one-line message is enough to start debugging.
 */

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
}

export function expectEqual<T>(what: string, actual: T, expected: T): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    throw new AssertionFailure(what, show(expected), show(actual));
}

export function expectTrue(what: string, condition: boolean, expected: string, found: string): void {
  if (!condition) throw new AssertionFailure(what, expected, found);
}

export function expectAtLeast(what: string, actual: number, min: number, unit = ''): void {
  if (!(actual >= min)) throw new AssertionFailure(what, `at least ${min}${unit}`, `${actual}${unit}`);
}

export function expectMatch(what: string, actual: string, pattern: RegExp): void {
  if (!pattern.test(actual)) throw new AssertionFailure(what, `to match ${pattern}`, show(actual));
}

/** Fails when the list is not empty, naming up to `limit` offending items. */
export function expectNone<T>(
  what: string,
  items: readonly T[],
  describe: (t: T) => string = String,
  limit = 10,
): void {
  if (items.length === 0) return;
  const shown = items.slice(0, limit).map(describe).join('; ');
  const more = items.length > limit ? ` (+${items.length - limit} more)` : '';
  throw new AssertionFailure(what, 'none', `${items.length}: ${shown}${more}`);
}

export function fail(what: string, expected: string, found: string): never {
  throw new AssertionFailure(what, expected, found);
}
