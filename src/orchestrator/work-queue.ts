import type { CaseRef } from '../results/events.js';
import type { Requirement } from '../testing/types.js';
import type { SelectedCase } from './selection.js';

export interface WorkItem {
  selected: SelectedCase;
  ref: CaseRef;
  attempt: number;
}

export function requirementOf(item: WorkItem): Requirement {
  return item.selected.info.requirement;
}

/** Pending work, in priority order; retries go to the front so they run on the same environment. */
export class WorkQueue {
  private items: WorkItem[];
  private waiters: (() => void)[] = [];

  constructor(items: WorkItem[]) {
    this.items = [...items];
  }

  get size(): number {
    return this.items.length;
  }

  /** The first item accepted by `fits`, removed from the queue. */
  take(fits: (item: WorkItem) => boolean = () => true): WorkItem | undefined {
    const i = this.items.findIndex(fits);
    if (i < 0) return undefined;
    return this.items.splice(i, 1)[0];
  }

  pushFront(item: WorkItem): void {
    this.items.unshift(item);
    this.wake();
  }

  drain(): WorkItem[] {
    const all = this.items;
    this.items = [];
    this.wake();
    return all;
  }

  /** Resolves at the next change (an environment was released or work came back). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
