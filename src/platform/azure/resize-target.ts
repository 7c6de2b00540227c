import type { ResizeRequest } from '../types.js';
import type { VmSizeInfo } from './sizes.js';

export interface ResizeTarget {
  size: VmSizeInfo;
  /**
   * The VM's current hardware cluster does not offer the size (it is not in the VM's `vmSizes`), so
   * Azure requires a deallocate before the update, and a start after it.
   */
  deallocate: boolean;
}

const byName = (a: VmSizeInfo, b: VmSizeInfo) => a.name.localeCompare(b.name);

/**
 * The size a resize goes to, from the location's unrestricted sizes (`offered`, as `sizesIn` gives
 * them) and the names the VM's `vmSizes` lists (`inCluster`: sizes it can change to while running).
 * Only sizes of the same architecture sharing a Hyper-V generation with the current one qualify.
 * `increase` takes the fewest cores above the current count, `decrease` the most below it, `cores`
 * exactly that count; ties go to a size the running VM can take without a deallocate, then to the
 * least memory. Deterministic (LISA picks at random), so a failure can be repeated.
 */
export function chooseResizeTarget(
  current: VmSizeInfo,
  offered: readonly VmSizeInfo[],
  inCluster: readonly string[],
  request: Omit<ResizeRequest, 'node'> = {},
): ResizeTarget | { unmet: string } {
  const here = new Set(inCluster.map((n) => n.toLowerCase()));
  const target = (size: VmSizeInfo): ResizeTarget => ({ size, deallocate: !here.has(size.name.toLowerCase()) });
  const compatible = offered.filter(
    (s) =>
      s.name.toLowerCase() !== current.name.toLowerCase() &&
      s.architecture.toLowerCase() === current.architecture.toLowerCase() &&
      s.generations.some((g) => current.generations.includes(g)),
  );
  if (request.size) {
    const named = compatible.find((s) => s.name.toLowerCase() === request.size!.toLowerCase());
    if (named) return target(named);
    if (request.size.toLowerCase() === current.name.toLowerCase())
      return { unmet: `size ${request.size} (the VM already has it)` };
    return {
      unmet: `size ${request.size} (not offered for this VM here, restricted, or of another architecture or generation)`,
    };
  }
  const order = (a: VmSizeInfo, b: VmSizeInfo) =>
    Number(target(a).deallocate) - Number(target(b).deallocate) || a.memoryMiB - b.memoryMiB || byName(a, b);
  let pool: VmSizeInfo[];
  let what: string;
  if (request.cores !== undefined) {
    pool = compatible.filter((s) => s.cores === request.cores).sort(order);
    what = `a size with ${request.cores} cores`;
  } else if (request.action === 'decrease') {
    const below = compatible.filter((s) => s.cores < current.cores);
    const most = Math.max(...below.map((s) => s.cores));
    pool = below.filter((s) => s.cores === most).sort(order);
    what = `a size with fewer than ${current.cores} cores`;
  } else {
    const above = compatible.filter((s) => s.cores > current.cores);
    const fewest = Math.min(...above.map((s) => s.cores));
    pool = above.filter((s) => s.cores === fewest).sort(order);
    what = `a size with more than ${current.cores} cores`;
  }
  const chosen = pool[0];
  if (!chosen)
    return {
      unmet: `${what} (offered: ${
        compatible
          .sort((a, b) => a.cores - b.cores || byName(a, b))
          .map((s) => `${s.name} ${s.cores}c`)
          .join(', ') || 'none'
      })`,
    };
  return target(chosen);
}
