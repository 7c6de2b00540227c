import type { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import type { SecretMasker } from '../logging/secrets.js';
import type { RunEvent } from '../results/events.js';
import type { ResultsReader } from '../results/results-model.js';

export interface NotifierContext {
  runDir: string;
  runName: string;
  log: Logger;
  masker: SecretMasker;
  /** Verbose console output (`--debug`). */
  debug: boolean;
  /** Stream that console-like notifiers write to (stdout by default). */
  out: NodeJS.WritableStream;
  /**
   * The run's results (`ResultsModel`), folded from the same event stream: during a run each event
   * is applied to it before any notifier receives that event, so a notifier reads it rather than
   * folding a copy of its own; one model for the run, however many reports. Read only. Absent
   * when a program feeds notifiers by hand; built-in notifiers then fold their own.
   */
  results?: ResultsReader;
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

/**
 * Everything that makes `notifier: [{type: <type>, ...}]` usable: the schema of the entry's other
 * keys and the factory, in one object. A plugin module's default export is one of these
 * (`notifier: [{type: ./my-notifier.mts}]`).
 */
export interface NotifierRegistration<S extends z.ZodObject = z.ZodObject> {
  readonly type: string;
  /** The options (the entry's keys besides `type`); use z.strictObject so a misspelt key is an error. */
  readonly schema: S;
  /**
   * Builds the notifier from validated options. Must not write anything or open connections:
   * `lisa check` builds notifiers only to validate them.
   */
  create(options: z.output<S>, ctx: NotifierContext): Notifier;
}

/** Identity, for the types: `export default defineNotifier({ type, schema, create })`. */
export function defineNotifier<S extends z.ZodObject>(registration: NotifierRegistration<S>): NotifierRegistration<S> {
  return registration;
}
