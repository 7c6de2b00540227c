import { loadRegistration } from '../plugins/load-registration.js';
import type { PlatformConfig } from '../runbook/types.js';
import { azurePlatform } from './azure/schema.js';
import { baremetalPlatform } from './baremetal/schema.js';
import { hypervPlatform } from './hyperv/schema.js';
import { qemuPlatform } from './qemu/schema.js';
import { readyPlatform } from './ready/schema.js';
import { registrationProblem, type PlatformRegistration } from './registration.js';
import type { Platform } from './types.js';

/**
 * The platforms a runbook can name by type. Each entry's module is small (schema + a lazy
 * import), so a ready run never loads QEMU or Azure code. Plugins are named by module path in the
 * runbook instead and need no entry here.
 */
const registrations = new Map<string, PlatformRegistration>();

/** Adds a built-in type. Registering a type twice is an error: nothing silently replaces a platform. */
export function registerPlatform(registration: PlatformRegistration): void {
  const problem = registrationProblem(registration);
  if (problem) throw new Error(`cannot register platform: the registration ${problem}`);
  const existing = registrations.get(registration.type);
  if (existing && existing !== registration)
    throw new Error(`platform type "${registration.type}" is already registered`);
  registrations.set(registration.type, registration);
}

for (const builtin of [readyPlatform, qemuPlatform, azurePlatform, baremetalPlatform, hypervPlatform])
  registerPlatform(builtin);

export function platformRegistrations(): PlatformRegistration[] {
  return [...registrations.values()];
}

export function knownPlatformTypes(): string[] {
  return [...registrations.keys()].sort();
}

/** The registration a plugin module exports, checked; errors are PluginLoadErrors. */
export function loadPlatformModule(file: string): Promise<PlatformRegistration> {
  return loadRegistration<PlatformRegistration>(file, 'platform', registrationProblem);
}

export async function platformRegistration(
  config: Pick<PlatformConfig, 'type' | 'module'>,
): Promise<PlatformRegistration> {
  if (config.module) return loadPlatformModule(config.module);
  const registration = registrations.get(config.type);
  if (!registration) {
    throw new Error(`unknown platform type "${config.type}"; known types: ${knownPlatformTypes().join(', ')}`);
  }
  return registration;
}

export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  return (await platformRegistration(config)).create(config);
}
