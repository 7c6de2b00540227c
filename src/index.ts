// Public API for test authors and plugin writers.
export * from './node/types.js';
export * from './os/types.js';
export * from './tool/tool.js';
export * from './tool/registry.js';
export * from './tool/quote.js';
export * from './testing/types.js';
export * from './testing/errors.js';
export * from './platform/types.js';
export * from './notifiers/types.js';
export * from './results/events.js';
export * from './logging/logger.js';
export * from './logging/secrets.js';
export * from './testing/define.js';
export * from './testing/assert.js';
export * from './runbook/index.js';
export * from './notifiers/index.js';
export { registerPlatform, platformTypes } from './platform/registry.js';
