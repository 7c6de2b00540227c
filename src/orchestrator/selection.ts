import type { TestCaseRule } from '../runbook/types.js';
import type { TestCaseInfo } from '../testing/types.js';

/** Per-case settings that runbook rules can set. */
export interface CaseSettings {
  times: number;
  retry: number;
  timeoutMs: number;
  useNewEnvironment: boolean;
  ignoreFailure: boolean;
}

export interface SelectedCase {
  info: TestCaseInfo;
  settings: CaseSettings;
  /** The rule that selected it (`file:line`), or `default` when the runbook has no rules. */
  selectedBy: string;
}

export interface Selection {
  selected: SelectedCase[];
  /** Why each other case was left out. */
  excluded: { info: TestCaseInfo; reason: string }[];
}

// LISA compiles criteria patterns case-insensitively (docs/lisa-compatibility.md).
const re = (pattern: string) => new RegExp(pattern, 'i');

function matches(rule: TestCaseRule, c: TestCaseInfo): boolean {
  const k = rule.criteria;
  if (k.name && !re(k.name).test(c.id) && !re(k.name).test(c.name)) return false;
  if (k.area && !re(k.area).test(c.area)) return false;
  if (k.category && !re(k.category).test(c.category)) return false;
  if (k.priority && k.priority.length > 0 && !k.priority.includes(c.priority)) return false;
  if (k.tags && !k.tags.every((t) => c.tags.includes(t))) return false;
  if (k.maturity && !k.maturity.includes(c.maturity ?? 'stable')) return false;
  return true;
}

/**
 * Applies the runbook's `testcase` rules top-down, as LISA does: `include` adds matches,
 * `exclude` removes them, and the `force` variants win over every later plain rule.
 * Without rules every case is selected.
 */
export function selectCases(cases: TestCaseInfo[], rules: TestCaseRule[]): Selection {
  type State = {
    in: boolean;
    forced: boolean;
    /** An include rule naming the case's maturity selected it: LISA's stable gate lets it pass. */
    maturityNamed: boolean;
    settings: CaseSettings;
    by: string;
    reason: string;
  };
  const state = new Map<string, State>();
  for (const c of cases) {
    state.set(c.id, {
      in: rules.length === 0,
      forced: false,
      maturityNamed: false,
      settings: { times: 1, retry: 0, timeoutMs: c.timeoutMs, useNewEnvironment: false, ignoreFailure: false },
      by: 'default',
      reason: 'no testcase rule matches it',
    });
  }
  for (const rule of rules) {
    const force = rule.selectAction === 'forceInclude' || rule.selectAction === 'forceExclude';
    const include = rule.selectAction === 'include' || rule.selectAction === 'forceInclude';
    // LISA's `select_action: none` keeps the selection and only sets times/retry/... on the
    // matching cases that are already selected.
    const none = rule.selectAction === 'none';
    for (const c of cases) {
      if (!matches(rule, c)) continue;
      const s = state.get(c.id)!;
      if (none && !s.in) continue;
      if (s.forced && !force && !none) continue;
      if (!none) s.in = include;
      s.forced = s.forced || force;
      if (include && rule.criteria.maturity) s.maturityNamed = true;
      else if (!include && !none) s.maturityNamed = false;
      if (include || none) {
        if (!none) s.by = rule.where;
        if (rule.times !== undefined) s.settings.times = rule.times;
        if (rule.retry !== undefined) s.settings.retry = rule.retry;
        if (rule.timeout !== undefined) s.settings.timeoutMs = rule.timeout * 1000;
        if (rule.useNewEnvironment !== undefined) s.settings.useNewEnvironment = rule.useNewEnvironment;
        if (rule.ignoreFailure !== undefined) s.settings.ignoreFailure = rule.ignoreFailure;
      } else {
        s.reason = `excluded by the ${rule.selectAction} rule at ${rule.where}`;
      }
    }
  }
  const selection: Selection = { selected: [], excluded: [] };
  for (const c of cases) {
    const s = state.get(c.id)!;
    // LISA's implicit stable gate, applied last: forceInclude and a rule naming the maturity pass it.
    const maturity = c.maturity ?? 'stable';
    if (s.in && maturity !== 'stable' && !s.forced && !s.maturityNamed) {
      s.in = false;
      s.reason = `its maturity is ${maturity}: only stable cases run unless a rule's criteria name maturity ${maturity} or force-include it`;
    }
    if (s.in) selection.selected.push({ info: c, settings: s.settings, selectedBy: s.by });
    else selection.excluded.push({ info: c, reason: s.reason });
  }
  // Most important first, so that a run cut short has done what matters.
  selection.selected.sort((a, b) => a.info.priority - b.info.priority || a.info.id.localeCompare(b.info.id));
  return selection;
}
