import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsErrorText } from '../logging/fs-errors.js';

/** Pieces are gathered up to this size before each write: few syscalls, and no string the size of the report. */
const WRITE_CHUNK = 64 * 1024;

/**
 * Writes the whole file next to its destination, then renames it over the old one, so a reader (or
 * a run killed mid-write) sees either the previous report or the new one, never half of one.
 * Synchronous on purpose: reports are also written while the process is being interrupted.
 * `data` may come in pieces: a 10,000-case report rendered as one string would sit in V8's
 * large-object space until a full collection, which is what made a large run's memory grow.
 * A failure is one line naming the report: "cannot write /x/junit.xml: no space left on the device".
 */
export function writeFileAtomic(path: string, data: string | Iterable<string>): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(tmp, 'w');
    let pending = '';
    for (const piece of typeof data === 'string' ? [data] : data) {
      pending += piece;
      if (pending.length >= WRITE_CHUNK) {
        writeAll(fd, pending);
        pending = '';
      }
    }
    if (pending) writeAll(fd, pending);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    try {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
    } catch {
      // The directory is not there to hold it (ENOTDIR): nothing was left behind.
    }
    throw new Error(`cannot write ${path}: ${fsErrorText(err)}`, { cause: err });
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  for (let done = 0; done < buf.length; ) done += writeSync(fd, buf, done);
}
