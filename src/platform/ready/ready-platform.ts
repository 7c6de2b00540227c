import pLimit from 'p-limit';
import { FileSink } from '../../logging/logger.js';
import type { Node, NodeCapability } from '../../node/types.js';
import type { OsInfo } from '../../os/types.js';
import { matchRequirement } from '../requirements.js';
import type { EnvironmentConfig } from '../../runbook/types.js';
import type { Requirement } from '../../testing/types.js';
import type { Environment, Feature, Match, Platform, PlatformContext } from '../types.js';
import { createConfiguredNode } from './node-factory.js';

const PROBE_CONCURRENCY = 16;

interface Slot {
  env: ReadyEnvironment;
  os: OsInfo[];
  /** Why the machines of this environment cannot be used (connect failed, broken by a case). */
  error?: string;
  leased: boolean;
}

class ReadyEnvironment implements Environment {
  readonly platform = 'ready';
  readonly features: readonly string[] = [];
  broken?: string;
  constructor(
    readonly id: string,
    readonly nodes: readonly Node[],
    public capabilities: readonly NodeCapability[],
  ) {}
  feature<T extends Feature>(): T | undefined {
    return undefined;
  }
}

/**
 * Machines that already exist, listed in the runbook. Their real capabilities are read from the
 * machines themselves in prepare(); environments are leased to one worker at a time and come
 * back to the pool unless a case broke them.
 */
export class ReadyPlatform implements Platform {
  readonly type = 'ready';
  readonly usesListedEnvironments = true;
  private slots: Slot[] = [];

  async prepare(ctx: PlatformContext): Promise<void> {
    const configs = (ctx.environmentConfig ?? []) as EnvironmentConfig[];
    if (configs.length === 0) {
      throw new Error('platform ready needs machines: add environment.environments[].nodes to the runbook');
    }
    this.slots = configs.map((cfg, i) => {
      const id = cfg.name ?? `env${i + 1}`;
      const nodes = cfg.nodes.map((n, j) => {
        const name = n.name ?? (n.type === 'local' ? 'local' : `${n.address}:${n.port}`);
        const log = ctx.log.child(name, [new FileSink(`${ctx.runDir}/nodes/${id}-${j + 1}.log`)], { quiet: true });
        return createConfiguredNode(n, name, log, ctx.masker, ctx.jumpHosts);
      });
      return { env: new ReadyEnvironment(id, nodes, []), os: [], leased: false };
    });
    // A lab runbook may list hundreds of machines: connect to a bounded number at a time.
    const limit = pLimit(PROBE_CONCURRENCY);
    // Ctrl-C/SIGTERM must not wait out a connect timeout (58 s on an address that never answers):
    // closing the nodes cancels their connects, and the probes end as unreachable at once.
    const cancel = (): void => void this.dispose();
    ctx.signal.addEventListener('abort', cancel, { once: true });
    try {
      await Promise.all(this.slots.map((s) => limit(() => (ctx.signal.aborted ? undefined : this.probe(s, ctx)))));
    } finally {
      ctx.signal.removeEventListener('abort', cancel);
    }
  }

  private async probe(slot: Slot, ctx: PlatformContext): Promise<void> {
    try {
      const facts = await Promise.all(
        slot.env.nodes.map(async (n) => ({ cap: await n.capability(), os: await n.os() })),
      );
      slot.env.capabilities = facts.map((f) => f.cap);
      slot.os = facts.map((f) => f.os);
      ctx.log.info(
        `${slot.env.id}: ${slot.env.nodes.map((n, i) => `${n.name} ${slot.os[i]!.name}, ${slot.env.capabilities[i]!.cores} cores, ${slot.env.capabilities[i]!.memoryMiB} MiB`).join('; ')}`,
      );
    } catch (e) {
      slot.error = (e as Error).message;
      if (!ctx.signal.aborted) ctx.log.error(`${slot.env.id}: ${slot.error}`);
    }
  }

  private fits(slot: Slot, req: Requirement): Match {
    return matchRequirement(req, { platform: 'ready', capabilities: slot.env.capabilities, os: slot.os, features: [] });
  }

  async match(req: Requirement): Promise<Match> {
    const usable = this.slots.filter((s) => !s.error);
    let firstUnmet: Match = { ok: false, unmet: 'a reachable environment' };
    for (const s of usable) {
      const m = this.fits(s, req);
      if (m.ok) return m;
      if (firstUnmet.ok === false && firstUnmet.unmet === 'a reachable environment') firstUnmet = m;
    }
    // An unreachable machine might have met it: let the deploy fail loudly instead of skipping.
    if (this.slots.some((s) => s.error)) return { ok: true };
    return firstUnmet;
  }

  maxParallel(): number {
    return Math.max(1, this.slots.length);
  }

  async deploy(req: Requirement): Promise<Environment | undefined> {
    const free = this.slots.filter((s) => !s.leased && !s.env.broken);
    const slot = free.find((s) => !s.error && this.fits(s, req).ok);
    if (slot) {
      slot.leased = true;
      return slot.env;
    }
    const dead = free.find((s) => s.error);
    if (dead) {
      // Report the connect failure once, then take the machine out of the pool.
      dead.env.broken = dead.error;
      throw new Error(`${dead.env.id}: ${dead.error}`);
    }
    return undefined;
  }

  async release(env: Environment): Promise<void> {
    const slot = this.slots.find((s) => s.env === env);
    if (!slot) return;
    slot.leased = false;
    if (env.broken) await Promise.all(env.nodes.map((n) => n.close().catch(() => undefined)));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.slots.flatMap((s) => s.env.nodes.map((n) => n.close().catch(() => undefined))));
  }
}

export function createReadyPlatform(): Platform {
  return new ReadyPlatform();
}
