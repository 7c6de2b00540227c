/** Reads a runbook file's `variable:` section, including `{file: vars.yml}` entries. */
import path from 'node:path';
import { z } from 'zod';
import { RunbookError } from './errors.js';
import { displayPath, readYamlFile } from './source.js';
import { errorAt, toJS, type LNode } from './located.js';
import { variableEntrySchema } from './schema/runbook.js';
import { check } from './validate.js';
import type { VarDef, VariableTable } from './variables.js';

const sectionSchema = z.array(variableEntrySchema).optional();

/**
 * `higher` holds the variables that outrank this file (ancestors, env, CLI); a `file:` path may use
 * them and the entries above it.
 */
export async function readVariableSection(
  root: LNode,
  absFile: string,
  cwd: string,
  higher: VariableTable,
): Promise<VarDef[]> {
  const entries = check(sectionSchema, root, ['variable']) ?? [];
  const defs: VarDef[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = nodeOf(root, i);
    const source = `${displayPath(absFile, cwd)}:${where.pos.line}`;
    if ('name' in entry) {
      // LISA's `mask:` styles show part of a secret; lisa-ts masks it whole, but it is a secret.
      const isSecret = entry.is_secret ?? entry.mask !== undefined;
      defs.push({
        name: entry.name,
        value: entry.value ?? '',
        isSecret,
        source,
        ...(entry.is_case_visible !== undefined ? { caseVisible: entry.is_case_visible } : {}),
      });
      continue;
    }
    const use = { pos: where.pos, path: ['variable', i, 'file'] };
    const rel = String(higher.with(defs).expand(entry.file, use));
    const varsFile = path.resolve(path.dirname(absFile), rel);
    const tree = await readYamlFile(varsFile, cwd, { ...use, what: 'variable file' }).catch((e: unknown) => {
      throw masked(e, higher.with(defs));
    });
    if (tree.kind === 'scalar' && tree.value === null) continue;
    if (tree.kind !== 'map') {
      throw masked(errorAt(tree.pos, [], 'a variable file must be a mapping of name: value'), higher.with(defs));
    }
    for (const [name, item] of tree.entries) {
      if (!/^[\w-]+$/.test(name)) {
        const e = errorAt(item.keyPos, [name], 'variable names may contain letters, digits, `_` and `-` only');
        throw masked(e, higher.with(defs));
      }
      const value = toJS(item.node);
      defs.push({
        name,
        value: value ?? '',
        isSecret: entry.is_secret ?? false,
        source: `${item.keyPos.file}:${item.keyPos.line}`,
      });
    }
  }
  return defs;
}

/** A variable-file path made from a secret variable is in the error's message and file name. */
function masked(e: unknown, table: VariableTable): unknown {
  return e instanceof RunbookError ? e.maskSecrets(table.secrets()) : e;
}

function nodeOf(root: LNode, index: number): LNode {
  const section = root.kind === 'map' ? root.entries.get('variable')?.node : undefined;
  return section?.kind === 'seq' ? section.items[index]! : root;
}
