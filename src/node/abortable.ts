/**
 * Waits for `work` unless `signal` fires first; then resolves undefined at once and hands the
 * late value to `dispose` (release a channel slot, close a channel). Late rejections are dropped.
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  dispose: (late: T) => void,
): Promise<T | undefined> {
  if (!signal) return work;
  if (signal.aborted) {
    work.then(dispose, () => {});
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (aborted) dispose(value);
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!aborted) reject(err);
      },
    );
  });
}
