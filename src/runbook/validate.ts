/** Validates one part of a located tree against a zod schema, throwing located RunbookErrors. */
import type { z } from 'zod';
import { combine, issuesToErrors } from './issues.js';
import { locate, toJS, type LNode, type PathPart } from './located.js';

/** Parses the value at `path` of `root` (undefined when absent) and returns zod's output. */
export function check<S extends z.ZodType>(schema: S, root: LNode, path: PathPart[]): z.output<S> {
  const where = path.length ? locate(root, path) : { found: true, pos: root.pos };
  const node = where.found ? nodeAt(root, path) : undefined;
  const empty = !node || (node.kind === 'scalar' && node.value === null);
  const data = empty ? undefined : toJS(node, true);
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw combine(sortByPosition(issuesToErrors(result.error.issues, root, path, data, schema)));
}

function nodeAt(root: LNode, path: PathPart[]): LNode | undefined {
  let node: LNode | undefined = root;
  for (const part of path) {
    if (node?.kind === 'map') node = node.entries.get(String(part))?.node;
    else if (node?.kind === 'seq' && typeof part === 'number') node = node.items[part];
    else return undefined;
  }
  return node;
}

function sortByPosition<T extends { file: string; line?: number; column?: number }>(errors: T[]): T[] {
  const fileOrder = [...new Set(errors.map((e) => e.file))];
  return [...errors].sort(
    (a, b) =>
      fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
