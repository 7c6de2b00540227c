import type { Logger } from '../logging/logger.js';
import { writeFileAtomic } from './atomic-write.js';

/** Writes may take this share of the run's wall time, plus a start-up allowance. */
const BUDGET_SHARE = 0.1;
const BUDGET_GRACE_MS = 1000;

/**
 * A report file rebuilt from scratch whenever a case ends. Each rewrite costs O(cases), so on a
 * large run rewriting on every case.end would be quadratic; instead rewrites are immediate while
 * their total cost stays under ~10% of the elapsed time (always, for normal runs) and are deferred
 * to a timer beyond that. `flush` (run.end, finish) always writes.
 */
export class ReportFile {
  private spentMs = 0;
  private lastWrite = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    /** The whole file, as one string or (for large reports) as pieces written as they come. */
    private readonly render: () => string | Iterable<string>,
    private readonly log: Logger,
    /** At least this long between two rewrites during the run (the HTML page's refresh rate). */
    private readonly minIntervalMs = 0,
  ) {}

  /** A case ended: rewrite now, or soon if rewrites are eating into the run. */
  update(): void {
    const wait = this.waitMs(Date.now());
    if (wait <= 0) {
      this.tryWrite();
      return;
    }
    // Never keep the process alive for a refresh; flush() writes the final state anyway.
    this.timer ??= setTimeout(() => this.tryWrite(), Math.ceil(wait)).unref();
  }

  /** Writes the current state now; errors reach the caller. */
  flush(): void {
    this.write();
  }

  private waitMs(now: number): number {
    const byInterval = this.lastWrite + this.minIntervalMs - now;
    const allowed = BUDGET_GRACE_MS + BUDGET_SHARE * (now - this.started);
    const byBudget = (this.spentMs - allowed) / BUDGET_SHARE;
    return Math.max(byInterval, byBudget);
  }

  private failing = false;

  private tryWrite(): void {
    try {
      this.write();
      this.failing = false;
    } catch (err) {
      // Mid-run a failed write (disk full) is reported once and retried at the next case; the run goes on.
      if (!this.failing) this.log.warn(`${(err as Error).message}; retried as cases finish`);
      this.failing = true;
    }
  }

  private write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const begin = performance.now();
    this.lastWrite = Date.now();
    try {
      writeFileAtomic(this.path, this.render());
    } finally {
      this.spentMs += performance.now() - begin;
    }
  }
}
