/**
 * `loadRunbook`: file → includes merged → variables → one validated ResolvedRunbook per
 * combination. Every user mistake surfaces as a RunbookError.
 */
import path from 'node:path';
import { z } from 'zod';
import { fullEntrySchema } from '../transformer/schema.js';
import { plannedOutputs, planTransformers } from '../transformer/plan.js';
import { transformerType } from '../transformer/registry.js';
import '../transformer/builtin/index.js';
import { countCombinations, type Combination } from './combinator.js';
import { combinatorSources, type CombinatorSources } from './combinators/sources.js';
import { RUNBOOK_LIMITS } from './limits.js';
import { RunbookError } from './errors.js';
import { extensionLoadError } from './errors-extension.js';
import { loadTree } from './include.js';
import { errorAt, locate, type LNode } from './located.js';
import { checkRunbookPaths } from './path-checks.js';
import { loadRunbookPlugins } from './plugins.js';
import { expandHome, resolveRunbook } from './resolve.js';
import { combinatorSchema, extensionPaths, extensionSchema, runbookSchema } from './schema/runbook.js';
import { dropDisabled } from './disabled.js';
import { substitute } from './substitute.js';
import type { LoadedRunbook, LoadOptions, ResolvedRunbook } from './types.js';
import { check } from './validate.js';
import { envVariables, parseCliVariables, VariableTable, type VarDef } from './variables.js';

export async function loadRunbook(file: string, options: LoadOptions = {}): Promise<LoadedRunbook> {
  const cwd = options.cwd ?? process.cwd();
  const absFile = path.resolve(cwd, file);
  // Lowest first: env outranks the runbook files, the command line outranks everything.
  const outside = [...envVariables(options.env ?? process.env), ...parseCliVariables(options.cliVariables ?? [])];
  const { tree, vars } = await loadTree(absFile, cwd, outside);
  const base = new VariableTable([...vars, ...outside]);

  const secrets = new Set(base.secrets());
  try {
    const combinatorTree = only(tree, 'combinator');
    const combinator = check(
      z.object({ combinator: combinatorSchema.optional() }),
      substitute(combinatorTree, base),
      [],
    ).combinator;
    const count = countCombinations(combinator);
    if (count > RUNBOOK_LIMITS.combinations) {
      const at = locate(combinatorTree, ['combinator']);
      throw errorAt(
        at.keyPos ?? at.pos,
        ['combinator'],
        `makes ${count > 1e15 ? count.toExponential(2) : count} combinations; at most ${RUNBOOK_LIMITS.combinations} are allowed`,
      );
    }
    const rest: LNode & { kind: 'map' } = {
      ...tree,
      entries: new Map([...tree.entries].filter(([k]) => k !== 'combinator' && k !== 'transformer')),
    };
    if (options.beforeValidate) {
      const { dirs, part } = extensionDirs(rest, base);
      await options
        .beforeValidate(dirs, { importBuiltinTests: importsBuiltinTests(rest, base) })
        .catch((e: unknown) => {
          throw extensionLoadError(e, part, dirs);
        });
    }
    // Transformer outputs are variables before they have values: placeholders, lowest layer.
    const transformerTree = only(tree, 'transformer');
    const withOutputs = new VariableTable([...placeholders(transformerTree), ...base.layers]);
    const sources = combinatorSources(combinator, combinatorTree, cwd);
    // Checked with the first combination's values; each run resolves the entries again.
    const firstLayer = layer(sources.combinations[0]!.variables, 'combinator');
    const transformers = planTransformers(substitute(transformerTree, withOutputs.with(firstLayer)));
    const expanded = await expand(rest, sources, withOutputs, secrets, absFile, cwd, options.checkFiles ?? false);
    const derive = (c: Combination, extra: Record<string, unknown>): Promise<ResolvedRunbook> =>
      resolveOne(rest, withOutputs.with([...layer(c.variables, 'combinator'), ...layer(extra, 'transformer')]), c, {
        absFile,
        cwd,
        checkFiles: false,
      });
    const resolveTransformer = (index: number, variables: Record<string, unknown>): Record<string, unknown> => {
      const t = transformerType(transformers.find((e) => e.index === index)!.type)!;
      const resolved = substitute(transformerTree, withOutputs.with(layer(variables, 'run')));
      return check<z.ZodType<Record<string, unknown>>>(fullEntrySchema(t), resolved, ['transformer', index]);
    };
    return { file: absFile, ...expanded, transformers, bisect: sources.bisect, derive, resolveTransformer };
  } catch (err) {
    // A secret put where a number belongs would otherwise be printed in "found string ...".
    if (err instanceof RunbookError) maskError(err, [...secrets]);
    throw err;
  }
}

async function expand(
  rest: LNode & { kind: 'map' },
  sources: CombinatorSources,
  base: VariableTable,
  secrets: Set<string>,
  absFile: string,
  cwd: string,
  checkFiles: boolean,
): Promise<Pick<LoadedRunbook, 'name' | 'secrets' | 'combinations'>> {
  const combinations: ResolvedRunbook[] = [];
  for (const combination of sources.combinations) {
    // LISA lets combinator values override every other definition of the same variable.
    const table = base.with(layer(combination.variables, 'combinator'));
    table.secrets().forEach((s) => secrets.add(s));
    combinations.push(await resolveOne(rest, table, combination, { absFile, cwd, checkFiles }));
  }
  return { name: combinations[0]!.name, secrets: [...secrets], combinations };
}

async function resolveOne(
  rest: LNode & { kind: 'map' },
  table: VariableTable,
  combination: Combination,
  o: { absFile: string; cwd: string; checkFiles: boolean },
): Promise<ResolvedRunbook> {
  const resolvedTree = dropDisabled(substitute(rest, table));
  const plugins = await loadRunbookPlugins(resolvedTree);
  const data = check(runbookSchema(plugins), resolvedTree, []);
  const resolved = resolveRunbook(data, { tree: resolvedTree, file: o.absFile, cwd: o.cwd, plugins });
  const [first, ...more] = o.checkFiles ? checkRunbookPaths(resolved, resolvedTree, data.log_path !== undefined) : [];
  if (first) {
    first.more.push(...more);
    throw first;
  }
  return {
    ...resolved,
    combination: { name: combination.name, variables: combination.variables },
    variables: table.snapshot(),
  };
}

function layer(variables: Record<string, unknown>, source: string): VarDef[] {
  return Object.entries(variables).map(([name, value]) => ({ name, value, isSecret: false, source }));
}

function placeholders(transformerTree: LNode & { kind: 'map' }): VarDef[] {
  return [...plannedOutputs(transformerTree.entries.get('transformer')?.node)].map(([name, by]) => ({
    name,
    value: `<${name}: set by transformer ${by}>`,
    isSecret: false,
    source: `transformer ${by}`,
  }));
}

/**
 * The extension directories, found before the rest is validated: their modules may register the
 * platform or notifier types that the rest of the runbook uses.
 */
function extensionDirs(tree: LNode & { kind: 'map' }, vars: VariableTable): { dirs: string[]; part: LNode } {
  const part = dropDisabled(substitute(only(tree, 'extension'), vars));
  const value = check(z.object({ extension: extensionSchema.optional() }), part, []).extension;
  const at = locate(part, ['extension']).pos.absFile;
  return { dirs: extensionPaths(value).map((e) => path.resolve(path.dirname(at), expandHome(e))), part };
}

/** LISA `import_builtin_tests`, read early too: false means the built-in suites are never imported. */
function importsBuiltinTests(tree: LNode & { kind: 'map' }, vars: VariableTable): boolean {
  const part = substitute(only(tree, 'import_builtin_tests'), vars);
  return check(z.object({ import_builtin_tests: z.boolean().optional() }), part, []).import_builtin_tests ?? true;
}

function maskError(err: RunbookError, secrets: string[]): void {
  err.maskSecrets(secrets);
}

function only(tree: LNode & { kind: 'map' }, key: string): LNode & { kind: 'map' } {
  return { ...tree, entries: new Map([...tree.entries].filter(([k]) => k === key)) };
}
