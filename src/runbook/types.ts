import type { TransformerEntry } from '../transformer/plan.js';
import type { GitBisectConfig } from './combinators/sources.js';

/**
 * The runbook after loading, include-merging, variable substitution and validation.
 * One `ResolvedRunbook` exists per combination of the combinator (or one, named `default`).
 */

export interface VariableValue {
  value: unknown;
  isSecret: boolean;
  /** Whether test cases get it in `ctx.variables` (LISA `is_case_visible`; see docs/lisa-compatibility.md). */
  isCaseVisible: boolean;
  /** Where it came from, for messages: `cli`, `env:LISA_x`, `runbooks/a.yml:12`, `combinator`. */
  source: string;
}

export type SelectAction = 'include' | 'exclude' | 'forceInclude' | 'forceExclude' | 'none';

export interface CaseCriteria {
  /** Regular expressions matched against the case id (`suite.case`) and the case name. */
  name?: string;
  area?: string;
  category?: string;
  priority?: number[];
  /** A case matches when it has every listed tag. */
  tags?: string[];
  /** LISA maturity levels; naming one lets an include rule select non-stable cases. */
  maturity?: ('experimental' | 'preview' | 'stable' | 'deprecated')[];
}

export interface TestCaseRule {
  criteria: CaseCriteria;
  selectAction: SelectAction;
  times?: number;
  retry?: number;
  /** Seconds, overrides the case's own timeout. */
  timeout?: number;
  useNewEnvironment?: boolean;
  ignoreFailure?: boolean;
  /** `file:line` of the rule, for `lisa list` explanations. */
  where: string;
}

export interface RemoteNodeConfig {
  type: 'remote';
  name?: string;
  address: string;
  port: number;
  username: string;
  password?: string;
  privateKeyFile?: string;
  sudoPassword?: string;
  useAgent?: boolean;
}

export interface LocalNodeConfig {
  type: 'local';
  name?: string;
}

export type NodeConfig = RemoteNodeConfig | LocalNodeConfig;

export interface EnvironmentConfig {
  name?: string;
  nodes: NodeConfig[];
}

export interface PlatformConfig<O = Record<string, unknown>> {
  type: string;
  /** `no` (default), `always`, or `failed`: keep environments after the run. */
  keepEnvironment: 'no' | 'always' | 'failed';
  adminUsername?: string;
  adminPassword?: string;
  adminPrivateKeyFile?: string;
  /**
   * The type-specific section, e.g. the value of `qemu:` for `type: qemu` (snake_case keys kept),
   * as the platform's schema outputs it.
   */
  options: O;
  /** Absolute path of the plugin module when the runbook named the platform by path. */
  module?: string;
  /** LISA's `requirement:` of the platform entry (snake_case kept), when given. */
  requirement?: Record<string, unknown>;
  /** Directory of the runbook file that declared the platform: the base for relative paths in `options`. */
  baseDir: string;
}

export interface NotifierConfig {
  type: string;
  /** Absolute path of the plugin module when the runbook named the notifier by path. */
  module?: string;
  /** Other keys of the entry, snake_case kept (e.g. `path`). */
  options: Record<string, unknown>;
}

export interface CombinationVariables {
  /** `default`, or e.g. `image=debian12,kernel=6.1`, used in every report. */
  name: string;
  variables: Record<string, unknown>;
}

export interface ResolvedRunbook {
  name: string;
  /** Absolute path of the top-level runbook file. */
  file: string;
  combination: CombinationVariables;
  /** Absolute directories of extra test suites. */
  extension: string[];
  variables: Record<string, VariableValue>;
  platform: PlatformConfig;
  environments: EnvironmentConfig[];
  testcase: TestCaseRule[];
  notifier: NotifierConfig[];
  concurrency?: number;
  exitOnFirstFailure: boolean;
  /**
   * LISA `exit_with_failed_count`: true makes the exit code the number of failed cases (at most
   * 255), false makes a run whose cases failed exit 0; absent, a failed case exits 1.
   */
  exitWithFailedCount?: boolean;
  /** Where runs are written (default `runtime/runs`), absolute. */
  runRoot: string;
  /** LISA `dev.jump_boxes`: SSH hosts every remote node is reached through, in order. */
  jumpHosts: JumpBoxConfig[];
  /** LISA `import_builtin_tests` (default true): false loads only the `extension` suites. */
  importBuiltinTests: boolean;
  /** LISA `test_project`, `test_pass`, `tags`: run metadata carried into run.begin and the reports. */
  metadata: RunMetadata;
  /** The runbook's `environment:` keys that steer deploys (LISA's EnvironmentRoot). */
  environmentPolicy: EnvironmentPolicy;
}

export interface RunMetadata {
  testProject?: string;
  testPass?: string;
  tags?: string[];
}

export interface EnvironmentPolicy {
  /** `environment.retry`: a failed deploy is tried again this many times, each on a fresh deploy. */
  retry: number;
  /** `environment.warn_as_error`: planning warnings (unmet requirements, ...) fail the cases instead. */
  warnAsError: boolean;
  /** `environment.allow_create` (default true): false uses only the listed environments. */
  allowCreate: boolean;
  /** `environment.max_concurrency`: at most this many environments at once (caps `concurrency`). */
  maxConcurrency?: number;
  /**
   * `wait_resource_timeout` in ms: how long deploys that fail with a resource-busy platform error
   * are retried. Falls back to the platform section's own `wait_resource_timeout` (azure's); 0: no wait.
   */
  waitResourceTimeoutMs: number;
}

/** One `dev.jump_boxes` entry, the key file absolute (the shape of src/node's JumpHost). */
export interface JumpBoxConfig {
  address: string;
  port: number;
  username: string;
  password?: string;
  privateKeyFile?: string;
}

export interface LoadOptions {
  /** `-v name:value` and `-v s:name:value` strings, in command-line order. */
  cliVariables?: string[];
  /**
   * Called with the absolute extension directories after includes and variables are known and
   * before the rest is validated, so that extension modules can register platform and notifier
   * types first.
   */
  beforeValidate?: (extensionDirs: string[], o: { importBuiltinTests: boolean }) => Promise<void>;
  /**
   * Also check the files and directories a run needs (log_path writable, key files readable), as
   * `lisa check` and `lisa run` do; `lisa list` and library users may load a runbook for another machine.
   */
  checkFiles?: boolean;
  /** Defaults to process.env; `LISA_<name>` entries define variables. */
  env?: Record<string, string | undefined>;
  /** Base of the default `log_path` and of file names in messages; defaults to process.cwd(). */
  cwd?: string;
}

export interface LoadedRunbook {
  /** The `transformer:` entries, dependencies first. */
  transformers: TransformerEntry[];
  /** Set by a `git_bisect` combinator: the run chooses each commit; `combinations` holds a placeholder. */
  bisect?: GitBisectConfig;
  /** The runbook resolved again for a combination, with extra variables (transformer outputs) on top. */
  derive(combination: CombinationVariables, extra: Record<string, unknown>): Promise<ResolvedRunbook>;
  /** Transformer entry `index` with variables resolved and validated, as plain data. */
  resolveTransformer(index: number, variables: Record<string, unknown>): Record<string, unknown>;
  file: string;
  name: string;
  /** Every secret value found anywhere (variables marked secret, `-v s:`), for the masker. */
  secrets: string[];
  /** One resolved runbook per combination, in order. */
  combinations: ResolvedRunbook[];
}
