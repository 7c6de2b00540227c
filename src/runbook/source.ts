/** Reads one YAML file into a located tree, turning I/O and syntax problems into RunbookErrors. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { RunbookError } from './errors.js';
import { errorAt, fromYaml, type LNode, type PathPart, type Pos } from './located.js';

export interface Reference {
  /** Where the file was named (an `include` or `variable: {file}` entry). */
  pos: Pos;
  path: PathPart[];
  what: string;
}

/** Paths in messages are relative to the working directory when below it, so they stay short. */
export function displayPath(absFile: string, cwd: string): string {
  const rel = path.relative(cwd, absFile);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absFile;
}

export async function readYamlFile(absFile: string, cwd: string, ref?: Reference): Promise<LNode> {
  const file = displayPath(absFile, cwd);
  let text: string;
  try {
    text = await readFile(absFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot read (${code ?? String(err)})`;
    if (ref) throw errorAt(ref.pos, ref.path, `${ref.what} ${file}: ${why}`);
    throw new RunbookError(`runbook ${why}`, file);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    // yaml's wording for this one names its own API; say what the user can change instead.
    const message =
      first.code === 'MULTIPLE_DOCS'
        ? 'a runbook must be a single YAML document (remove the second `---`)'
        : first.message;
    throw new RunbookError(`YAML syntax error: ${message}`, file, line, col);
  }
  return fromYaml(doc, lines, file, absFile);
}
