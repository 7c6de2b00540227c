import type { PlatformConfig } from '../../runbook/types.js';
import type { Platform } from '../types.js';
import { BaremetalPlatform } from './platform.js';

/** The engine's platform registry maps `type: baremetal` here. */
export function createBaremetalPlatform(config: PlatformConfig): Platform {
  return new BaremetalPlatform(config);
}

export { BaremetalPlatform } from './platform.js';
export { BaremetalEnvironment, BmcStartStop } from './environment.js';
export { BmcError, type Bmc, type BootDevice, type PowerState } from './bmc.js';
export { IpmiBmc } from './ipmi.js';
export { RedfishBmc } from './redfish.js';
export { acquireLease, Lease, LeaseBusyError } from './lease.js';
export { BootServer } from './boot-server.js';
