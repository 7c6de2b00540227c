/**
 * Lets workers sleep until something they wait for happens (an environment was released, the run
 * stopped). A waiter registers synchronously, at the moment it decides to wait, so a wake-up that
 * follows that decision is never missed; and it is only ever resolved by a real event, so waiting
 * never turns into a loop of microtasks.
 */
export class Wakeup {
  private waiters: (() => void)[] = [];

  /** Resolves at the next wake(). */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
