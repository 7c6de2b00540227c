import type { AzureClients } from './clients.js';
import { withArmRetry } from './errors.js';

export interface Usage {
  name: string;
  current: number;
  limit: number;
}

/** The location's compute usages (`cores` for the region, one entry per VM family). */
export async function readUsages(c: AzureClients, location: string, signal?: AbortSignal): Promise<Usage[]> {
  return withArmRetry(
    `reading quota in ${location}`,
    async () => {
      const out: Usage[] = [];
      for await (const u of c.compute.usage.list(location, { abortSignal: signal }))
        out.push({ name: u.name?.value ?? '', current: u.currentValue ?? 0, limit: u.limit ?? 0 });
      return out;
    },
    { signal },
  );
}

/**
 * Whether `cores` more of `family` fit: `limit` when the quota itself is too small (waiting cannot
 * help: skip), `in-use` when other VMs hold it (waiting can help).
 */
export type QuotaVerdict = { ok: true } | { ok: false; kind: 'limit' | 'in-use'; reason: string };

export function quotaVerdict(usages: Usage[], family: string, cores: number): QuotaVerdict {
  for (const name of [family, 'cores']) {
    const u = usages.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!u) continue;
    const label = name === 'cores' ? 'regional vCPU quota' : `${name} vCPU quota`;
    if (u.limit < cores) return { ok: false, kind: 'limit', reason: `${label} is ${u.limit}, ${cores} needed` };
    if (u.current + cores > u.limit)
      return { ok: false, kind: 'in-use', reason: `${label}: ${u.current} of ${u.limit} in use, ${cores} more needed` };
  }
  return { ok: true };
}

/** `family a/b used, cores c/d used`, for the dry-run plan. */
export function describeQuota(usages: Usage[], family: string): string {
  const show = (name: string): string | undefined => {
    const u = usages.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return u ? `${name} ${u.current}/${u.limit} used` : undefined;
  };
  return [show(family), show('cores')].filter(Boolean).join(', ') || 'no quota information';
}
