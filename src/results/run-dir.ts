import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fsErrorText } from '../logging/fs-errors.js';

type Mask = (text: string) => string;

/**
 * The directory layout of one run: everything a run writes lives below `root`. Names made from the
 * run's name, case ids (which carry combinator values) and node names pass through `mask` first:
 * a directory name is output too, and reports link to the masked name that exists on disk.
 */
export class RunDirectory {
  constructor(
    readonly root: string,
    private readonly mask: Mask = (text) => text,
  ) {
    makeDir(join(root, 'cases'));
    makeDir(join(root, 'nodes'));
  }

  static create(runRoot: string, name: string, now = new Date(), mask: Mask = (text) => text): RunDirectory {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
    const base = join(runRoot, `${stamp}-${safeName(mask(name))}`);
    makeDir(runRoot);
    // Two runs started within the same second get distinct directories.
    let dir = base;
    for (let i = 2; !claimDir(dir); i++) dir = `${base}-${i}`;
    return new RunDirectory(dir, mask);
  }

  /** An existing run's directory, to continue it (`lisa resume`). */
  static open(root: string, mask: Mask = (text) => text): RunDirectory {
    return new RunDirectory(root, mask);
  }

  get runLog(): string {
    return join(this.root, 'lisa.log');
  }
  get eventsFile(): string {
    return join(this.root, 'events.jsonl');
  }
  caseDir(runCaseId: string, attempt: number): string {
    const dir = join(this.root, 'cases', `${safeName(this.mask(runCaseId))}${attempt > 1 ? `-attempt${attempt}` : ''}`);
    claimDir(dir);
    return dir;
  }
  nodeLog(envId: string, nodeName: string): string {
    return join(this.root, 'nodes', `${safeName(this.mask(envId))}-${safeName(this.mask(nodeName))}.log`);
  }
  platformDir(): string {
    const dir = join(this.root, 'platform');
    makeDir(dir);
    return dir;
  }
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._=-]+/g, '_').slice(0, 120);
}

/** A run directory that cannot be made: one line naming it and the key that placed it. */
export class RunDirError extends Error {
  override name = 'RunDirError';
}

function dirError(p: string, e: unknown): RunDirError {
  return new RunDirError(`cannot create ${p} (below log_path or -l): ${fsErrorText(e)}`, { cause: e });
}

function makeDir(p: string): void {
  try {
    mkdirSync(p, { recursive: true });
  } catch (e) {
    throw dirError(p, e);
  }
}

/** Creates the directory; false when it already exists (another run took it). */
function claimDir(p: string): boolean {
  try {
    mkdirSync(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw dirError(p, e);
  }
}
