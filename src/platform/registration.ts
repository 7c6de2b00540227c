import type { z } from 'zod';
import type { PlatformConfig } from '../runbook/types.js';
import type { Platform } from './types.js';

/**
 * Everything that makes `type: <type>` usable in a runbook: the schema of its `<type>:` section
 * and the factory. One object, so a type can never validate without an implementation. A plugin
 * module's default export is one of these (`platform: [{type: ./plugins/x.mts}]`).
 */
export interface PlatformRegistration<S extends z.ZodType = z.ZodType> {
  /** The name of the runbook section holding the options (`qemu:` for `type: qemu`). */
  readonly type: string;
  /** The section's schema; use z.strictObject so a misspelt key is an error. */
  readonly schema: S;
  /**
   * Builds the platform from the validated entry; `options` is the schema's output. Import heavy
   * code inside, so that runbooks using other platforms never load it.
   */
  create(config: PlatformConfig<z.output<S>>): Platform | Promise<Platform>;
}

/** Identity, for the types: `export default definePlatform({ type, schema, create })`. */
export function definePlatform<S extends z.ZodType>(registration: PlatformRegistration<S>): PlatformRegistration<S> {
  return registration;
}

const TYPE_NAME = /^[a-z][a-z0-9_-]*$/i;

/** Why `value` is not a registration, or undefined when it is one. */
export function registrationProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object with type, schema and create';
  const r = value as Record<string, unknown>;
  if (typeof r.type !== 'string' || !TYPE_NAME.test(r.type)) {
    return `has type ${JSON.stringify(r.type)}; a type is a letter followed by letters, digits, '-' or '_'`;
  }
  const schema = r.schema as { safeParse?: unknown; _zod?: unknown } | undefined;
  if (!schema || typeof schema.safeParse !== 'function' || !schema._zod) {
    return 'has no zod schema in "schema" (import { z } from \'lisa-ts\')';
  }
  if (typeof r.create !== 'function') return 'has no create() function';
  return undefined;
}
