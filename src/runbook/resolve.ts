/** Turns a validated runbook (snake_case, relative paths) into the ResolvedRunbook the engine uses. */
import os from 'node:os';
import path from 'node:path';
import { get, locate, type LNode, type PathPart } from './located.js';
import { isModulePath, modulePathAt } from './plugins.js';
import { extensionPaths, type RunbookData, type RunbookPlugins } from './schema/runbook.js';
import type {
  CaseCriteria,
  EnvironmentConfig,
  NodeConfig,
  NotifierConfig,
  PlatformConfig,
  ResolvedRunbook,
  TestCaseRule,
} from './types.js';

export interface ResolveContext {
  /** The merged tree the data came from: tells which file each part was written in. */
  tree: LNode;
  file: string;
  cwd: string;
  /** The plugins the runbook names by module path (see ./plugins.ts). */
  plugins?: RunbookPlugins;
}

export function resolveRunbook(
  data: RunbookData,
  ctx: ResolveContext,
): Omit<ResolvedRunbook, 'combination' | 'variables'> {
  const where = (p: PathPart[]) => locate(ctx.tree, p).pos;
  // Relative paths are relative to the file they were written in, which may be an included one.
  const fromFile = (p: string, at: PathPart[]) => path.resolve(path.dirname(where(at).absFile), expandHome(p));
  return {
    name: data.name ?? path.basename(ctx.file).replace(/\.ya?ml$/, ''),
    file: ctx.file,
    extension: extensionPaths(data.extension).map((e) => fromFile(e, ['extension'])),
    platform: platformOf(data, fromFile, ctx),
    environments: (data.environment?.environments ?? [])
      .map((env, i) => environmentOf(env, i, fromFile))
      .filter((env) => env.nodes.length > 0),
    testcase: (data.testcase ?? []).map((rule, i) => ruleOf(rule, where(['testcase', i]))),
    notifier: (data.notifier ?? []).map(({ type: written, ...options }, i): NotifierConfig => {
      const type = String(written);
      const plugin = ctx.plugins?.notifiers.get(type);
      if (!plugin) return { type, options };
      return { type: plugin.type, module: pluginModule(ctx.tree, ['notifier', i], type), options };
    }),
    concurrency: data.concurrency,
    exitOnFirstFailure: data.exit_on_first_failure ?? false,
    // Absent: lisa-ts exit codes (1 when a case failed); true counts failures as LISA does.
    ...(data.exit_with_failed_count !== undefined ? { exitWithFailedCount: data.exit_with_failed_count } : {}),
    runRoot: path.resolve(ctx.cwd, data.log_path ?? 'runtime/runs'),
    jumpHosts: (data.dev?.jump_boxes ?? []).map((box, i) => ({
      address: box.address,
      port: box.port ?? 22,
      username: box.username,
      ...(box.password !== undefined ? { password: box.password } : {}),
      ...(box.private_key_file
        ? { privateKeyFile: fromFile(box.private_key_file, ['dev', 'jump_boxes', i, 'private_key_file']) }
        : {}),
    })),
    importBuiltinTests: data.import_builtin_tests ?? true,
    metadata: {
      ...(data.test_project ? { testProject: data.test_project } : {}),
      ...(data.test_pass ? { testPass: data.test_pass } : {}),
      ...(data.tags?.length ? { tags: data.tags } : {}),
    },
    environmentPolicy: environmentPolicyOf(data),
  };
}

function environmentPolicyOf(data: RunbookData): ResolvedRunbook['environmentPolicy'] {
  const env = data.environment;
  // One key decides how long to wait for resources: LISA's top-level one; a platform section's
  // own (azure's, written before lisa read the top-level key) counts when the top-level one is absent.
  const section = data.platform?.[0]?.[String(data.platform[0].type)] as
    | { wait_resource_timeout?: unknown }
    | undefined;
  const own = typeof section?.wait_resource_timeout === 'number' ? section.wait_resource_timeout : undefined;
  const minutes = data.wait_resource_timeout ?? own ?? 0;
  return {
    retry: env?.retry ?? 0,
    warnAsError: env?.warn_as_error ?? false,
    allowCreate: env?.allow_create ?? true,
    ...(env?.max_concurrency !== undefined ? { maxConcurrency: env.max_concurrency } : {}),
    waitResourceTimeoutMs: Math.round(minutes * 60_000),
  };
}

type FromFile = (p: string, at: PathPart[]) => string;

/** The absolute path of the module a `type:` names, relative to the file it is written in. */
function pluginModule(tree: LNode, entry: PathPart[], written: string): string {
  let node: LNode | undefined = tree;
  for (const part of entry)
    node = typeof part === 'number' && node?.kind === 'seq' ? node.items[part] : get(node, String(part));
  return modulePathAt(get(node, 'type') ?? tree, written);
}

function platformOf(data: RunbookData, fromFile: FromFile, ctx: ResolveContext): PlatformConfig {
  const entry = data.platform?.[0];
  if (!entry) return { type: 'ready', keepEnvironment: 'no', options: {}, baseDir: fromFile('.', []) };
  const written = String(entry.type);
  const plugin = isModulePath(written) ? ctx.plugins?.platforms.get(written) : undefined;
  // A plugin's section is named by its registration's type: `type: ./x.mts` + `inventory: {...}`.
  const type = plugin?.type ?? written;
  const keep = entry.keep_environment;
  const key = entry.admin_private_key_file as string | undefined;
  return {
    type,
    keepEnvironment:
      keep === true ? 'always' : keep === false || keep === undefined ? 'no' : (keep as 'no' | 'always' | 'failed'),
    adminUsername: entry.admin_username as string | undefined,
    adminPassword: (entry.admin_password as string | undefined) || undefined,
    adminPrivateKeyFile: key ? fromFile(key, ['platform', 0, 'admin_private_key_file']) : undefined,
    options: (entry[type] as Record<string, unknown> | undefined) ?? {},
    ...(plugin ? { module: pluginModule(ctx.tree, ['platform', 0], written) } : {}),
    ...(entry.requirement ? { requirement: entry.requirement as Record<string, unknown> } : {}),
    baseDir: fromFile('.', ['platform', 0]),
  };
}

type EnvData = NonNullable<NonNullable<RunbookData['environment']>['environments']>[number];

function environmentOf(env: EnvData, envIndex: number, fromFile: FromFile): EnvironmentConfig {
  // Requirement nodes (LISA's `type: requirement` / `nodes_requirement`) are left to the platform,
  // which builds nodes from the cases' own requirements; see docs/lisa-compatibility.md.
  const nodes = (env.nodes ?? []).flatMap((node, i): NodeConfig[] => {
    if (node.type === 'requirement') return [];
    if (node.type === 'local') return [{ type: 'local', name: node.name }];
    const key = node.private_key_file;
    return [
      {
        type: 'remote',
        name: node.name,
        // LISA connects through the public address when one is given.
        address: (node.public_address ?? node.address)!,
        port: node.public_port ?? node.port ?? 22,
        username: node.username,
        // LISA runbooks often pass `""` for the method not used.
        password: node.password || undefined,
        privateKeyFile: key
          ? fromFile(key, ['environment', 'environments', envIndex, 'nodes', i, 'private_key_file'])
          : undefined,
        sudoPassword: node.sudo_password || undefined,
        useAgent: node.use_agent,
      },
    ];
  });
  return { name: env.name, nodes };
}

type RuleData = NonNullable<RunbookData['testcase']>[number];

function ruleOf(rule: RuleData, pos: { file: string; line: number }): TestCaseRule {
  const c = { ...rule, ...rule.criteria };
  const criteria: CaseCriteria = {};
  if (c.name !== undefined) criteria.name = c.name;
  if (c.area !== undefined) criteria.area = c.area;
  if (c.category !== undefined) criteria.category = c.category;
  if (c.priority !== undefined) criteria.priority = Array.isArray(c.priority) ? c.priority : [c.priority];
  if (c.tags !== undefined) criteria.tags = Array.isArray(c.tags) ? c.tags : [c.tags];
  if (c.maturity !== undefined) criteria.maturity = Array.isArray(c.maturity) ? c.maturity : [c.maturity];
  return {
    criteria,
    selectAction: rule.select_action ?? 'include',
    times: rule.times,
    retry: rule.retry,
    timeout: rule.timeout,
    useNewEnvironment: rule.use_new_environment,
    ignoreFailure: rule.ignore_failure,
    where: `${pos.file}:${pos.line}`,
  };
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}
