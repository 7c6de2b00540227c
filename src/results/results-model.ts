import type { SubResultStatus } from '../testing/types.js';
import type { CaseRef, CaseStatus, CombinationInfo, FinalStatus, RunEvent, RunSummary } from './events.js';
import { reportStatus, type ReportStatus } from './report-status.js';
import { PreparationRecords, type BisectRecord, type TransformerRecord } from './preparation-records.js';

export type { BisectRecord, TransformerRecord } from './preparation-records.js';

export interface SubResultRecord {
  name: string;
  status: SubResultStatus;
  message?: string;
}

export interface MetricRecord {
  name: string;
  value: number;
  unit?: string;
  higherIsBetter?: boolean;
  description?: string;
}

/** One try of a case; a case retried twice has three. */
export interface AttemptRecord {
  attempt: number;
  status: CaseStatus;
  message: string;
  envId?: string;
  logPath?: string;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  /** This attempt failed and `retry` runs the case again: not the case's result. */
  willRetry?: boolean;
  subResults: SubResultRecord[];
  metrics: MetricRecord[];
}

/** A case as every report shows it: the last attempt decides, earlier attempts are kept for the record. */
export interface CaseResult extends CaseRef {
  status: CaseStatus;
  message: string;
  /** The attempt that decided the status (1 = first try). */
  attempt: number;
  durationMs: number;
  envId?: string;
  logPath?: string;
  startedAt?: string;
  endedAt?: string;
  /** The run was interrupted before the case could complete; its status says how it was cut short. */
  unfinished?: boolean;
  subResults: SubResultRecord[];
  metrics: MetricRecord[];
  attempts: AttemptRecord[];
}

export interface EnvironmentRecord {
  envId: string;
  platform: string;
  combination: string;
  nodes: RunEventOfEnvBegin['nodes'];
  image?: string;
  vmSize?: string;
  startedAt: string;
  endedAt?: string;
  broken?: string;
}
type RunEventOfEnvBegin = Extract<RunEvent, { type: 'env.begin' }>;

/** The cases of one combination and suite. */
export interface CaseGroup {
  combination: string;
  suite: string;
  cases: CaseResult[];
}

export type RunState = 'RUNNING' | 'PASSED' | 'FAILED' | 'INTERRUPTED';

export interface RunResults {
  runId: string;
  name: string;
  runDir: string;
  platform: string;
  /** LISA `test_project`, `test_pass`, `tags` of the runbook, when written. */
  testProject?: string;
  testPass?: string;
  tags?: string[];
  status: RunState;
  startedAt?: string;
  endedAt?: string;
  durationMs: number;
  combinations: CombinationInfo[];
  environments: EnvironmentRecord[];
  transformers: TransformerRecord[];
  bisect?: BisectRecord;
  cases: CaseResult[];
  summary: RunSummary;
}

const FINAL: ReadonlySet<CaseStatus> = new Set(['PASSED', 'FAILED', 'SKIPPED', 'ATTEMPTED']);

/**
 * Folds the event stream into the results every report shows, so that JSON, JUnit, HTML and the
 * console summary can never disagree about a case. Tolerates events it has not seen the prelude of
 * (a case.end without case.queued) because a notifier may be attached late or events may be replayed.
 */
export class ResultsModel {
  private run: Omit<RunResults, 'cases' | 'summary' | 'combinations' | 'environments' | 'transformers'> = {
    runId: '',
    name: '',
    runDir: '',
    platform: '',
    status: 'RUNNING',
    durationMs: 0,
  };
  private readonly combos = new Map<string, CombinationInfo>();
  private readonly envs = new Map<string, EnvironmentRecord>();
  private readonly preparation = new PreparationRecords();
  private readonly byId = new Map<string, CaseResult>();
  private readonly byGroup = new Map<string, CaseGroup>();
  /** Combination and case id of the cases that run more than once (`times`). */
  private readonly repeated = new Set<string>();
  /** Cases by report status, kept as events arrive: a summary per event must not walk every case. */
  private readonly counts = new Map<ReportStatus, number>();
  private firstTime: string | undefined;
  private lastTime: string | undefined;

  /** Applies one event; returns the case it touched, if any. */
  apply(event: RunEvent): CaseResult | undefined {
    const ref = 'case' in event ? event.case : undefined;
    const before = ref && this.byId.get(ref.runCaseId);
    const was = before ? reportStatus(before) : undefined;
    const c = this.fold(event);
    if (c) {
      const now = reportStatus(c);
      if (now !== was) {
        if (was) this.counts.set(was, (this.counts.get(was) ?? 0) - 1);
        this.counts.set(now, (this.counts.get(now) ?? 0) + 1);
      }
    }
    return c;
  }

  private fold(event: RunEvent): CaseResult | undefined {
    this.firstTime ??= event.time;
    this.lastTime = event.time;
    switch (event.type) {
      case 'run.begin':
        this.run = {
          ...this.run,
          runId: event.runId,
          name: event.name,
          runDir: event.runDir,
          platform: event.platform,
          ...(event.testProject !== undefined ? { testProject: event.testProject } : {}),
          ...(event.testPass !== undefined ? { testPass: event.testPass } : {}),
          ...(event.tags !== undefined ? { tags: event.tags } : {}),
        };
        this.run.startedAt = event.time;
        for (const name of event.combinations)
          if (!this.combos.has(name)) this.combos.set(name, { name, variables: {} });
        return undefined;
      case 'combination.begin':
        this.combos.set(event.combination.name, event.combination);
        return undefined;
      case 'combination.end':
        return undefined;
      case 'env.begin': {
        const env: EnvironmentRecord = {
          envId: event.envId,
          platform: event.platform,
          combination: event.combination,
          nodes: event.nodes,
          startedAt: event.time,
        };
        if (event.image !== undefined) env.image = event.image;
        if (event.vmSize !== undefined) env.vmSize = event.vmSize;
        this.envs.set(event.envId, env);
        return undefined;
      }
      case 'env.end': {
        const env = this.envs.get(event.envId);
        if (env) {
          env.endedAt = event.time;
          if (event.broken) env.broken = event.broken;
        }
        return undefined;
      }
      case 'case.queued':
        return this.caseFor(event.case);
      case 'case.begin': {
        const c = this.caseFor(event.case);
        const current = c.attempts.at(-1);
        // A new attempt starts clean; sub-results of the previous try stay with that try.
        const a = !current || current.attempt !== event.attempt ? addAttempt(c, event.attempt) : current;
        a.status = 'RUNNING';
        a.envId = event.envId;
        a.logPath = event.logPath;
        a.startedAt = event.time;
        this.mirror(c, a);
        return c;
      }
      case 'case.subresult': {
        const c = this.caseFor(event.case);
        const sub: SubResultRecord = { name: event.name, status: event.status };
        if (event.message !== undefined) sub.message = event.message;
        const a = this.currentAttempt(c);
        if (a.subResults === NO_SUBRESULTS) a.subResults = [sub];
        else a.subResults.push(sub);
        c.subResults = a.subResults;
        return c;
      }
      case 'case.metric': {
        const c = this.caseFor(event.case);
        const { type: _t, time: _time, case: _c, ...metric } = event;
        const a = this.currentAttempt(c);
        if (a.metrics === NO_METRICS) a.metrics = [metric];
        else a.metrics.push(metric);
        c.metrics = a.metrics;
        return c;
      }
      case 'case.end': {
        const c = this.caseFor(event.case);
        let a = c.attempts.at(-1);
        if (!a || a.attempt !== event.attempt) a = addAttempt(c, event.attempt);
        a.status = event.status;
        a.message = event.message;
        a.durationMs = event.durationMs;
        a.endedAt = event.time;
        if (event.envId !== undefined) a.envId = event.envId;
        if (event.logPath !== undefined) a.logPath = event.logPath;
        if (event.willRetry) a.willRetry = true;
        this.mirror(c, a);
        // Waiting for its retry, the case has no result yet; reports must not count it as failed.
        if (event.willRetry) c.status = 'QUEUED';
        // A resumed run finishes what an interrupted one left unfinished.
        if (event.unfinished) c.unfinished = true;
        else if (!event.willRetry && c.unfinished) c.unfinished = undefined;
        return c;
      }
      case 'transformer.begin':
      case 'transformer.end':
      case 'bisect.step':
      case 'bisect.end':
        this.preparation.apply(event);
        return undefined;
      case 'run.end':
        this.run.status = event.status;
        this.run.endedAt = event.time;
        this.run.durationMs = event.durationMs;
        return undefined;
    }
  }

  get transformers(): TransformerRecord[] {
    return this.preparation.transformers;
  }

  get cases(): CaseResult[] {
    return [...this.byId.values()];
  }

  getCase(runCaseId: string): CaseResult | undefined {
    return this.byId.get(runCaseId);
  }

  /**
   * Cases of one combination and suite, in queue order (the unit a JUnit testsuite reports). Kept
   * as cases arrive, so a report rewritten after every case does not regroup them all; read only.
   */
  groups(): readonly CaseGroup[] {
    return [...this.byGroup.values()];
  }

  /** True when the same case runs more than once in its combination (`times`), so names need the iteration. */
  isRepeated(c: CaseResult): boolean {
    return c.iteration > 1 || (this.repeated.size > 0 && this.repeated.has(repeatKey(c)));
  }

  /**
   * Counts that add up to the total: a case cut short by Ctrl-C (or never started) is unfinished,
   * not failed or skipped, whatever status the engine gave its last attempt.
   */
  summary(): RunSummary {
    const n = (st: ReportStatus) => this.counts.get(st) ?? 0;
    return {
      total: this.byId.size,
      passed: n('PASSED'),
      failed: n('FAILED'),
      skipped: n('SKIPPED'),
      attempted: n('ATTEMPTED'),
      unfinished: n('UNFINISHED') + n('QUEUED') + n('RUNNING'),
    };
  }

  /** How many cases have each report status now (QUEUED and RUNNING included). */
  count(status: ReportStatus): number {
    return this.counts.get(status) ?? 0;
  }

  /** Wall time of the run: the engine's figure once the run ended, else what the events span. */
  durationMs(): number {
    if (this.run.endedAt) return this.run.durationMs;
    if (!this.firstTime || !this.lastTime) return 0;
    return Math.max(0, Date.parse(this.lastTime) - Date.parse(this.firstTime));
  }

  /** A deep copy: callers may rewrite it (relative links, masking) without touching the model. */
  snapshot(): RunResults {
    return structuredClone(this.view());
  }

  /**
   * The live results without copying, for reports rebuilt after every case: a copy per write made
   * large runs quadratic in allocation. Read only.
   */
  view(): RunResults {
    return {
      ...this.run,
      durationMs: this.durationMs(),
      combinations: [...this.combos.values()],
      environments: [...this.envs.values()],
      transformers: this.transformers,
      bisect: this.preparation.bisect,
      cases: this.cases,
      summary: this.summary(),
    };
  }

  environment(envId: string | undefined): EnvironmentRecord | undefined {
    return envId === undefined ? undefined : this.envs.get(envId);
  }

  combination(name: string): CombinationInfo | undefined {
    return this.combos.get(name);
  }

  get state(): RunState {
    return this.run.status;
  }

  private caseFor(ref: CaseRef): CaseResult {
    let c = this.byId.get(ref.runCaseId);
    if (!c) {
      c = newCase(ref);
      this.byId.set(ref.runCaseId, c);
      const key = `${ref.combination}\u0000${ref.suite}`;
      const group = this.byGroup.get(key);
      if (group) group.cases.push(c);
      else this.byGroup.set(key, { combination: ref.combination, suite: ref.suite, cases: [c] });
      // Only a case run more than once (`times`) has an iteration above 1, so those are all a
      // repeat needs to know: no key per case is kept for the other 10,000.
      if (ref.iteration > 1) this.repeated.add(repeatKey(ref));
      if (!this.combos.has(ref.combination)) this.combos.set(ref.combination, { name: ref.combination, variables: {} });
    }
    return c;
  }

  private currentAttempt(c: CaseResult): AttemptRecord {
    let a = c.attempts.at(-1);
    if (!a) {
      a = addAttempt(c, 1);
      this.mirror(c, a);
    }
    return a;
  }

  /** The case shows its latest attempt; durations add up because retries cost real time. */
  private mirror(c: CaseResult, a: AttemptRecord): void {
    c.status = a.status;
    c.message = a.message;
    c.attempt = a.attempt;
    c.durationMs = c.attempts.reduce((sum, x) => sum + x.durationMs, 0);
    c.envId = a.envId;
    c.logPath = a.logPath;
    c.startedAt = c.attempts[0]?.startedAt ?? a.startedAt;
    c.endedAt = a.endedAt;
    c.subResults = a.subResults;
    c.metrics = a.metrics;
  }
}

function repeatKey(c: { combination: string; caseId: string }): string {
  return `${c.combination}\u0000${c.caseId}`;
}

/*
 * Records are built field by field in one fixed order, optional fields included (as undefined,
 * which JSON leaves out): every case then shares one hidden class. Built by object spread of the
 * CaseRef with fields added later, each of 10,000 cases had a hidden class of its own (heap
 * snapshots: 50,000 maps and 24 MB of descriptor arrays for five models), most of a large run's heap.
 */

/** Shared by every case and attempt without sub-results or metrics (most); replaced, never written to. */
const NO_SUBRESULTS: SubResultRecord[] = Object.freeze([]) as unknown as SubResultRecord[];
const NO_METRICS: MetricRecord[] = Object.freeze([]) as unknown as MetricRecord[];

function newCase(ref: CaseRef): CaseResult {
  return {
    runCaseId: ref.runCaseId,
    caseId: ref.caseId,
    name: ref.name,
    suite: ref.suite,
    area: ref.area,
    priority: ref.priority,
    tags: ref.tags,
    combination: ref.combination,
    iteration: ref.iteration,
    status: 'QUEUED',
    message: '',
    attempt: 0,
    durationMs: 0,
    envId: undefined,
    logPath: undefined,
    startedAt: undefined,
    endedAt: undefined,
    unfinished: undefined,
    subResults: NO_SUBRESULTS,
    metrics: NO_METRICS,
    attempts: [],
  };
}

function newAttempt(attempt: number): AttemptRecord {
  return {
    attempt,
    status: 'RUNNING',
    message: '',
    envId: undefined,
    logPath: undefined,
    startedAt: undefined,
    endedAt: undefined,
    durationMs: 0,
    willRetry: undefined,
    subResults: NO_SUBRESULTS,
    metrics: NO_METRICS,
  };
}

/** A new attempt at the end of the case's list; the first one in an array of exactly one slot. */
function addAttempt(c: CaseResult, attempt: number): AttemptRecord {
  const a = newAttempt(attempt);
  if (c.attempts.length === 0) c.attempts = [a];
  else c.attempts.push(a);
  return a;
}

/** The model as readers see it: everything but `apply`, which only the model's owner calls. */
export type ResultsReader = Omit<ResultsModel, 'apply'>;

export function isFinal(status: CaseStatus): status is FinalStatus {
  return FINAL.has(status);
}
