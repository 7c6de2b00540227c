/** Reads one YAML file into a located tree, turning I/O and syntax problems into RunbookErrors. */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { RunbookError } from './errors.js';
import { errorAt, fromYaml, type LNode, type PathPart, type Pos } from './located.js';
import { RUNBOOK_LIMITS } from './limits.js';

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
    text = await readRegularFile(absFile);
  } catch (err) {
    const why = err instanceof NotReadable ? err.message : ioReason(err);
    if (ref) throw errorAt(ref.pos, ref.path, `${ref.what} ${file}: ${why}`);
    throw new RunbookError(`runbook ${why}`, file);
  }
  // An empty include or variable file adds nothing, but a top-level runbook that says nothing
  // is a mistake (a wrong path or an unsaved editor buffer) that `run` would fail on later.
  if (!ref && /^\s*(#[^\n]*)?(\s*#[^\n]*|\s)*$/.test(text)) {
    throw new RunbookError('runbook is empty: it has no keys (only blank lines or comments)', file);
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

class NotReadable extends Error {}

/**
 * Opens without blocking and checks what was opened, so a FIFO, a device or /proc file given as a
 * runbook is refused instead of blocking or streaming forever, and a huge file is never read whole.
 */
async function readRegularFile(absFile: string): Promise<string> {
  const handle = await open(absFile, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new NotReadable('is a directory');
    if (!st.isFile()) throw new NotReadable('is not a regular file');
    if (st.size > RUNBOOK_LIMITS.fileBytes) {
      throw new NotReadable(`is ${st.size} bytes; runbook files are limited to ${RUNBOOK_LIMITS.fileBytes} bytes`);
    }
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(buf, 0, st.size, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function ioReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return `cannot read (${code ?? String(err)})`;
}
