import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import type { JumpHost } from '../node/ssh-jump.js';
import type { Node, NodeCapability } from '../node/types.js';
import type { Requirement } from '../testing/types.js';

/** A set of nodes that cases run on together. */
export interface Environment {
  readonly id: string;
  readonly platform: string;
  readonly nodes: readonly Node[];
  /** Capability of each node, in the order of `nodes`. */
  readonly capabilities: readonly NodeCapability[];
  /** Names of the features this environment offers (for requirement matching). */
  readonly features: readonly string[];
  /** What was deployed, for reports and the results database: an image name or URL. */
  readonly image?: string;
  /** The machine size it was deployed as, e.g. `Standard_D2s_v5`. */
  readonly vmSize?: string;
  /** Feature implementations this environment offers, looked up by name. */
  feature<T extends Feature>(name: string): T | undefined;
  /** Set when a case left the environment unusable; the scheduler will not reuse it. */
  broken?: string;
  /**
   * Called by the engine after every case: returns a defect the platform saw since the last call
   * (e.g. a kernel panic excerpt from the serial log), which fails the case that was running.
   */
  checkHealth?(): Promise<string | undefined>;
}

/** A platform capability that cases can require and use, e.g. SerialConsole, StartStop, Disk. */
export interface Feature {
  readonly name: string;
}

/** What `Resize.resize` asks for: the next larger (default) or smaller size, a core count, or a named size. */
export interface ResizeRequest {
  /** Node index or name; default the first node. */
  node?: number | string;
  /** `increase` (default): the smallest size with more cores; `decrease`: the largest with fewer. */
  action?: 'increase' | 'decrease';
  /** The smallest size with exactly this many cores (overrides `action`). */
  cores?: number;
  /** This size exactly (overrides `cores` and `action`). */
  size?: string;
}

export interface ResizeResult {
  node: string;
  oldSize: string;
  newSize: string;
  /** The new size's vCPUs and memory, as the node's capability now says. */
  cores: number;
  memoryMiB: number;
}

/** Changes a node's machine size; the Node stays valid (it reconnects after the reboot a resize needs). */
export interface Resize extends Feature {
  resize(request?: ResizeRequest): Promise<ResizeResult>;
}

/** Why a requirement cannot be met: the first unmet item, named for the SKIPPED message. */
export type Match = { ok: true } | { ok: false; unmet: string };

export interface PlatformContext {
  /** The run's directory; platform files (serial logs, overlays, registries) live below it. */
  runDir: string;
  log: Logger;
  masker: SecretMasker;
  /** Fires on Ctrl-C; long deploys must stop and clean up. */
  signal: AbortSignal;
  /** The runbook's `environment` section, variables already substituted. */
  environmentConfig: unknown;
  /** SSH hosts to reach remote nodes through (`dev.jump_boxes`), in order; none when absent. */
  jumpHosts?: readonly JumpHost[];
}

/**
 * A place to run environments: machines that already exist (`ready`), local QEMU guests, Azure,
 * Hyper-V or bare metal. Chosen by the runbook's `platform[0].type`.
 */
export interface Platform {
  readonly type: string;
  /** True when the platform only leases the runbook's listed environments and creates none (`ready`). */
  readonly usesListedEnvironments?: boolean;
  /** Validates config, checks host tools, connects to fixed machines. Throws a clear error. */
  prepare(ctx: PlatformContext): Promise<void>;
  /** Whether the platform can ever provide an environment meeting the requirement. */
  match(requirement: Requirement): Promise<Match>;
  /** How many environments this platform can usefully run at once. */
  maxParallel(): number;
  /**
   * Provides an environment for the requirement: deploys a new one, or leases a free existing one.
   * Returns undefined when nothing is free right now (callers wait for a release).
   */
  deploy(requirement: Requirement, ctx: PlatformContext): Promise<Environment | undefined>;
  /** Gives the environment back: deleted, or returned to the pool when `reusable` and not broken. */
  release(env: Environment, ctx: PlatformContext, outcome: { failed: boolean }): Promise<void>;
  /**
   * Removes everything still deployed; called at the end, on errors and on Ctrl-C. May return what
   * it could not remove or was told to keep, for the run summary.
   */
  dispose(ctx: PlatformContext): Promise<void | Leftover[]>;
}

/**
 * Something a platform leaves behind at the end of a run; the run summary lists it (the
 * `platform.leftover` event carries the same fields).
 */
export interface Leftover {
  /** What it is, e.g. `azure resource group`. */
  kind: string;
  name: string;
  /** `kept` (keep_environment), `still-deleting` (its delete outlived the bound), `delete-failed`. */
  state: 'kept' | 'still-deleting' | 'delete-failed';
  /** What to do about it, e.g. `` `lisa reap` deletes it ``. */
  hint?: string;
}

/** Constructs a platform from its runbook entry (`platform: [{type: X, ...}]`). */
export type PlatformFactory = (config: Record<string, unknown>) => Platform;
