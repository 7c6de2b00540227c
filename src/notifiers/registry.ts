import { Writable } from 'node:stream';
import { Logger } from '../logging/logger.js';
import { SecretMasker } from '../logging/secrets.js';
import type { NotifierConfig } from '../runbook/types.js';
import { createConsoleNotifier } from './console.js';
import { createHtmlNotifier } from './html.js';
import { createJsonNotifier } from './json.js';
import { createJUnitNotifier } from './junit.js';
import type { Notifier, NotifierContext, NotifierFactory } from './types.js';

const BUILT_IN: Readonly<Record<string, NotifierFactory>> = {
  console: createConsoleNotifier,
  junit: createJUnitNotifier,
  json: createJsonNotifier,
  html: createHtmlNotifier,
};

const factories = new Map<string, NotifierFactory>(Object.entries(BUILT_IN));

/**
 * Makes `type` usable in runbooks (`notifier: [{type: <type>, ...}]`). Registering a type twice is
 * an error, so that a plugin cannot silently replace a built-in or another plugin's notifier.
 */
export function registerNotifier(type: string, factory: NotifierFactory): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(type)) {
    throw new Error(`cannot register notifier "${type}": a type is a letter followed by letters, digits, '-' or '_'`);
  }
  const existing = factories.get(type);
  if (existing && existing !== factory) throw new Error(`notifier type "${type}" is already registered`);
  factories.set(type, factory);
}

export function knownNotifierTypes(): string[] {
  return [...factories.keys()].sort();
}

/** Builds the notifier a runbook entry names; option errors carry the notifier's type. */
export function createNotifier(config: NotifierConfig, ctx: NotifierContext): Notifier {
  const factory = factories.get(config.type);
  if (!factory) {
    throw new Error(`unknown notifier type "${config.type}" (known types: ${knownNotifierTypes().join(', ')})`);
  }
  return factory(config.options ?? {}, ctx);
}

/**
 * Validates a runbook entry (type and options) without a run, for `lisa check`. Factories only
 * check options and remember them; nothing is written before events arrive, so building one and
 * dropping it is harmless.
 */
export function checkNotifier(config: NotifierConfig, runDir = '/nonexistent/run'): void {
  const masker = new SecretMasker();
  const out = new Writable({ write: (_chunk, _enc, done) => done() });
  createNotifier(config, { runDir, runName: 'check', log: new Logger('check', [], masker), masker, debug: false, out });
}

/** Test hook: forgets plugin registrations, keeps the built-ins. */
export function resetNotifierRegistry(): void {
  factories.clear();
  for (const [type, factory] of Object.entries(BUILT_IN)) factories.set(type, factory);
}
