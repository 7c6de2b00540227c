/**
 * First Ctrl-C (or SIGTERM): stop starting work, let cleanup run and write reports.
 * Second: exit at once with 130.
 */
export function installInterruptHandler(out: NodeJS.WritableStream): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      out.write(`\n${sig} again: exiting now without cleanup\n`);
      process.exit(130);
    }
    const again = sig === 'SIGINT' ? 'Ctrl-C again' : `${sig} again`;
    out.write(`\n${sig}: stopping; cleaning up environments and writing reports (${again} to force)\n`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
