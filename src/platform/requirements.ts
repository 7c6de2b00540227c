import type { NodeCapability } from '../node/types.js';
import { osMatches } from '../os/families.js';
import type { OsInfo } from '../os/types.js';
import type { Match } from './types.js';
import type { Requirement } from '../testing/types.js';

/** What is known about one concrete environment, for matching requirements against it. */
export interface EnvironmentFacts {
  platform: string;
  capabilities: readonly NodeCapability[];
  os: readonly OsInfo[];
  /** Features every node of the environment offers. */
  features: readonly string[];
}

/**
 * Checks a requirement against an environment and names the first unmet item, so that a case that
 * cannot run is SKIPPED with exactly that reason.
 */
export function matchRequirement(req: Requirement, env: EnvironmentFacts): Match {
  const nodes = req.nodes ?? 1;
  if (req.supportedPlatforms?.length && !req.supportedPlatforms.includes(env.platform)) {
    return { ok: false, unmet: `platform ${req.supportedPlatforms.join(' or ')} (environment is ${env.platform})` };
  }
  if (env.capabilities.length < nodes) {
    return { ok: false, unmet: `${nodes} nodes (environment has ${env.capabilities.length})` };
  }
  for (const [i, cap] of env.capabilities.slice(0, nodes).entries()) {
    const which = nodes > 1 ? ` on node ${i + 1}` : '';
    if (req.minCores && cap.cores < req.minCores)
      return { ok: false, unmet: `${req.minCores} cores${which} (has ${cap.cores})` };
    if (req.minMemoryMiB && cap.memoryMiB < req.minMemoryMiB) {
      return { ok: false, unmet: `${req.minMemoryMiB} MiB memory${which} (has ${cap.memoryMiB})` };
    }
    if (req.minDataDisks && cap.dataDisks < req.minDataDisks && !env.features.includes('Disk')) {
      return { ok: false, unmet: `${req.minDataDisks} data disks${which} (has ${cap.dataDisks})` };
    }
  }
  for (const f of req.features ?? []) {
    if (!env.features.includes(f))
      return {
        ok: false,
        unmet: `feature ${f} (platform ${env.platform} offers ${env.features.join(', ') || 'none'})`,
      };
  }
  for (const os of env.os.slice(0, nodes)) {
    if (req.supportedOs?.length && !osMatches(os, req.supportedOs)) {
      return { ok: false, unmet: `OS ${req.supportedOs.join(' or ')} (node runs ${os.name})` };
    }
    const bad = req.unsupportedOs?.find((f) => osMatches(os, [f]));
    if (bad) return { ok: false, unmet: `an OS other than ${bad} (node runs ${os.name})` };
  }
  return { ok: true };
}
