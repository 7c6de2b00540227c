import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsErrorText } from '../logging/fs-errors.js';

/**
 * Writes the whole file next to its destination, then renames it over the old one, so a reader (or
 * a run killed mid-write) sees either the previous report or the new one, never half of one.
 * Synchronous on purpose: reports are also written while the process is being interrupted.
 * A failure is one line naming the report: "cannot write /x/junit.xml: no space left on the device".
 */
export function writeFileAtomic(path: string, data: string): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data, 'utf8');
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The directory is not there to hold it (ENOTDIR): nothing was left behind.
    }
    throw new Error(`cannot write ${path}: ${fsErrorText(err)}`, { cause: err });
  }
}
