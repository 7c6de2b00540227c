import type { Logger } from '../logging/logger.js';
import type { Node } from '../node/types.js';
import type { Environment } from '../platform/types.js';
import type { Tool, ToolClass } from '../tool/tool.js';

/** What a case needs from its environment. Every field is optional; absent means "any". */
export interface Requirement {
  /** Number of nodes in the environment (default 1). */
  nodes?: number;
  minCores?: number;
  minMemoryMiB?: number;
  minDataDisks?: number;
  /** OS families the case supports (`debian` accepts Ubuntu). Empty or absent means any. */
  supportedOs?: string[];
  unsupportedOs?: string[];
  /** Platform features that must be present, e.g. `SerialConsole`, `StartStop`, `Disk`. */
  features?: string[];
  /** Platform types the case can run on, e.g. ['qemu']. */
  supportedPlatforms?: string[];
}

export type Priority = 0 | 1 | 2 | 3 | 4 | 5;

export type SubResultStatus = 'PASSED' | 'FAILED' | 'SKIPPED' | 'ATTEMPTED';

export interface CaseContext {
  /** The first node of the environment. */
  readonly node: Node;
  readonly nodes: readonly Node[];
  readonly environment: Environment;
  /** Writes to this case's own log file (and the run log). */
  readonly log: Logger;
  /** A directory for files this case produces; kept with the run's results. */
  readonly logDir: string;
  /** Runbook variables visible to cases (secrets included, masked in all output). */
  readonly variables: Readonly<Record<string, unknown>>;
  /**
   * Fires when the current phase (beforeCase, the case, afterCase) runs out of time or the run is
   * interrupted. Pass it to long operations. afterCase gets a fresh one, so it can still clean up
   * after the case timed out.
   */
  readonly signal: AbortSignal;
  /**
   * The tool `cls` on `node` (default: the first node): `await ctx.tool(Lscpu).info()`,
   * `ctx.tool(Ip, ctx.nodes[1])`. A tool is installed at most once per node for the whole run.
   */
  tool<T extends Tool>(cls: ToolClass<T>, node?: Node): T;
  /** Which attempt this is (1 = first try) and which repetition under `times`. */
  readonly attempt: number;
  readonly iteration: number;
  /** Stops the case as SKIPPED with the reason. */
  skip(reason: string): never;
  /** Records one named sub-result (e.g. one LTP test) within this case. */
  subResult(name: string, status: SubResultStatus, message?: string): void;
  /** Records a measured value, e.g. `metric('throughput', 812.4, 'MB/s')`. */
  metric(
    name: string,
    value: number,
    unit?: string,
    options?: { higherIsBetter?: boolean; description?: string },
  ): void;
}

export interface CaseHooks {
  /** Runs before each case of the suite, with its own time budget; a failure here fails the case. */
  beforeCase?(ctx: CaseContext): Promise<void> | void;
  /**
   * Runs after each case, also after a failure or a timeout, with its own time budget on live
   * nodes. A failure here never hides the case's own, but marks the environment broken: it is
   * released as failed and never reused, since it may be left dirty.
   */
  afterCase?(ctx: CaseContext): Promise<void> | void;
  /** Milliseconds each of beforeCase and afterCase may take; default 300,000. */
  hookTimeoutMs?: number;
}

/**
 * LISA's test maturity: only `stable` cases run unless a runbook rule names the maturity in its
 * criteria or force-includes the case.
 */
export type Maturity = 'experimental' | 'preview' | 'stable' | 'deprecated';

export interface TestCaseDefinition {
  name: string;
  description?: string;
  /** Default: the suite's, else `stable`. */
  maturity?: Maturity;
  /** 0 is the most important; selection by `priority` uses it. Default 2. */
  priority?: Priority;
  /** Milliseconds; default 3,600,000. */
  timeoutMs?: number;
  tags?: string[];
  requirement?: Requirement;
  run(ctx: CaseContext): Promise<void> | void;
}

export interface TestSuiteDefinition extends CaseHooks {
  name: string;
  area: string;
  // `string & {}` keeps the four names as editor suggestions while any other text is accepted.
  category?: 'functional' | 'performance' | 'stress' | 'community' | (string & {});
  description?: string;
  tags?: string[];
  owner?: string;
  /** Default maturity of every case (LISA `TestSuiteMetadata.maturity`); default `stable`. */
  maturity?: Maturity;
  /** Default requirement of every case; a case's own fields override it. */
  requirement?: Requirement;
  cases: TestCaseDefinition[];
}

/** A case as the engine sees it after loading: suite metadata merged in. */
export interface TestCaseInfo {
  /** `suite.case`, unique in a run. */
  id: string;
  name: string;
  suite: string;
  area: string;
  category: string;
  description: string;
  priority: Priority;
  timeoutMs: number;
  tags: string[];
  owner: string;
  maturity: Maturity;
  requirement: Requirement;
  /** Where the suite was loaded from. */
  source: string;
  definition: TestCaseDefinition;
  suiteDefinition: TestSuiteDefinition;
}
