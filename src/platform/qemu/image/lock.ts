import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../../../process/alive.js';

/**
 * A cross-process lock (a directory with the owner's pid), because parallel test files and
 * parallel environments may ask for the same image or snapshot at once; a lock left by a dead
 * process is taken over.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    try {
      await mkdir(path);
      await writeFile(join(path, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => ''));
      if (pid && !processAlive(pid)) {
        await rm(path, { recursive: true, force: true });
        continue;
      }
      if (signal?.aborted) throw new Error(`aborted while waiting for lock ${path}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}
