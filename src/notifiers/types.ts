import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import type { RunEvent } from '../results/events.js';

export interface NotifierContext {
  runDir: string;
  runName: string;
  log: Logger;
  masker: SecretMasker;
  /** Verbose console output (`--debug`). */
  debug: boolean;
  /** Stream that console-like notifiers write to (stdout by default). */
  out: NodeJS.WritableStream;
}

/**
 * Receives every event of a run, in order. Events reach notifiers already masked. A notifier that
 * writes a report writes it as results arrive or in `finish`, which also runs on Ctrl-C.
 */
export interface Notifier {
  readonly type: string;
  onEvent(event: RunEvent): void | Promise<void>;
  finish(): Promise<void>;
}

/** Builds a notifier from its runbook entry (`notifier: [{type: junit, path: ...}]`). */
export type NotifierFactory = (config: Record<string, unknown>, ctx: NotifierContext) => Notifier;
