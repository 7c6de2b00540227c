import type { PlatformConfig } from '../runbook/types.js';
import type { Platform } from './types.js';

type Factory = (config: PlatformConfig) => Promise<Platform>;

/** Platforms by runbook `type`. Loaded lazily so that a ready run never loads QEMU or Azure code. */
const factories = new Map<string, Factory>([
  ['ready', async () => (await import('./ready/ready-platform.js')).createReadyPlatform()],
  ['qemu', async (c) => (await import('./qemu/index.js')).createQemuPlatform(c)],
]);

/** Lets an extension add a platform type. */
export function registerPlatform(type: string, factory: Factory): void {
  factories.set(type, factory);
}

export function platformTypes(): string[] {
  return [...factories.keys()];
}

export async function createPlatform(config: PlatformConfig): Promise<Platform> {
  const factory = factories.get(config.type);
  if (!factory) {
    throw new Error(`platform type "${config.type}" is not available; available: ${platformTypes().join(', ')}`);
  }
  return factory(config);
}
