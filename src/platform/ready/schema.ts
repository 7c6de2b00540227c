import { z } from 'zod';
import { definePlatform } from '../registration.js';

/** Machines that already exist: everything lives in the runbook's `environment`. */
export const readySchema = z.strictObject({});

export const readyPlatform = definePlatform({
  type: 'ready',
  schema: readySchema,
  create: async () => (await import('./ready-platform.js')).createReadyPlatform(),
});
