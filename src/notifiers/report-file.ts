import type { Logger } from '../logging/logger.js';
import { writeFileAtomic } from './atomic-write.js';

/** Writes may take this share of the run's wall time, plus a start-up allowance. */
const BUDGET_SHARE = 0.1;
const BUDGET_GRACE_MS = 1000;

/**
 * The time report rewrites may take, shared by the report files of one run: with JSON, JUnit and
 * HTML each allowed a tenth of the run, rewriting took three tenths of a 10,000-case run (and
 * made most of its garbage).
 */
export class WriteBudget {
  spentMs = 0;
  readonly started = Date.now();
}

/** One budget per notifier context: the notifiers of one run share it, separate runs (and tests) do not. */
const budgets = new WeakMap<object, WriteBudget>();
export function sharedWriteBudget(owner: object): WriteBudget {
  let b = budgets.get(owner);
  if (!b) budgets.set(owner, (b = new WriteBudget()));
  return b;
}

/**
 * A report file rebuilt from scratch whenever a case ends. Each rewrite costs O(cases), so on a
 * large run rewriting on every case.end would be quadratic; instead rewrites are immediate while
 * the total cost of the run's rewrites (the budget, shared by its reports) stays under ~10% of
 * the elapsed time (always, for normal runs) and are deferred to a timer beyond that. `flush`
 * (run.end, finish) always writes.
 */
export class ReportFile {
  private lastWrite = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    /** The whole file, as one string or (for large reports) as pieces written as they come. */
    private readonly render: () => string | Iterable<string>,
    private readonly log: Logger,
    /** At least this long between two rewrites during the run (the HTML page's refresh rate). */
    private readonly minIntervalMs = 0,
    private readonly budget = new WriteBudget(),
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
    const allowed = BUDGET_GRACE_MS + BUDGET_SHARE * (now - this.budget.started);
    const byBudget = (this.budget.spentMs - allowed) / BUDGET_SHARE;
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
      this.budget.spentMs += performance.now() - begin;
    }
  }
}
