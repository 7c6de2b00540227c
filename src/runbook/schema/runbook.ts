/**
 * The runbook schema: the single source of truth for validation (zod) and for the JSON Schema
 * editors use. Built on demand: it holds the schema of every platform and notifier type, the
 * built-in ones and the plugins this runbook names by module path.
 */
import { z } from 'zod';
import { MAX_TIMER_MS } from '../limits.js';
import { notifierRegistrations } from '../../notifiers/registry.js';
import type { NotifierRegistration } from '../../notifiers/types.js';
import { platformRegistrations } from '../../platform/registry.js';
import type { PlatformRegistration } from '../../platform/registration.js';

/** Plugins a runbook names by module path, keyed by the `type:` text as written. */
export interface RunbookPlugins {
  platforms: ReadonlyMap<string, PlatformRegistration>;
  notifiers: ReadonlyMap<string, NotifierRegistration>;
}

const NO_PLUGINS: RunbookPlugins = { platforms: new Map(), notifiers: new Map() };
import { transformerEntrySchema } from '../../transformer/schema.js';

const regex = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (err) {
    // Node says "Invalid regular expression: /(a/: Unterminated group"; keep the reason only.
    const reason = String((err as Error).message)
      .split(': ')
      .pop();
    ctx.addIssue({ code: 'custom', message: `invalid regular expression ${JSON.stringify(value)}: ${reason}` });
  }
});

export const pathEntrySchema = z.union([z.string().min(1), z.strictObject({ path: z.string().min(1) })]);

/** LISA's `include: [{path, strategy}]`; see docs/lisa-compatibility.md for what `strategy` does. */
export const includeEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1),
    strategy: z.unknown().optional().describe('LISA merge strategy; lisa-ts always merges keys, lists appended'),
  }),
]);

/** `extension: [dir, {path, name}]`, or LISA's older `extension: {paths: [dir]}`. */
export const extensionSchema = z.union([
  z.array(
    z.union([
      z.string().min(1),
      z.strictObject({ path: z.string().min(1), name: z.string().optional().describe('LISA package name; unused') }),
    ]),
  ),
  z.strictObject({ paths: z.array(z.string().min(1)) }),
]);

export type ExtensionData = z.output<typeof extensionSchema>;

/** The directories an `extension:` value names, as written. */
export function extensionPaths(value: ExtensionData | undefined): string[] {
  if (!value) return [];
  if (!Array.isArray(value)) return value.paths;
  return value.map((e) => (typeof e === 'string' ? e : e.path));
}

export const variableEntrySchema = z.union([
  z.strictObject({
    name: z.string().regex(/^[\w-]+$/, 'variable names may contain letters, digits, `_` and `-` only'),
    value: z.unknown().optional().describe('Any YAML value; `$(other)` references are resolved when used'),
    is_secret: z.boolean().optional().describe('Mask the value in every log and report'),
    is_case_visible: z
      .boolean()
      .optional()
      .describe('LISA: whether test cases see the variable (see docs/lisa-compatibility.md for the default)'),
    mask: z
      .enum(['guid', 'headtail', 'url', 'filename'])
      .optional()
      .describe('How a secret is shown, as LISA does: guid, headtail (first/last chars), url (host kept), filename'),
  }),
  z.strictObject({
    file: z.string().min(1).describe('YAML mapping of name: value, relative to this runbook'),
    is_secret: z.boolean().optional().describe('Treat every variable of the file as secret'),
  }),
]);

const gridItems = z.array(z.strictObject({ name: z.string().min(1), value: z.array(z.unknown()).min(1) })).min(1);
const gitRef = z.string().min(1);

export const combinatorSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('grid'),
    items: z
      .array(z.strictObject({ name: z.string().min(1), value: z.array(z.unknown()).min(1) }))
      .min(1)
      .describe('Every combination of the values (cartesian product)'),
  }),
  z.strictObject({
    type: z.literal('batch'),
    items: z
      .array(
        z
          .record(z.string(), z.unknown())
          .refine((m) => Object.keys(m).length > 0, 'a batch item needs at least one variable'),
      )
      .min(1)
      .describe('One combination per item, e.g. {image: debian12, kernel: "6.1"}'),
  }),
  z.strictObject({
    type: z.literal('pairwise'),
    items: gridItems.describe('Like grid, reduced so that every pair of values of two items meets once'),
  }),
  z.strictObject({
    type: z.literal('csv'),
    file_name: z.string().min(1).describe('A CSV file with a header row, relative to this runbook'),
    column_mapping: z
      .array(
        z.strictObject({
          column: z.string().min(1),
          variable: z.string().regex(/^[\w-]+$/, 'variable names may contain letters, digits, `_` and `-` only'),
          default: z.unknown().optional().describe('Used when the cell is empty'),
        }),
      )
      .optional()
      .describe('Default: every column becomes the variable of its header'),
  }),
  z.strictObject({
    type: z.literal('git_bisect'),
    repo: z.string().min(1).describe('A git repository (path or URL) cloned on the host'),
    good_commit: gitRef,
    bad_commit: gitRef,
    connection: z.unknown().optional().describe('Accepted for LISA compatibility; lisa clones on the host'),
  }),
]);

const maturityLevel = z.enum(['experimental', 'preview', 'stable', 'deprecated']);

const criteriaShape = {
  name: regex.optional().describe('Regex matched against the case name and `suite.case` id'),
  area: regex.optional().describe('Regex matched against the suite area'),
  category: regex.optional().describe('Regex matched against the suite category'),
  priority: z
    .union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())])
    .optional()
    .describe('A priority or a list of them (0 is the most important)'),
  tags: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('The case must have every listed tag'),
  maturity: z
    .union([maturityLevel, z.array(maturityLevel)])
    .optional()
    .describe('LISA: experimental, preview, stable or deprecated; only stable cases run unless a rule names another'),
};

const testcaseRuleSchema = z
  .strictObject({
    criteria: z.strictObject(criteriaShape).optional(),
    // LISA accepts criteria keys directly on the rule as well.
    ...criteriaShape,
    select_action: z
      .enum(['include', 'exclude', 'forceInclude', 'forceExclude', 'none'])
      .optional()
      .describe('none: the rule only sets times/retry/timeout... on cases already selected'),
    times: z.number().int().positive().max(10_000).optional().describe('Run each selected case this many times'),
    retry: z.number().int().nonnegative().max(100).optional().describe('Retries after a failure'),
    timeout: z
      .number()
      .positive()
      .max(
        Math.floor(MAX_TIMER_MS / 1000),
        'must be at most 2147483 seconds (24.8 days), the longest timer Node.js holds',
      )
      .optional()
      .describe('Seconds; overrides the case timeout'),
    use_new_environment: z.boolean().optional(),
    ignore_failure: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    for (const key of Object.keys(criteriaShape) as (keyof typeof criteriaShape)[]) {
      if (rule[key] !== undefined && rule.criteria?.[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `given both here and in criteria; keep one` });
      }
    }
  });

const port = z.number().int().min(1).max(65535);

const remoteNodeSchema = z
  .strictObject({
    type: z.literal('remote'),
    name: z.string().optional(),
    address: z.string().min(1).optional().describe('Host name or IP address to connect to'),
    port: port.optional().describe('SSH port, default 22'),
    public_address: z.string().min(1).optional().describe('LISA compatibility: used instead of address when set'),
    public_port: port.optional().describe('LISA compatibility: used instead of port when set'),
    username: z.string().min(1),
    password: z.string().optional(),
    private_key_file: z.string().optional().describe('Relative to the runbook file'),
    sudo_password: z.string().optional(),
    use_agent: z.boolean().optional().describe('Authenticate with the keys of $SSH_AUTH_SOCK'),
  })
  .superRefine((node, ctx) => {
    if (!node.address && !node.public_address) {
      ctx.addIssue({ code: 'custom', message: 'missing required key "address"' });
    }
    if (!node.password && !node.private_key_file && !node.use_agent) {
      ctx.addIssue({ code: 'custom', message: 'a remote node needs password, private_key_file or use_agent: true' });
    }
  });

const localNodeSchema = z.strictObject({ type: z.literal('local'), name: z.string().optional() });

/** LISA's node requirement (`type: requirement`, `capability`, core_count, memory_mb, ...): matched by platforms. */
const nodeRequirementSchema = z.looseObject({
  type: z.literal('requirement'),
  name: z.string().optional(),
  capability: z.record(z.string(), z.unknown()).optional(),
});

export const environmentSchema = z.strictObject({
  allow_create: z.boolean().optional().describe('LISA: false means only the listed environments are used'),
  retry: z.number().int().nonnegative().max(100).optional().describe('LISA: retries of a failed deployment'),
  warn_as_error: z.boolean().optional().describe('LISA: unsupported requirement warnings become errors'),
  max_concurrency: z.number().int().positive().max(1024).optional(),
  environments: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        topology: z.string().optional(),
        nodes: z
          .array(z.discriminatedUnion('type', [remoteNodeSchema, localNodeSchema, nodeRequirementSchema]))
          .min(1)
          .optional(),
        nodes_requirement: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    )
    .optional(),
});

type Union = [z.ZodObject, ...z.ZodObject[]];

export function notifierEntrySchema(plugins: RunbookPlugins = NO_PLUGINS) {
  const entries: [string, NotifierRegistration][] = [
    ...notifierRegistrations().map((r): [string, NotifierRegistration] => [r.type, r]),
    ...plugins.notifiers,
  ];
  const options = entries.map(([type, r]) => r.schema.extend({ type: z.literal(type) }));
  return z.discriminatedUnion('type', options as unknown as Union).describe("Other keys are the notifier's options");
}

export function platformEntrySchema(plugins: RunbookPlugins = NO_PLUGINS) {
  const common = {
    keep_environment: z
      .union([z.enum(['no', 'always', 'failed']), z.boolean()])
      .optional()
      .describe('Keep deployed environments: no (default), always, failed; true = always'),
    admin_username: z.string().optional(),
    admin_password: z.string().optional(),
    admin_private_key_file: z.string().optional(),
    requirement: z
      .looseObject({
        core_count: z.union([z.number(), z.looseObject({ min: z.number().optional() })]).optional(),
        memory_mb: z.union([z.number(), z.looseObject({ min: z.number().optional() })]).optional(),
      })
      .optional()
      .describe("LISA: the platform's default node requirement, e.g. core_count.min and azure.location"),
  };
  const entries: [string, PlatformRegistration][] = [
    ...platformRegistrations().map((r): [string, PlatformRegistration] => [r.type, r]),
    ...plugins.platforms,
  ];
  // An absent section is parsed as {} so that the platform always gets its defaults.
  const options = entries.map(([type, r]) =>
    z.strictObject({ type: z.literal(type), ...common, [r.type]: r.schema.prefault({}) }),
  );
  return z.discriminatedUnion('type', options as unknown as Union);
}

const jumpBoxSchema = z.strictObject({
  address: z.string().min(1),
  port: port.optional(),
  username: z.string().min(1),
  password: z.string().optional(),
  private_key_file: z.string().optional(),
});

/** LISA's `dev:` section: development helpers. */
const devSchema = z.strictObject({
  enabled: z.boolean().optional(),
  mock_tcp_ping: z.boolean().optional(),
  jump_boxes: z.array(jumpBoxSchema).optional().describe('SSH to nodes through these hosts, in order'),
  use_public_address: z.boolean().optional(),
});

export function runbookSchema(plugins: RunbookPlugins = NO_PLUGINS) {
  return z.strictObject({
    name: z.string().optional().describe('Shown in reports; defaults to the file name'),
    include: z.array(includeEntrySchema).optional().describe('Runbooks merged under this one, relative to this file'),
    extension: extensionSchema.optional().describe('Directories of extra test suites'),
    variable: z.array(variableEntrySchema).optional(),
    platform: z.array(platformEntrySchema(plugins)).min(1).optional().describe('The first entry is used'),
    environment: environmentSchema.optional(),
    testcase: z.array(testcaseRuleSchema).optional().describe('Selection rules, applied top-down'),
    combinator: combinatorSchema.optional(),
    transformer: z
      .array(transformerEntrySchema)
      .optional()
      .describe('Preparation steps: kernel install/build, scripts'),
    notifier: z.array(notifierEntrySchema(plugins)).optional(),
    concurrency: z.number().int().positive().max(1024).optional().describe('How many environments run at once'),
    exit_on_first_failure: z.boolean().optional(),
    log_path: z.string().min(1).optional().describe('Run root directory, default runtime/runs'),
    exit_with_failed_count: z
      .boolean()
      .optional()
      .describe('LISA: default true; false makes a run with failed cases exit 0'),
    wait_resource_timeout: z.number().nonnegative().optional().describe('LISA: minutes to wait for resources'),
    test_project: z.string().optional().describe('LISA: shown in reports'),
    test_pass: z.string().optional().describe('LISA: shown in reports'),
    tags: z.array(z.string()).optional().describe('LISA: run tags shown in reports'),
    import_builtin_tests: z.boolean().optional().describe('LISA: load the built-in suites (default true)'),
    dev: devSchema.optional(),
  });
}

export type RunbookData = z.output<ReturnType<typeof runbookSchema>>;
