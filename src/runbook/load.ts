/**
 * `loadRunbook`: file → includes merged → variables → one validated ResolvedRunbook per
 * combination. Every user mistake surfaces as a RunbookError.
 */
import path from 'node:path';
import { z } from 'zod';
import { countCombinations, expandCombinator, type Combinator } from './combinator.js';
import { RUNBOOK_LIMITS } from './limits.js';
import { RunbookError } from './errors.js';
import { loadTree } from './include.js';
import { errorAt, locate, type LNode } from './located.js';
import { checkRunbookPaths } from './path-checks.js';
import { loadRunbookPlugins } from './plugins.js';
import { expandHome, resolveRunbook } from './resolve.js';
import { combinatorSchema, pathEntrySchema, runbookSchema } from './schema/runbook.js';
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
      entries: new Map([...tree.entries].filter(([k]) => k !== 'combinator')),
    };
    if (options.beforeValidate) await options.beforeValidate(extensionDirs(rest, base));
    return {
      file: absFile,
      ...(await expand(rest, combinator, base, secrets, absFile, cwd, options.checkFiles ?? false)),
    };
  } catch (err) {
    // A secret put where a number belongs would otherwise be printed in "found string ...".
    if (err instanceof RunbookError) maskError(err, [...secrets]);
    throw err;
  }
}

async function expand(
  rest: LNode & { kind: 'map' },
  combinator: Combinator | undefined,
  base: VariableTable,
  secrets: Set<string>,
  absFile: string,
  cwd: string,
  checkFiles: boolean,
): Promise<Omit<LoadedRunbook, 'file'>> {
  const combinations: ResolvedRunbook[] = [];
  for (const combination of expandCombinator(combinator)) {
    // LISA lets combinator values override every other definition of the same variable.
    const layer: VarDef[] = Object.entries(combination.variables).map(([name, value]) => ({
      name,
      value,
      isSecret: false,
      source: 'combinator',
    }));
    const table = base.with(layer);
    table.secrets().forEach((s) => secrets.add(s));
    const resolvedTree = substitute(rest, table);
    const plugins = await loadRunbookPlugins(resolvedTree);
    const data = check(runbookSchema(plugins), resolvedTree, []);
    const resolved = resolveRunbook(data, { tree: resolvedTree, file: absFile, cwd, plugins });
    const [first, ...more] = checkFiles ? checkRunbookPaths(resolved, resolvedTree, data.log_path !== undefined) : [];
    if (first) {
      first.more.push(...more);
      throw first;
    }
    combinations.push({
      ...resolved,
      combination: { name: combination.name, variables: combination.variables },
      variables: table.snapshot(),
    });
  }
  return { name: combinations[0]!.name, secrets: [...secrets], combinations };
}

/**
 * The extension directories, found before the rest is validated: their modules may register the
 * platform or notifier types that the rest of the runbook uses.
 */
function extensionDirs(tree: LNode & { kind: 'map' }, vars: VariableTable): string[] {
  const part = substitute(only(tree, 'extension'), vars);
  const entries = check(z.object({ extension: z.array(pathEntrySchema).optional() }), part, []).extension ?? [];
  return entries.map((e, i) => {
    const at = locate(part, ['extension', i]).pos.absFile;
    return path.resolve(path.dirname(at), expandHome(typeof e === 'string' ? e : e.path));
  });
}

function maskError(err: RunbookError, secrets: string[]): void {
  const long = secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
  for (const e of [err, ...err.more]) {
    for (const s of long) e.message = e.message.split(s).join('******');
  }
}

function only(tree: LNode & { kind: 'map' }, key: string): LNode {
  return { ...tree, entries: new Map([...tree.entries].filter(([k]) => k === key)) };
}
