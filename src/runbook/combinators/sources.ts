/**
 * The combinations of a runbook: grid and batch as written, pairwise reduced, csv read from its
 * file; git_bisect chooses each next commit at run time (one placeholder combination here).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expandCombinator, named, type Combination, type Combinator } from '../combinator.js';
import { RunbookError } from '../errors.js';
import { RUNBOOK_LIMITS } from '../limits.js';
import { errorAt, locate, type LNode, type PathPart } from '../located.js';
import { expandHome } from '../resolve.js';
import { scalarFromText } from '../variables.js';
import { parseCsv } from './csv.js';
import { allPairs } from './pairwise.js';

export interface GitBisectConfig {
  /** A path (absolute) or a URL. */
  repo: string;
  goodCommit: string;
  badCommit: string;
  /** `file:line` of the combinator. */
  where: string;
}

export interface CombinatorSources {
  combinations: Combination[];
  bisect?: GitBisectConfig;
}

/** The variable git_bisect sets to the commit under test, as LISA names it. */
export const BISECT_VARIABLE = 'ref';

export function combinatorSources(combinator: Combinator | undefined, tree: LNode, cwd: string): CombinatorSources {
  if (!combinator || combinator.type === 'grid' || combinator.type === 'batch') {
    return { combinations: expandCombinator(combinator) };
  }
  const dirOf = (p: PathPart[]) => path.dirname(locate(tree, ['combinator', ...p]).pos.absFile || path.join(cwd, 'x'));
  if (combinator.type === 'pairwise') {
    const rows = allPairs(combinator.items.map((i) => i.value.length));
    return {
      combinations: named(
        rows.map((row) => Object.fromEntries(combinator.items.map((item, i) => [item.name, item.value[row[i]!]]))),
      ),
    };
  }
  if (combinator.type === 'csv') return { combinations: named(readCsv(combinator, tree, dirOf(['file_name']))) };
  const repo =
    /^[\w+.-]+:\/\//.test(combinator.repo) || /^[^/]+@[^:]+:/.test(combinator.repo)
      ? combinator.repo
      : path.resolve(dirOf(['repo']), expandHome(combinator.repo));
  const pos = locate(tree, ['combinator']).pos;
  return {
    combinations: named([{ [BISECT_VARIABLE]: combinator.bad_commit }]),
    bisect: {
      repo,
      goodCommit: combinator.good_commit,
      badCommit: combinator.bad_commit,
      where: `${pos.file}:${pos.line}`,
    },
  };
}

function readCsv(
  combinator: Extract<Combinator, { type: 'csv' }>,
  tree: LNode,
  dir: string,
): Record<string, unknown>[] {
  const at = (p: PathPart[], message: string): RunbookError => {
    const w = locate(tree, ['combinator', ...p]);
    return errorAt(w.keyPos ?? w.pos, ['combinator', ...p], message);
  };
  const file = path.resolve(dir, expandHome(combinator.file_name));
  if (!existsSync(file)) throw at(['file_name'], `no such file: ${file}`);
  let records;
  try {
    records = parseCsv(readFileSync(file, 'utf8'));
  } catch (e) {
    throw at(['file_name'], `${file}: ${(e as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0) throw at(['file_name'], `${file}: needs a header row and at least one row`);
  if (rows.length > RUNBOOK_LIMITS.combinations) {
    throw at(
      ['file_name'],
      `${file}: makes ${rows.length} combinations; at most ${RUNBOOK_LIMITS.combinations} are allowed`,
    );
  }
  const columns = header.cells.map((c) => c.trim());
  const mapping = combinator.column_mapping ?? columns.map((c) => ({ column: c, variable: c, default: undefined }));
  mapping.forEach((m, i) => {
    if (!columns.includes(m.column))
      throw at(
        ['column_mapping', i, 'column'],
        `column "${m.column}" is not in ${file}; its columns: ${columns.join(', ')}`,
      );
  });
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const m of mapping) {
      const cell = row.cells[columns.indexOf(m.column)]?.trim() ?? '';
      if (cell !== '') out[m.variable] = scalarFromText(cell);
      else if (m.default !== undefined) out[m.variable] = m.default;
      else throw new RunbookError(`column "${m.column}" is empty and column_mapping gives no default`, file, row.line);
    }
    return out;
  });
}
