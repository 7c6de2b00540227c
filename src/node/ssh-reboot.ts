import type { Logger } from '../logging/logger.js';
import { shellQuote } from '../shell/quote.js';
import { NodeUnreachableError, type Node } from './types.js';

export interface RebootRequest {
  node: Node;
  timeoutMs: number;
  connectTimeoutMs: number;
  bootIdCommand: string;
  /** Run as root. */
  rebootCommand: string;
  /** (Re)connects, retrying for at most the given ms. */
  connect(deadlineMs: number): Promise<void>;
}

/** Reads the boot id, reboots detached, then waits for a different boot id (else throws). */
export async function rebootAndWait(req: RebootRequest): Promise<void> {
  const { node } = req;
  const readBootId = async (deadlineMs: number): Promise<string> => {
    await req.connect(deadlineMs);
    const r = await node.execute(req.bootIdCommand, { expectedExitCode: 0, timeoutMs: 30_000 });
    return r.stdout.trim();
  };
  const before = await readBootId(req.connectTimeoutMs);
  node.log.info(`rebooting ${node.name} (boot id ${before})`);
  // The sleep lets this channel close cleanly before the system goes down.
  const detached = `nohup sh -c ${shellQuote(`sleep 1; ${req.rebootCommand}`)} >/dev/null 2>&1 </dev/null &`;
  try {
    await node.execute(detached, { sudo: true, expectedExitCode: 0, timeoutMs: 30_000 });
  } catch (e) {
    if (!(e instanceof NodeUnreachableError)) throw e;
  }
  await waitForNewBootId({ nodeName: node.name, before, timeoutMs: req.timeoutMs, log: node.log, readBootId });
}

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
