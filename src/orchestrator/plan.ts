import type { CaseRef } from '../results/events.js';
import type { SelectedCase } from './selection.js';
import type { WorkItem } from './work-queue.js';

/** Expands `times` into one work item per repetition, each with its own run-wide id. */
export function planItems(selected: SelectedCase[], combination: string): WorkItem[] {
  const items: WorkItem[] = [];
  for (const s of selected) {
    for (let iteration = 1; iteration <= s.settings.times; iteration++) {
      const ref: CaseRef = {
        runCaseId: `${combination === 'default' ? '' : `${combination}/`}${s.info.id}${s.settings.times > 1 ? `#${iteration}` : ''}`,
        caseId: s.info.id,
        name: s.info.name,
        suite: s.info.suite,
        area: s.info.area,
        priority: s.info.priority,
        tags: s.info.tags,
        combination,
        iteration,
      };
      items.push({ selected: s, ref, attempt: 1 });
    }
  }
  return items;
}
