import { expectTrue } from '../../src/testing/assert.js';
import type { ResizeResult } from '../../src/platform/types.js';

/** After a resize the guest sees the new size's vCPUs: the kernel's count, not the platform's word. */
export function checkCoresAfterResize(nodeName: string, result: ResizeResult, before: number, seen: number): void {
  expectTrue(
    `CPUs of ${nodeName} after resizing ${result.oldSize} -> ${result.newSize}`,
    seen === result.cores,
    `${result.cores} (${result.newSize}; ${before} before)`,
    `${seen}`,
  );
}

/**
 * MemTotal is the new size's memory less what firmware and the kernel reserve (a few percent, more on
 * small VMs): at least `minFraction` of it and never more.
 */
export function checkMemoryAfterResize(
  nodeName: string,
  result: ResizeResult,
  memTotalBytes: number,
  minFraction = 0.8,
): void {
  const found = Math.round(memTotalBytes / 1048576);
  expectTrue(
    `memory of ${nodeName} after resizing to ${result.newSize}`,
    found >= result.memoryMiB * minFraction && found <= result.memoryMiB * 1.01,
    `between ${Math.round(result.memoryMiB * minFraction)} and ${result.memoryMiB} MiB`,
    `${found} MiB MemTotal`,
  );
}

/** The requested direction was honoured: more cores for `increase`, fewer for `decrease`. */
export function checkDirection(result: ResizeResult, before: number, action: 'increase' | 'decrease'): void {
  const ok = action === 'increase' ? result.cores > before : result.cores < before;
  expectTrue(
    `core count of ${result.newSize} against ${result.oldSize}`,
    ok,
    `${action === 'increase' ? 'more' : 'fewer'} than ${before}`,
    `${result.cores}`,
  );
}
