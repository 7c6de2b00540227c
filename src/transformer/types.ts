/**
 * The transformer extension point: a step that prepares what the cases run against (a kernel
 * installed, a build made, a file changed) and hands values on as runbook variables.
 */
import type { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { Node } from '../node/types.js';
import type { Environment } from '../platform/types.js';

/**
 * `init`: once, before anything is deployed; `expanded`: once per combination, before its
 * platform is prepared; `environment_connected`: on the nodes of each environment, before its
 * cases; `cleanup`: once at the end of the run, also after failures.
 */
export type TransformerPhase = 'init' | 'expanded' | 'environment_connected' | 'cleanup';
export const TRANSFORMER_PHASES: readonly TransformerPhase[] = ['init', 'expanded', 'environment_connected', 'cleanup'];

export interface TransformerContext {
  /** The entry's `name` (its type when not given). */
  readonly name: string;
  readonly phase: TransformerPhase;
  /** Writes to this transformer's own log file (and the run log). */
  readonly log: Logger;
  readonly logPath: string;
  /** A directory of the run for files this transformer produces. */
  readonly workDir: string;
  /** Directory of the runbook file: the base for relative paths in options. */
  readonly baseDir: string;
  /** The runbook variables as they are when this transformer starts (earlier outputs included). */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The nodes of the environment in `environment_connected`; empty in the other phases. */
  readonly nodes: readonly Node[];
  /** The environment in `environment_connected` (its features: serial console, boot entry...). */
  readonly environment?: Environment;
  /** The machine lisa runs on, for host-side commands (logged like any node). */
  readonly host: Node;
  /** Fires when the run is interrupted. */
  readonly signal: AbortSignal;
}

/** Values a transformer hands on; each becomes the variable `<prefix>_<key>` (or its `rename`). */
export type TransformerOutputs = Record<string, unknown>;

/** A transformer type, registered once with `registerTransformer`. */
export interface TransformerType<S extends z.ZodObject = z.ZodObject> {
  /** The `type:` of runbook entries. */
  readonly type: string;
  readonly description: string;
  /** The entry's own keys (beside type, name, phase, depends_on, prefix, rename, enabled). */
  readonly schema: S;
  /** The phase used when the entry names none. */
  readonly defaultPhase: TransformerPhase;
  /** Phases the type can run in (default: all). */
  readonly phases?: readonly TransformerPhase[];
  /**
   * The output keys this entry will produce, from its options as written (before variables are
   * resolved), so that later parts of the runbook may use the variables before they have values.
   */
  outputs(options: Record<string, unknown>): string[];
  run(options: z.output<S>, ctx: TransformerContext): Promise<TransformerOutputs>;
}

/** Thrown by a transformer for a failure at a named step, e.g. `not the default boot entry`. */
export class TransformerStepError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`${step}: ${message}`);
    this.name = 'TransformerStepError';
  }
}

/** Keeps the schema's type for `run` while declaring a transformer. */
export function defineTransformer<S extends z.ZodObject>(t: TransformerType<S>): TransformerType<S> {
  return t;
}
