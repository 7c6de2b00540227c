import type { PlatformConfig } from '../../runbook/types.js';
import type { Platform } from '../types.js';
import { AzurePlatform } from './platform.js';

/** The engine's platform registry maps `type: azure` here; the SDK is loaded only then. */
export function createAzurePlatform(config: PlatformConfig): Platform {
  return new AzurePlatform(config);
}

export { AzurePlatform } from './platform.js';
export { Ledger, TAG } from './ledger.js';
export { reapAzure, parseDuration, type ReapResult } from './reap.js';
