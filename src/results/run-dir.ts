import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The directory layout of one run: everything a run writes lives below `root`. */
export class RunDirectory {
  constructor(readonly root: string) {
    mkdirSync(join(root, 'cases'), { recursive: true });
    mkdirSync(join(root, 'nodes'), { recursive: true });
  }

  static create(runRoot: string, name: string, now = new Date()): RunDirectory {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
    const base = join(runRoot, `${stamp}-${safeName(name)}`);
    mkdirSync(runRoot, { recursive: true });
    // Two runs started within the same second get distinct directories.
    let dir = base;
    for (let i = 2; !claimDir(dir); i++) dir = `${base}-${i}`;
    return new RunDirectory(dir);
  }

  get runLog(): string {
    return join(this.root, 'lisa.log');
  }
  get eventsFile(): string {
    return join(this.root, 'events.jsonl');
  }
  caseDir(runCaseId: string, attempt: number): string {
    const dir = join(this.root, 'cases', `${safeName(runCaseId)}${attempt > 1 ? `-attempt${attempt}` : ''}`);
    claimDir(dir);
    return dir;
  }
  nodeLog(envId: string, nodeName: string): string {
    return join(this.root, 'nodes', `${safeName(envId)}-${safeName(nodeName)}.log`);
  }
  platformDir(): string {
    const dir = join(this.root, 'platform');
    mkdirSync(dir, { recursive: true });
    return dir;
  }
}

export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._=-]+/g, '_').slice(0, 120);
}

/** Creates the directory; false when it already exists (another run took it). */
function claimDir(p: string): boolean {
  try {
    mkdirSync(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}
