import { Writable } from 'node:stream';
import { Logger } from '../logging/logger.js';
import { SecretMasker } from '../logging/secrets.js';
import { loadRegistration } from '../plugins/load-registration.js';
import type { NotifierConfig } from '../runbook/types.js';
import { consoleNotifier } from './console.js';
import { envStatsNotifier } from './env-stats.js';
import { databaseNotifier } from './database.js';
import { htmlNotifier } from './html.js';
import { jsonNotifier } from './json.js';
import { junitNotifier } from './junit.js';
import { fileNotifier, textResultNotifier } from './lisa-compat.js';
import type { Notifier, NotifierContext, NotifierRegistration } from './types.js';

const TYPE_NAME = /^[a-z][a-z0-9_-]*$/i;
const BUILT_IN: readonly NotifierRegistration[] = [
  consoleNotifier,
  junitNotifier,
  jsonNotifier,
  htmlNotifier,
  envStatsNotifier,
  databaseNotifier,
  textResultNotifier,
  fileNotifier,
];

/** The notifiers a runbook can name by type; plugins are named by module path instead. */
const registrations = new Map<string, NotifierRegistration>();

/** Why `value` is not a notifier registration, or undefined when it is one. */
export function notifierRegistrationProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object with type, schema and create';
  const r = value as Record<string, unknown>;
  if (typeof r.type !== 'string' || !TYPE_NAME.test(r.type)) {
    return `has type ${JSON.stringify(r.type)}; a type is a letter followed by letters, digits, '-' or '_'`;
  }
  const schema = r.schema as { safeParse?: unknown; shape?: unknown } | undefined;
  if (!schema || typeof schema.safeParse !== 'function' || typeof schema.shape !== 'object') {
    return 'has no zod object schema in "schema" (z.strictObject, with import { z } from \'lisa-ts\')';
  }
  if (typeof r.create !== 'function') return 'has no create() function';
  return undefined;
}

/** Adds a built-in type. Registering a type twice is an error: nothing silently replaces a notifier. */
export function registerNotifier(registration: NotifierRegistration): void {
  const problem = notifierRegistrationProblem(registration);
  if (problem) throw new Error(`cannot register notifier: the registration ${problem}`);
  const existing = registrations.get(registration.type);
  if (existing && existing !== registration)
    throw new Error(`notifier type "${registration.type}" is already registered`);
  registrations.set(registration.type, registration);
}

for (const builtin of BUILT_IN) registerNotifier(builtin);

export function notifierRegistrations(): NotifierRegistration[] {
  return [...registrations.values()];
}

export function knownNotifierTypes(): string[] {
  return [...registrations.keys()].sort();
}

/** The registration a plugin module exports, checked; errors are PluginLoadErrors. */
export function loadNotifierModule(file: string): Promise<NotifierRegistration> {
  return loadRegistration<NotifierRegistration>(file, 'notifier', notifierRegistrationProblem);
}

export async function notifierRegistration(
  config: Pick<NotifierConfig, 'type' | 'module'>,
): Promise<NotifierRegistration> {
  if (config.module) return loadNotifierModule(config.module);
  const registration = registrations.get(config.type);
  if (!registration) {
    throw new Error(`unknown notifier type "${config.type}"; known types: ${knownNotifierTypes().join(', ')}`);
  }
  return registration;
}

/**
 * Builds the notifier a runbook entry names. Options from a loaded runbook are already valid
 * (the runbook schema holds every notifier's schema); a config built by a program is checked here.
 */
export async function createNotifier(config: NotifierConfig, ctx: NotifierContext): Promise<Notifier> {
  const registration = await notifierRegistration(config);
  const parsed = registration.schema.safeParse(config.options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `option "${issue.path.join('.')}": ` : '';
    throw new Error(`notifier "${config.type}": ${where}${issue.message}`);
  }
  return registration.create(parsed.data, ctx);
}

/** Validates an entry without a run. Factories only remember their options, so building one and dropping it is harmless. */
export async function checkNotifier(config: NotifierConfig, runDir = '/nonexistent/run'): Promise<void> {
  const masker = new SecretMasker();
  const out = new Writable({ write: (_chunk, _enc, done) => done() });
  await createNotifier(config, {
    runDir,
    runName: 'check',
    log: new Logger('check', [], masker),
    masker,
    debug: false,
    out,
  });
}
