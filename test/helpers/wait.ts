/** Polls `check` until it holds; throws naming `what` after `ms`. */
export async function waitFor(check: () => boolean, ms: number, what = 'a condition', everyMs = 50): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** SIGKILL, quietly: the process may be gone already. */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
