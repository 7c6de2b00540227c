/**
 * Loads a runbook and, recursively, the runbooks it includes: variables per file, include paths
 * expanded with the variables visible there, cycles reported with the whole chain. A file included
 * from several places (a diamond) is loaded once, where it is first included: merging it again
 * would only repeat its rules, and re-reading it at every level grows exponentially.
 */
import path from 'node:path';
import { z } from 'zod';
import { displayPath, readYamlFile, type Reference } from './source.js';
import { RunbookError } from './errors.js';
import { errorAt, type LEntry, type LNode } from './located.js';
import { mergeRunbook } from './merge.js';
import { includeEntrySchema } from './schema/runbook.js';
import { check } from './validate.js';
import { RUNBOOK_LIMITS } from './limits.js';
import { readVariableSection } from './variable-section.js';
import { VariableTable, type VarDef } from './variables.js';

export interface LoadedTree {
  /** The merged runbook without `include` and `variable`. */
  tree: LNode & { kind: 'map' };
  /** Variables of this file and its includes, lowest precedence first. */
  vars: VarDef[];
}

const includeSchema = z.array(includeEntrySchema).optional();

/** `higher`: variables that outrank this file (its includers' own, env, CLI), lowest first. */
export async function loadTree(
  absFile: string,
  cwd: string,
  higher: VarDef[],
  chain: string[] = [],
  ref?: Reference,
  loaded = new Set<string>([absFile]),
): Promise<LoadedTree> {
  const root = await readYamlFile(absFile, cwd, ref);
  const map = asMap(root);
  const own = await readVariableSection(map, absFile, cwd, new VariableTable(higher));
  const visible = [...own, ...higher];
  const table = new VariableTable(visible);
  try {
    return await loadIncludes(map, absFile, cwd, own, visible, table, chain, loaded);
  } catch (e) {
    // An include path made from a secret variable is in the error's message and maybe its file.
    throw e instanceof RunbookError ? e.maskSecrets(table.secrets()) : e;
  }
}

async function loadIncludes(
  map: LNode & { kind: 'map' },
  absFile: string,
  cwd: string,
  own: VarDef[],
  visible: VarDef[],
  table: VariableTable,
  chain: string[],
  loaded: Set<string>,
): Promise<LoadedTree> {
  // `parent:` is LISA's older name of `include:`; its runbooks still use it (local.yml).
  const key = map.entries.has('include') || !map.entries.has('parent') ? 'include' : 'parent';
  const includes = check(includeSchema, map, [key]) ?? [];
  const section = map.entries.get(key)?.node;

  let merged: (LNode & { kind: 'map' }) | undefined;
  const vars: VarDef[] = [];
  for (const [i, entry] of includes.entries()) {
    const item = section?.kind === 'seq' ? section.items[i]! : map;
    const use = { pos: item.pos, path: [key, i] };
    const target = path.resolve(
      path.dirname(absFile),
      String(table.expand(typeof entry === 'string' ? entry : entry.path, use)),
    );
    const loop = [...chain, absFile];
    if (loop.includes(target)) {
      const shown = [...loop.slice(loop.indexOf(target)), target].map((f) => displayPath(f, cwd));
      throw errorAt(item.pos, use.path, `include cycle: ${shown.join(' -> ')}`);
    }
    if (loaded.has(target)) continue;
    loaded.add(target);
    if (loaded.size > RUNBOOK_LIMITS.files) {
      throw errorAt(item.pos, use.path, `more than ${RUNBOOK_LIMITS.files} runbook files are included`);
    }
    const child = await loadTree(target, cwd, visible, loop, { ...use, what: 'included runbook' }, loaded);
    vars.push(...child.vars);
    merged = merged ? mergeRunbook(merged, child.tree) : child.tree;
  }
  vars.push(...own);
  const self = withoutKeys(map, ['include', 'parent', 'variable']);
  return { tree: merged ? mergeRunbook(merged, self) : self, vars };
}

function asMap(root: LNode): LNode & { kind: 'map' } {
  if (root.kind === 'map') return root;
  if (root.kind === 'scalar' && root.value === null) return { kind: 'map', pos: root.pos, entries: new Map() };
  const found = root.kind === 'seq' ? 'a list' : 'a single value';
  throw errorAt(root.pos, [], `a runbook must be a mapping of keys (name, platform, testcase, ...), found ${found}`);
}

function withoutKeys(map: LNode & { kind: 'map' }, keys: string[]): LNode & { kind: 'map' } {
  const entries = new Map<string, LEntry>([...map.entries].filter(([k]) => !keys.includes(k)));
  return { ...map, entries };
}
