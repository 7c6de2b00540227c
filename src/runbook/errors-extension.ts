/**
 * A test-suite module that fails to load is reported at the `extension:` entry that named its
 * directory, so the first line says which runbook key brought the broken code in.
 */
import path from 'node:path';
import { RunbookError } from './errors.js';
import { errorAt, get, locate, type LNode, type PathPart } from './located.js';

/** Where each extension directory was written: `extension[i]`, `extension[i].path` or `extension.paths[i]`. */
function entryPaths(part: LNode): PathPart[][] {
  const value = get(part, 'extension');
  if (value?.kind === 'seq') {
    return value.items.map((item, i) => (item.kind === 'map' ? ['extension', i, 'path'] : ['extension', i]));
  }
  const paths = get(value, 'paths');
  return paths?.kind === 'seq' ? paths.items.map((_, i) => ['extension', 'paths', i]) : [];
}

/**
 * The RunbookError for a failure while loading the suites below `dirs` (resolved, in the order
 * written under `extension:` in `part`): located at the entry whose directory holds the failing
 * file. Anything else (a built-in suite, an error without a file) is returned unchanged.
 */
export function extensionLoadError(e: unknown, part: LNode, dirs: string[]): unknown {
  if (e instanceof RunbookError || !(e instanceof Error)) return e;
  const file = (e as { file?: unknown }).file;
  if (typeof file !== 'string') return e;
  const within = (dir: string) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  let best = -1;
  dirs.forEach((dir, i) => {
    if (within(dir) && (best < 0 || dir.length > dirs[best]!.length)) best = i;
  });
  const at = entryPaths(part)[best];
  if (!at) return e;
  const where = locate(part, at);
  return errorAt(where.pos, at, e.message);
}
