/**
 * `loadRunbook`: file → includes merged → variables → one validated ResolvedRunbook per
 * combination. Every user mistake surfaces as a RunbookError.
 */
import path from 'node:path';
import { z } from 'zod';
import { expandCombinator } from './combinator.js';
import { RunbookError } from './errors.js';
import { loadTree } from './include.js';
import type { LNode } from './located.js';
import { resolveRunbook } from './resolve.js';
import { combinatorSchema, runbookSchema } from './schema/runbook.js';
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

  const combinatorTree = only(tree, 'combinator');
  const combinator = check(z.object({ combinator: combinatorSchema.optional() }), substitute(combinatorTree, base), []).combinator;
  const rest: LNode & { kind: 'map' } = { ...tree, entries: new Map([...tree.entries].filter(([k]) => k !== 'combinator')) };

  const secrets = new Set(base.secrets());
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
    const data = check(runbookSchema(), resolvedTree, []);
    combinations.push({
      ...resolveRunbook(data, { tree: resolvedTree, file: absFile, cwd }),
      combination: { name: combination.name, variables: combination.variables },
      variables: table.snapshot(),
    });
  }
  return { file: absFile, name: combinations[0]!.name, secrets: [...secrets], combinations };
}

function only(tree: LNode & { kind: 'map' }, key: string): LNode {
  return { ...tree, entries: new Map([...tree.entries].filter(([k]) => k === key)) };
}

