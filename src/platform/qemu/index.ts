import type { PlatformConfig } from '../../runbook/types.js';
import type { Platform } from '../types.js';
import { QemuPlatform } from './platform.js';
import type { QemuSection } from './schema.js';

/** `type: qemu` (./schema.ts) is created here, loaded only when a run uses it. */
export function createQemuPlatform(config: PlatformConfig<QemuSection>): Platform {
  return new QemuPlatform(config);
}

export { QemuPlatform } from './platform.js';
export { QemuEnvironment } from './environment.js';
export { buildImage, findCachedImage } from './image/build.js';
export type { BuildImageOptions, BuiltImage } from './image/spec.js';
export { doctor, type DoctorCheck, type DoctorReport } from './doctor.js';
export { reapStaleVms, type ReapResult } from './registry.js';
export { SerialConsole, type SerialScan } from './serial-console.js';
export { StartStop, Disk, type AttachedDisk } from './features.js';
export { detectPanics, type PanicFinding } from './panic.js';
export { QmpClient } from './qmp.js';
export { qemuSchema, qemuPlatform, type QemuSection } from './schema.js';
