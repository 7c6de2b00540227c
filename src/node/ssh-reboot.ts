import type { Logger } from '../logging/logger.js';

export interface BootIdWait {
  nodeName: string;
  before: string;
  timeoutMs: number;
  log: Logger;
  /** Connects (retrying for at most the given ms) and reads the boot id. */
  readBootId(deadlineMs: number): Promise<string>;
}

/**
 * Polls until the node answers with a boot id other than `before`. Until the reboot really
 * starts the old system still answers with the old id, so "same id" means "keep waiting", and
 * only the overall timeout turns it into an error.
 */
export async function waitForNewBootId(w: BootIdWait): Promise<void> {
  const started = Date.now();
  const deadline = started + w.timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      const id = await w.readBootId(left);
      if (id && id !== w.before) {
        w.log.info(`${w.nodeName} is back after ${Math.round((Date.now() - started) / 1000)} s (boot id ${id})`);
        return;
      }
      last = `boot id still ${id}`;
    } catch (e) {
      last = (e as Error).message;
    }
  }
  throw new Error(
    `reboot of ${w.nodeName} not confirmed within ${Math.round(w.timeoutMs / 1000)} s: ` +
      `the boot id never changed from ${w.before} (last: ${last})`,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
