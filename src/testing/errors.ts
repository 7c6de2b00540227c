/** Thrown by `ctx.skip()`; the engine marks the case SKIPPED with the reason. */
export class SkipError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SkipError';
  }
}

/** A check that did not hold: says what was expected and what was found. */
export class AssertionFailure extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${what}: expected ${expected}, found ${found}`);
    this.name = 'AssertionFailure';
  }
}
