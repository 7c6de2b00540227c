// Public API for test authors and plugin writers.
export * from './node/types.js';
export * from './os/types.js';
export * from './tool/tool.js';
export * from './tool/tool-service.js';
export * from './shell/quote.js';
export * from './testing/types.js';
export * from './testing/errors.js';
export * from './platform/types.js';
export * from './notifiers/types.js';
export * from './results/events.js';
export * from './logging/logger.js';
export * from './logging/secrets.js';
export * from './testing/define.js';
export * from './testing/assert.js';
export * from './testing/variables.js';
export * from './runbook/index.js';
export * from './notifiers/index.js';
export { registerPlatform, knownPlatformTypes } from './platform/registry.js';
export { definePlatform, type PlatformRegistration } from './platform/registration.js';
export { ResourceBusyError, isResourceBusy } from './platform/resource-busy.js';
// Plugins build their schemas with lisa's zod, so that they combine with the runbook schema.
export { z } from 'zod';
export { SshNode, type SshNodeOptions } from './node/ssh-node.js';
export { LocalNode, type LocalNodeOptions } from './node/local-node.js';
export { SshAuthError, HostKeyMismatchError } from './node/ssh-errors.js';
export { matchRequirement, type EnvironmentFacts } from './platform/requirements.js';
export * from './transformer/types.js';
export { registerTransformer, knownTransformerTypes } from './transformer/registry.js';
