import type { SubResultStatus } from '../testing/types.js';

export type CaseStatus = 'QUEUED' | 'RUNNING' | 'PASSED' | 'FAILED' | 'SKIPPED' | 'ATTEMPTED';

/** The status a case attempt ends with. */
export type FinalStatus = Exclude<CaseStatus, 'QUEUED' | 'RUNNING'>;

/** One combination of a `combinator` (grid or batch) or `default` when there is none. */
export interface CombinationInfo {
  name: string;
  variables: Record<string, unknown>;
}

export interface CaseRef {
  /** Unique within the run: `<combination>/<suite>.<case>#<iteration>` */
  runCaseId: string;
  caseId: string;
  name: string;
  suite: string;
  area: string;
  priority: number;
  tags: string[];
  combination: string;
  iteration: number;
}

/** One run of a transformer entry: per run (init, cleanup), per combination or per environment. */
export interface TransformerRef {
  name: string;
  type: string;
  phase: 'init' | 'expanded' | 'environment_connected' | 'cleanup';
  combination?: string;
  envId?: string;
}

export type TransformerStatus = 'PASSED' | 'FAILED' | 'SKIPPED';

export interface EnvNodeInfo {
  name: string;
  address?: string;
  /** The distribution's pretty name, e.g. `Debian GNU/Linux 12 (bookworm)`. */
  os?: string;
  /** `uname -r`. */
  kernel?: string;
  arch?: string;
  cores?: number;
  memoryMiB?: number;
}

/** Something a platform leaves behind at the end of a run (platform's `Leftover`); the summary lists it. */
export interface LeftoverResource {
  /** What it is, e.g. `azure resource group`. */
  kind: string;
  name: string;
  /** `kept` (keep_environment), `still-deleting` (its delete outlived the bound), `delete-failed`. */
  state: 'kept' | 'still-deleting' | 'delete-failed';
  /** What to do about it, e.g. `` `lisa reap` deletes it ``. */
  hint?: string;
}

interface Base {
  /** ISO time. */
  time: string;
}

export type RunEvent = Base &
  (
    | {
        type: 'run.begin';
        runId: string;
        name: string;
        runDir: string;
        combinations: string[];
        platform: string;
        /** LISA `test_project`, `test_pass` and `tags` of the runbook, when written. */
        testProject?: string;
        testPass?: string;
        tags?: string[];
      }
    | { type: 'combination.begin'; combination: CombinationInfo }
    | { type: 'combination.end'; combination: string }
    | { type: 'case.queued'; case: CaseRef }
    | {
        type: 'env.begin';
        envId: string;
        platform: string;
        combination: string;
        nodes: EnvNodeInfo[];
        image?: string;
        vmSize?: string;
      }
    | { type: 'env.end'; envId: string; combination: string; broken?: string }
    | {
        /** A deploy is tried again: `environment.retry` after a failure, or waiting for resources. */
        type: 'env.retry';
        combination: string;
        reason: 'deploy-failed' | 'resource-busy';
        attempt: number;
        message: string;
        waitMs?: number;
      }
    | { type: 'case.begin'; case: CaseRef; envId: string; attempt: number; logPath: string }
    | {
        type: 'case.end';
        case: CaseRef;
        status: FinalStatus;
        message: string;
        envId?: string;
        attempt: number;
        durationMs: number;
        logPath?: string;
        /** A FAILED attempt that `retry` will run again: not the case's final result. */
        willRetry?: boolean;
        /** The case never completed because the run was interrupted. */
        unfinished?: boolean;
      }
    | { type: 'case.subresult'; case: CaseRef; name: string; status: SubResultStatus; message?: string }
    | {
        type: 'case.metric';
        case: CaseRef;
        name: string;
        value: number;
        unit?: string;
        higherIsBetter?: boolean;
        description?: string;
      }
    | { type: 'transformer.begin'; transformer: TransformerRef; logPath: string }
    | {
        type: 'transformer.end';
        transformer: TransformerRef;
        status: TransformerStatus;
        message: string;
        /** Variable name → value, as later parts of the runbook see them. */
        outputs: Record<string, unknown>;
        durationMs: number;
        logPath?: string;
      }
    | {
        type: 'bisect.step';
        iteration: number;
        commit: string;
        /** `skip`: no case passed or failed, so the commit could not be judged. */
        verdict: 'good' | 'bad' | 'skip';
        remaining?: number;
      }
    | { type: 'bisect.end'; firstBad?: string; summary: string; iterations: number }
    | { type: 'platform.leftover'; combination: string; platform: string; resources: LeftoverResource[] }
    | { type: 'run.end'; status: 'PASSED' | 'FAILED' | 'INTERRUPTED'; summary: RunSummary; durationMs: number }
  );

export interface RunSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  attempted: number;
  /** Cases that never finished because the run was interrupted. */
  unfinished: number;
}

export type RunEventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** Anything that consumes the event stream: notifiers, the events.jsonl writer, the exit-code keeper. */
export interface EventListener {
  onEvent(event: RunEvent): void | Promise<void>;
}
