/**
 * Budgets for the phases of a case, after Playwright's timeout manager: beforeCase, the case body
 * and afterCase each run with their own abort signal and their own time. A timed-out body is
 * aborted, yet afterCase still gets a live signal (and so live nodes) to clean up with.
 */

/** Thrown (as the abort reason) when a phase used up its budget. */
export class PhaseTimeout extends Error {
  constructor(
    readonly phase: string,
    readonly budgetMs: number,
  ) {
    super(`${phase} timed out after ${formatSeconds(budgetMs)}`);
    this.name = 'PhaseTimeout';
  }
}

/** How long an aborted phase gets to unwind (its commands are being killed) before the next starts. */
const UNWIND_MS = 10_000;

/**
 * Runs `work` with a signal that aborts after `budgetMs` or when `outer` fires. On abort the
 * rejection is the signal's reason (a PhaseTimeout, or the outer reason), after giving the work a
 * moment to unwind so that no command of this phase overlaps the next one on the same node.
 */
export async function runPhase(
  phase: string,
  budgetMs: number,
  outer: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<void> | void,
): Promise<void> {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason ?? new Error('interrupted'));
  if (outer?.aborted) onOuter();
  else outer?.addEventListener('abort', onOuter, { once: true });
  const timer = setTimeout(() => controller.abort(new PhaseTimeout(phase, budgetMs)), budgetMs);
  const stopped = new Promise<never>((_, reject) => {
    // The reason is always an Error here: a PhaseTimeout, or the outer signal's reason.
    const fail = () => reject(controller.signal.reason as Error);
    if (controller.signal.aborted) fail();
    controller.signal.addEventListener('abort', fail, { once: true });
  });
  stopped.catch(() => undefined);
  const done = controller.signal.aborted ? Promise.resolve() : Promise.resolve().then(() => work(controller.signal));
  try {
    await Promise.race([done, stopped]);
  } catch (e) {
    if (!controller.signal.aborted) throw e;
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, UNWIND_MS).unref())]);
    throw controller.signal.reason;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
