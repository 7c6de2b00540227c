import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../process/alive.js';

export interface LeaseHolder {
  pid: number;
  host: string;
  runDir: string;
  since: string;
}

/** A machine held by this process; `release` removes the lock file. */
export class Lease {
  private released = false;
  constructor(
    readonly machine: string,
    readonly file: string,
  ) {}

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await rm(this.file, { force: true });
  }
}

export class LeaseBusyError extends Error {
  constructor(
    machine: string,
    readonly holder: LeaseHolder,
  ) {
    super(
      `machine ${machine} is leased by another run (pid ${holder.pid} on ${holder.host} since ${holder.since}, run ${holder.runDir})`,
    );
    this.name = 'LeaseBusyError';
  }
}

async function readHolder(file: string): Promise<LeaseHolder | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LeaseHolder;
  } catch {
    return undefined;
  }
}

/**
 * One lock file per machine (`<lockDir>/<machine>.lease`, created with O_EXCL), so every run on
 * this host that names the machine sees the lease. A lease whose holder process died on this host
 * is taken over; a live holder makes us wait up to `waitMs`, then fail naming the holder.
 */
export async function acquireLease(
  lockDir: string,
  machine: string,
  runDir: string,
  options: { waitMs?: number; signal?: AbortSignal } = {},
): Promise<Lease> {
  await mkdir(lockDir, { recursive: true });
  const file = join(lockDir, `${machine}.lease`);
  const deadline = Date.now() + (options.waitMs ?? 0);
  const me: LeaseHolder = { pid: process.pid, host: hostname(), runDir, since: new Date().toISOString() };
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o644);
      await fh.writeFile(JSON.stringify(me));
      await fh.close();
      return new Lease(machine, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(file);
    // A half-written file (holder between open and write) reads as undefined: wait for it.
    if (holder && holder.host === hostname() && !processAlive(holder.pid)) {
      await takeOver(file, holder);
      continue;
    }
    if (options.signal?.aborted) throw new Error(`aborted while waiting for the lease of machine ${machine}`);
    if (Date.now() >= deadline && holder) throw new LeaseBusyError(machine, holder);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Removes a dead holder's lock. Two runs may find the same dead holder at once: a second lock
 * file serialises them, and the lock is removed only if it still names that holder.
 */
async function takeOver(file: string, dead: LeaseHolder): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await (await open(guard, 'wx')).close();
  } catch {
    await new Promise((r) => setTimeout(r, 200));
    return;
  }
  try {
    const now = await readHolder(file);
    if (now && now.pid === dead.pid && now.since === dead.since) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}
