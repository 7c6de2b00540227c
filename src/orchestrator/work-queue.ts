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
  }

  drain(): WorkItem[] {
    const all = this.items;
    this.items = [];
    return all;
  }
}
